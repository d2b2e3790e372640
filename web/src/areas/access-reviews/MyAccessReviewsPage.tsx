// My reviews: the undecided items I am the reviewer of, by campaign and system, with the context
// to decide on; keep or revoke one or many at a time.
import "../../styles/access-reviews.css";
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate, isPast, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { LoadMore } from "../access/access-core.components";
import { useAssignedItems } from "./access-reviews.queries";
import type { AssignedItem } from "./access-reviews.types";
import { focusIsLost, ReviewItemsTable } from "./ReviewItemsTable";

interface Group {
  review: AssignedItem["review"];
  systems: { id: string; name: string; items: AssignedItem[] }[];
}

/** Items grouped by campaign, then system, in the order they came. */
export function groupItems(items: AssignedItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    let group = groups.get(item.review.id);
    if (!group) {
      group = { review: item.review, systems: [] };
      groups.set(item.review.id, group);
    }
    let system = group.systems.find((s) => s.id === item.system.id);
    if (!system) {
      system = { id: item.system.id, name: item.system.name, items: [] };
      group.systems.push(system);
    }
    system.items.push(item);
  }
  return [...groups.values()];
}

export function MyAccessReviewsPage() {
  const assigned = useAssignedItems();
  const items = assigned.data?.pages.flatMap((p) => p.items) ?? [];
  const groups = groupItems(items);
  // A system's last item decided takes its table, and the focused button, away: the heading.
  const shown = useRef(0);
  useEffect(() => {
    if (items.length < shown.current && focusIsLost()) {
      document.querySelector<HTMLElement>("#main h1[tabindex]")?.focus();
    }
    shown.current = items.length;
  }, [items.length]);
  return (
    <>
      <PageHeader
        title="My access reviews"
        description="Access you are asked to review: keep what the person's job still needs, revoke the rest with a reason."
      />
      {assigned.isPending && <PageLoading label="Loading your reviews" />}
      {assigned.isError && <LoadError error={assigned.error} onRetry={() => assigned.refetch()} />}
      {assigned.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "item")} to decide{assigned.hasNextPage ? " so far" : ""}
        </p>
      )}
      {assigned.isSuccess && items.length === 0 && (
        <EmptyState icon="check" title="Nothing to review">
          <p>When an access review asks you to decide on someone's access, it appears here.</p>
        </EmptyState>
      )}
      {groups.map((group) => (
        <section
          key={group.review.id}
          className="card section"
          aria-labelledby={`review-${group.review.id}`}
        >
          <div className="section-header">
            <h2 id={`review-${group.review.id}`} className="section-title">
              <Link to={`/access/reviews/${group.review.id}`}>{group.review.name}</Link>
            </h2>
            <p className="section-description">
              Due {formatDate(group.review.dueAt)}{" "}
              {isPast(group.review.dueAt) && <Badge tone="danger">Overdue</Badge>}
            </p>
          </div>
          {group.systems.map((system) => (
            <div key={system.id} className="review-group">
              <h3 className="review-group-title">
                {system.name} <span className="muted">({system.items.length})</span>
              </h3>
              <ReviewItemsTable
                reviewId={group.review.id}
                items={system.items}
                label={`${system.name} in ${group.review.name}`}
                showReviewer={false}
              />
            </div>
          ))}
        </section>
      ))}
      <LoadMore
        hasMore={assigned.hasNextPage}
        loading={assigned.isFetchingNextPage}
        onMore={() => assigned.fetchNextPage()}
      />
    </>
  );
}
