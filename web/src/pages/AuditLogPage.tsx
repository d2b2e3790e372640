// The audit log: every change, who made it and when, newest first, paged by cursor.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { api } from "../api";
import { AuditEventItem } from "../components/AuditEventItem";
import { AuditFilters, type AuditFilterValues } from "../components/AuditFilters";
import { EmptyState } from "../components/EmptyState";
import { LoadError, PageLoading } from "../components/Loading";
import { PageHeader } from "../components/PageHeader";
import { endOfDayIso, startOfDayIso } from "../format";
import { keys } from "../queries";
import type { AuditFilters as ApiFilters } from "../types";

const FILTER_NAMES = ["action", "actorId", "from", "to"] as const;

function toApiFilters(values: AuditFilterValues): ApiFilters {
  return {
    action: values.action || undefined,
    actorId: values.actorId || undefined,
    from: values.from ? startOfDayIso(values.from) : undefined,
    to: values.to ? endOfDayIso(values.to) : undefined,
  };
}

export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const values: AuditFilterValues = {
    action: params.get("action") ?? "",
    actorId: params.get("actorId") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const filters = toApiFilters(values);
  const events = useInfiniteQuery({
    queryKey: keys.audit(filters),
    queryFn: ({ pageParam }) => api.auditEvents(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function apply(next: AuditFilterValues) {
    const search = new URLSearchParams();
    for (const name of FILTER_NAMES) if (next[name]) search.set(name, next[name]);
    setParams(search);
  }

  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = FILTER_NAMES.some((name) => values[name]);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in Attest, who made it and when. The log is append-only and hash-chained, so tampering is detectable."
      />
      <AuditFilters key={params.toString()} initial={values} onApply={apply} />
      {events.isPending && <PageLoading label="Loading audit events" />}
      {events.isError && <LoadError error={events.error} onRetry={() => events.refetch()} />}
      {events.isSuccess && items.length === 0 && (
        <EmptyState
          icon="audit"
          title={filtered ? "No events match these filters" : "No events yet"}
        >
          <p>
            {filtered
              ? "Widen the date range or clear the filters."
              : "Changes made in Attest appear here."}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <>
          <div className="event-header" aria-hidden="true">
            <span>Time</span>
            <span>Action</span>
            <span>Actor</span>
            <span>Target</span>
          </div>
          <ol className="event-list" aria-label="Audit events">
            {items.map((event) => (
              <AuditEventItem key={event.id} event={event} />
            ))}
          </ol>
        </>
      )}
      {events.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => events.fetchNextPage()}
            disabled={events.isFetchingNextPage}
          >
            {events.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      {events.isFetchNextPageError && (
        <LoadError error={events.error} onRetry={() => events.fetchNextPage()} />
      )}
    </>
  );
}
