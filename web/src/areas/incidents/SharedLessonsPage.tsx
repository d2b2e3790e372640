// The lessons learned shared with the team, newest first: every member reads them.
import "./incidents.css";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDateTime, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { LoadMore } from "../access/access-core.components";
import { useSharedLessons } from "./incidents.queries";
import type { SharedLessons } from "./incidents.types";
import { LESSONS_FIELDS } from "./LessonsPage";

function LessonsCard({ lessons }: { lessons: SharedLessons }) {
  const headingId = `lessons-${lessons.id}`;
  const title = lessons.incident
    ? `${lessons.incident.reference}: ${lessons.incident.title}`
    : "An incident";
  return (
    <article className="card section" aria-labelledby={headingId}>
      <h2 className="section-title" id={headingId}>
        <Link to={`/incidents/${lessons.incidentId}/lessons`}>{title}</Link>
      </h2>
      <p className="muted">
        Shared {formatDateTime(lessons.sharedAt ?? lessons.approvedAt)}
        {lessons.approvedBy ? `, approved by ${lessons.approvedBy.name}` : ""}
      </p>
      <details>
        <summary>Read the lessons learned</summary>
        {LESSONS_FIELDS.map((f) => (
          <div key={f.name}>
            <h3 className="subsection-title">{f.label}</h3>
            <p className="incident-text">{lessons[f.name] || "—"}</p>
          </div>
        ))}
      </details>
    </article>
  );
}

export function SharedLessonsPage() {
  const shared = useSharedLessons();
  const items = shared.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Lessons learned"
        description="What our incidents taught us, approved and shared with the whole team."
      />
      {shared.isPending && <PageLoading label="Loading the lessons learned" />}
      {shared.isError && <LoadError error={shared.error} onRetry={() => shared.refetch()} />}
      {shared.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "document")}
          {shared.hasNextPage ? " so far" : ""}
        </p>
      )}
      {shared.isSuccess && items.length === 0 && (
        <EmptyState icon="incidents" title="Nothing shared yet">
          <p>Once the lessons learned of an incident are approved, they show here for everyone.</p>
        </EmptyState>
      )}
      {items.map((lessons) => (
        <LessonsCard key={lessons.id} lessons={lessons} />
      ))}
      <LoadMore
        hasMore={shared.hasNextPage}
        loading={shared.isFetchingNextPage}
        onMore={() => shared.fetchNextPage()}
      />
    </>
  );
}
