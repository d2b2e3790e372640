// The incident register: every incident the caller may see (a member, those they declared),
// newest first, filtered by status, severity and words; the way to declare one.
import "./incidents.css";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { formatDateTime, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import type { IncidentsFilter } from "./incidents.api";
import {
  ClockText,
  IncidentStatusBadge,
  SEVERITIES,
  SeverityBadge,
  STATUSES,
} from "./incidents.components";
import { useIncidents } from "./incidents.queries";
import type { IncidentSummary } from "./incidents.types";

const EMPTY: IncidentsFilter = { status: "", severity: "", q: "" };

function IncidentFilters({
  initial,
  onApply,
}: {
  initial: IncidentsFilter;
  onApply: (filter: IncidentsFilter) => void;
}) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: EMPTY,
    onApply,
    tidy: (v) => ({ ...v, q: v.q.trim() }),
  });
  return (
    <FilterForm label="Filter incidents" onApply={apply} onClear={clear}>
      <TextField
        label="Search"
        type="search"
        value={values.q}
        hint="Reference or title."
        onChange={(e) => set("q", e.target.value)}
      />
      <SelectField
        label="Status"
        value={values.status}
        onChange={(e) => set("status", e.target.value)}
      >
        <option value="">Any status</option>
        <option value="open">Open (not yet resolved)</option>
        {STATUSES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Severity"
        value={values.severity}
        onChange={(e) => set("severity", e.target.value)}
      >
        <option value="">Any severity</option>
        {SEVERITIES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </SelectField>
    </FilterForm>
  );
}

function IncidentTable({ incidents }: { incidents: IncidentSummary[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Incidents" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Reported</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/incidents/${i.id}`}>
                  {i.reference}: {i.title}
                </Link>
                <div className="cell-secondary">
                  <ClockText incident={i} />
                  {i.customersAffected && (
                    <>
                      {" "}
                      <Badge tone="warning">Customers affected</Badge>
                    </>
                  )}
                </div>
              </td>
              <td>
                <SeverityBadge severity={i.severity} />
              </td>
              <td>
                <IncidentStatusBadge status={i.status} />
              </td>
              <td>{i.owner?.name ?? "Nobody yet"}</td>
              <td>{formatDateTime(i.reportedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function IncidentsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter: IncidentsFilter = {
    status: params.get("status") ?? "",
    severity: params.get("severity") ?? "",
    q: params.get("q") ?? "",
  };
  const incidents = useIncidents(filter);
  const items = incidents.data?.pages.flatMap((p) => p.items) ?? [];
  function onApply(next: IncidentsFilter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value);
    setParams(search);
  }
  const filtered = Boolean(filter.status || filter.severity || filter.q);
  return (
    <>
      <PageHeader
        title="Incidents"
        description={
          can("incidents.read")
            ? "Every incident declared, triaged within its deadline and updated as its severity asks, until resolved and its lessons learned shared."
            : "The incidents you declared. Declare one as soon as you notice something: the security team triages it."
        }
        actions={
          <>
            {can("incidents.read") && (
              <>
                <Link className="button button-secondary" to="/ir-exercises">
                  Exercises of the plan
                </Link>
                <Link className="button button-secondary" to="/lessons">
                  Lessons learned
                </Link>
              </>
            )}
            {can("incidents.declare") && (
              <Link className="button button-primary" to="/incidents/new">
                <Icon name="plus" />
                Declare an incident
              </Link>
            )}
          </>
        }
      />
      <IncidentFilters key={params.toString()} initial={filter} onApply={onApply} />
      {incidents.isPending && <PageLoading label="Loading incidents" />}
      {incidents.isError && (
        <LoadError error={incidents.error} onRetry={() => incidents.refetch()} />
      )}
      {incidents.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "incident")}
          {incidents.hasNextPage ? " so far" : ""}
        </p>
      )}
      {incidents.isSuccess && items.length === 0 && !filtered && (
        <EmptyState icon="incidents" title="No incidents">
          <p>
            Declare an incident when something threatens the security or availability of the service
            or its data: a lost laptop, a phishing click, an outage, a leak.
          </p>
        </EmptyState>
      )}
      {incidents.isSuccess && items.length === 0 && filtered && (
        <p className="muted">No incidents match.</p>
      )}
      {items.length > 0 && <IncidentTable incidents={items} />}
      <LoadMore
        hasMore={incidents.hasNextPage}
        loading={incidents.isFetchingNextPage}
        onMore={() => incidents.fetchNextPage()}
      />
    </>
  );
}
