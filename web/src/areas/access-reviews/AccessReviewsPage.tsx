// Access review campaigns: every campaign by status, and starting one (?start=<systemId> opens
// the dialog with that system chosen, as the system page's link does).
import "../../styles/access-reviews.css";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField } from "../../ui/Field";
import { formatDate, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { ReviewStatusBadge, STATUS_CHOICES } from "./access-reviews.components";
import { useAccessReviews } from "./access-reviews.queries";
import type { ReviewStatus } from "./access-reviews.types";
import { StartReviewDialog } from "./StartReviewDialog";

export function AccessReviewsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const startFor = params.get("start") ?? undefined;
  const [starting, setStarting] = useState(startFor !== undefined && can("access.manage"));
  const status = (params.get("status") ?? "") as ReviewStatus | "";
  const reviews = useAccessReviews(status || undefined);
  const items = reviews.data?.pages.flatMap((p) => p.items) ?? [];

  function setStatus(value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set("status", value);
    else next.delete("status");
    setParams(next, { replace: true });
  }
  function closeStart() {
    setStarting(false);
    if (startFor) {
      const next = new URLSearchParams(params);
      next.delete("start");
      setParams(next, { replace: true });
    }
  }

  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Campaigns in which system owners confirm that each person's access still fits their job, or revoke it."
        actions={
          <>
            <Link className="button button-secondary" to="/my/access-reviews">
              My reviews
            </Link>
            {can("access.manage") && (
              <button
                type="button"
                className="button button-primary"
                onClick={() => setStarting(true)}
              >
                <Icon name="plus" />
                Start a review
              </button>
            )}
          </>
        }
      />
      <search className="toolbar" aria-label="Filter access reviews">
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any status</option>
          {STATUS_CHOICES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </search>
      {reviews.isPending && <PageLoading label="Loading access reviews" />}
      {reviews.isError && <LoadError error={reviews.error} onRetry={() => reviews.refetch()} />}
      {reviews.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "campaign")}
          {reviews.hasNextPage ? " so far" : ""}
        </p>
      )}
      {reviews.isSuccess && items.length === 0 && (
        <EmptyState icon="access" title="No access reviews">
          <p>Campaigns start on each system's review period, or by hand with “Start a review”.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Access reviews" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Systems</th>
                <th scope="col">Decided</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/access/reviews/${r.id}`}>{r.name}</Link>
                    <div className="cell-secondary">
                      {r.scheduled ? "Scheduled" : "Started"} {formatDate(r.startedAt)}
                    </div>
                  </td>
                  <td>{r.systems.map((s) => s.system.name).join(", ")}</td>
                  <td>
                    {r.counts.decided} of {r.counts.items}
                  </td>
                  <td>{formatDate(r.dueAt)}</td>
                  <td>
                    <ReviewStatusBadge review={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <LoadMore
        hasMore={reviews.hasNextPage}
        loading={reviews.isFetchingNextPage}
        onMore={() => reviews.fetchNextPage()}
      />
      {can("access.manage") && (
        <StartReviewDialog open={starting} initialSystemId={startFor} onClose={closeStart} />
      )}
    </>
  );
}
