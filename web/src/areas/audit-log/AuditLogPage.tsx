// The audit log: every change in words, who made it and when, newest first, paged by cursor;
// filtered by action, actor and dates; exported (filtered) as CSV or JSON lines.
import { useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { endOfDayIso, startOfDayIso } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { AuditEventItem } from "./AuditEventItem";
import { AuditFilters, type AuditFilterValues } from "./AuditFilters";
import { type AuditQuery, auditExportUrl, useAuditEvents } from "./queries";
import "../../styles/audit.css";

const FILTER_NAMES = ["action", "actorId", "from", "to"] as const;

function toQuery(values: AuditFilterValues): AuditQuery {
  return {
    action: values.action || undefined,
    actorId: values.actorId || undefined,
    from: values.from ? startOfDayIso(values.from) : undefined,
    to: values.to ? endOfDayIso(values.to) : undefined,
  };
}

function ExportLinks({ query }: { query: AuditQuery }) {
  return (
    <div className="audit-exports">
      <a className="button button-secondary" href={auditExportUrl("csv", query)} download>
        Export CSV
      </a>
      <a className="button button-secondary" href={auditExportUrl("jsonl", query)} download>
        Export JSON lines
      </a>
    </div>
  );
}

export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const values: AuditFilterValues = {
    action: params.get("action") ?? "",
    actorId: params.get("actorId") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const query = toQuery(values);
  const events = useAuditEvents(query);

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
        description="Every change in Attest, who made it and when. The log is append-only and hash-chained; the exports carry the chain so an auditor can verify them outside Attest."
        actions={<ExportLinks query={query} />}
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
        <ol className="audit-list" aria-label="Audit events">
          {items.map((event) => (
            <AuditEventItem key={event.id} event={event} />
          ))}
        </ol>
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
