// One campaign: its progress per system, counts and due date; the items with their filters and
// decisions; revocations and their tasks; sign-off, the record, cancelling.
import "../../styles/access-reviews.css";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField } from "../../ui/Field";
import { formatDate, formatDateTime, plural } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading, Spinner } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { ReviewStatusBadge } from "./access-reviews.components";
import { useAccessReview, useReviewItems } from "./access-reviews.queries";
import type { AccessReview, ItemFilter } from "./access-reviews.types";
import { ReviewActions, SignOffSection } from "./ReviewActions";
import { ReviewItemsTable } from "./ReviewItemsTable";

function BackLink() {
  return (
    <Link className="back-link" to="/access/reviews">
      <Icon name="arrowLeft" />
      All access reviews
    </Link>
  );
}

function Progress({ review }: { review: AccessReview }) {
  const c = review.counts;
  return (
    <section className="card section" aria-labelledby="progress-heading">
      <h2 id="progress-heading" className="section-title">
        Progress
      </h2>
      <dl className="facts facts-inline">
        <div>
          <dt>Decided</dt>
          <dd>
            {c.decided} of {c.items}
          </dd>
        </div>
        <div>
          <dt>Kept</dt>
          <dd>{c.kept}</dd>
        </div>
        <div>
          <dt>Revoked</dt>
          <dd>{c.revoked}</dd>
        </div>
        <div>
          <dt>Revocations carried out</dt>
          <dd>
            {c.revocationsDone} of {c.revoked}
          </dd>
        </div>
        <div>
          <dt>Needing a reviewer</dt>
          <dd>{c.needingReviewer}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{formatDateTime(review.dueAt)}</dd>
        </div>
      </dl>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" tabIndex={0} aria-label="Progress per system">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Owner</th>
              <th scope="col">Decided</th>
              <th scope="col">Review done</th>
            </tr>
          </thead>
          <tbody>
            {review.systems.map((s) => (
              <tr key={s.system.id}>
                <td>
                  <Link to={`/systems/${s.system.id}`}>{s.system.name}</Link>
                </td>
                <td>{s.owner?.name ?? <span className="badge badge-danger">No owner</span>}</td>
                <td>
                  <progress
                    className="review-progress"
                    max={Math.max(s.items, 1)}
                    value={s.items === 0 ? 1 : s.decided}
                    aria-label={`${s.system.name}: ${s.decided} of ${s.items} decided`}
                  />{" "}
                  {s.decided} of {s.items}
                </td>
                <td>{s.completedAt ? formatDate(s.completedAt) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

function Items({ review }: { review: AccessReview }) {
  const [filter, setFilter] = useState<ItemFilter>({});
  const items = useReviewItems(review.id, filter);
  const list = items.data?.pages.flatMap((p) => p.items) ?? [];
  const reviewers = new Map(
    review.systems.flatMap((s) => (s.owner ? [[s.owner.id, s.owner.name] as const] : [])),
  );
  for (const item of list) if (item.reviewer) reviewers.set(item.reviewer.id, item.reviewer.name);
  function set<K extends keyof ItemFilter>(name: K, value: string) {
    setFilter((f) => ({ ...f, [name]: value || undefined }));
  }
  return (
    <section className="card section" aria-labelledby="items-heading">
      <h2 id="items-heading" className="section-title">
        Access under review
      </h2>
      <search className="toolbar" aria-label="Filter items">
        <SelectField
          label="System"
          value={filter.systemId ?? ""}
          onChange={(e) => set("systemId", e.target.value)}
        >
          <option value="">Every system</option>
          {review.systems.map((s) => (
            <option key={s.system.id} value={s.system.id}>
              {s.system.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Reviewer"
          value={filter.reviewerId ?? ""}
          onChange={(e) => set("reviewerId", e.target.value)}
        >
          <option value="">Any reviewer</option>
          {[...reviewers].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Decision"
          value={filter.decision ?? ""}
          onChange={(e) => set("decision", e.target.value)}
        >
          <option value="">Any decision</option>
          <option value="undecided">Undecided</option>
          <option value="keep">Keep</option>
          <option value="revoke">Revoke</option>
        </SelectField>
      </search>
      {items.isPending && <Spinner label="Loading items" />}
      {items.isError && <LoadError error={items.error} onRetry={() => items.refetch()} />}
      {items.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(list.length, "item")}
          {items.hasNextPage ? " so far" : ""}
        </p>
      )}
      {list.length > 0 && (
        <ReviewItemsTable
          reviewId={review.id}
          items={list}
          label="Items of the review"
          reassign={review.mayManage && review.status === "open"}
        />
      )}
      <LoadMore
        hasMore={items.hasNextPage}
        loading={items.isFetchingNextPage}
        onMore={() => items.fetchNextPage()}
      />
    </section>
  );
}

export function AccessReviewPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const review = useAccessReview(id);
  if (review.isPending) return <PageLoading label="Loading the access review" />;
  if (review.isError) {
    const missing =
      review.error instanceof ApiError &&
      (review.error.status === 404 || review.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Access review not found" : "Access review"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such access review" />
        ) : (
          <LoadError error={review.error} onRetry={() => review.refetch()} />
        )}
      </>
    );
  }
  const r = review.data;
  return (
    <>
      {can("access.read") && <BackLink />}
      <PageHeader
        title={r.name}
        eyebrow={
          <>
            Access review <ReviewStatusBadge review={r} />
          </>
        }
        description={`${r.scheduled ? "Started by the schedule" : `Started${r.startedBy ? ` by ${r.startedBy.name}` : ""}`} on ${formatDate(r.startedAt)}; due ${formatDate(r.dueAt)}.`}
        actions={<ReviewActions review={r} />}
      />
      {r.status === "cancelled" && (
        <p className="alert alert-info">
          Cancelled {formatDateTime(r.cancelledAt)}
          {r.cancelReason ? `: ${r.cancelReason}` : ""}
        </p>
      )}
      <Progress review={r} />
      <SignOffSection review={r} />
      <Items review={r} />
    </>
  );
}
