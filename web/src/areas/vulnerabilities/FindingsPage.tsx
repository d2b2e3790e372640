// The findings of every system, scanners' and pentests': filtered (system, severity, status,
// SLA, source, assignee, search), ordered by deadline then severity, paged.
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { fetchAll } from "../../ui/pager";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { FindingTable } from "./findings.components";
import {
  type FindingsFilter,
  SEVERITY_LABELS,
  STATUS_LABELS,
  useFindings,
  useTriagePeople,
} from "./findings.queries";

interface Filter {
  systemId: string;
  severity: string;
  status: string;
  sla: "" | "overdue" | "due_soon";
  source: "" | "scan" | "pentest";
  assigneeId: string;
  q: string;
}

const EMPTY: Filter = {
  systemId: "",
  severity: "",
  status: "",
  sla: "",
  source: "",
  assigneeId: "",
  q: "",
};
/** What the page shows unless told otherwise: the findings that count against a deadline. */
const COUNTING = "open,risk_accepted";

function FindingFilters({ initial, onApply }: { initial: Filter; onApply: (f: Filter) => void }) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: { ...EMPTY, status: COUNTING },
    onApply,
    tidy: (v) => ({ ...v, q: v.q.trim() }),
  });
  const systems = useQuery({
    queryKey: ["systems", "finding-options"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/systems", { limit: 200 }, 20),
  });
  const people = useTriagePeople();
  return (
    <FilterForm label="Filter findings" onApply={apply} onClear={clear}>
      <TextField
        label="Search"
        type="search"
        value={values.q}
        hint="Title, CVE or other id, package or file."
        onChange={(e) => set("q", e.target.value)}
      />
      <SelectField
        label="System"
        value={values.systemId}
        onChange={(e) => set("systemId", e.target.value)}
      >
        <option value="">Any system</option>
        {(systems.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Severity"
        value={values.severity}
        onChange={(e) => set("severity", e.target.value)}
      >
        <option value="">Any severity</option>
        <option value="critical,high">Critical or high</option>
        {Object.entries(SEVERITY_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Status"
        value={values.status}
        onChange={(e) => set("status", e.target.value)}
      >
        <option value={COUNTING}>Open or risk accepted</option>
        <option value="">Any status</option>
        {Object.entries(STATUS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Deadline"
        value={values.sla}
        onChange={(e) => set("sla", e.target.value as Filter["sla"])}
      >
        <option value="">Any</option>
        <option value="overdue">Overdue</option>
        <option value="due_soon">Due soon</option>
      </SelectField>
      <SelectField
        label="Source"
        value={values.source}
        onChange={(e) => set("source", e.target.value as Filter["source"])}
      >
        <option value="">Scanners and pentests</option>
        <option value="scan">Scanners</option>
        <option value="pentest">Pentests</option>
      </SelectField>
      <SelectField
        label="Assignee"
        value={values.assigneeId}
        onChange={(e) => set("assigneeId", e.target.value)}
      >
        <option value="">Anyone</option>
        {(people.data?.items ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
    </FilterForm>
  );
}

export function FindingsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter: Filter = {
    systemId: params.get("systemId") ?? "",
    severity: params.get("severity") ?? "",
    status: params.has("status") ? (params.get("status") ?? "") : COUNTING,
    sla: (params.get("sla") as Filter["sla"]) || "",
    source: (params.get("source") as Filter["source"]) || "",
    assigneeId: params.get("assigneeId") ?? "",
    q: params.get("q") ?? "",
  };
  const pentestId = params.get("pentestId") ?? "";
  const query: FindingsFilter = { ...filter, ...(pentestId ? { pentestId } : {}) };
  const findings = useFindings(query);
  function onApply(next: Filter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...next, pentestId })) {
      if (key === "status" ? value !== COUNTING : value) search.set(key, value);
    }
    setParams(search);
  }
  const items = findings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Vulnerabilities"
        description="Findings of the scanners and penetration tests, each due a fix by its severity's deadline from when it was first detected."
        actions={
          <>
            <Link className="button button-secondary" to="/vulnerabilities/acceptances">
              Risk acceptances
            </Link>
            <Link className="button button-secondary" to="/vulnerabilities/imports">
              Imports
            </Link>
            {can("vulnerabilities.manage") && (
              <Link className="button button-primary" to="/vulnerabilities/import">
                <Icon name="plus" />
                Import a scan
              </Link>
            )}
          </>
        }
      />
      <FindingFilters key={params.toString()} initial={filter} onApply={onApply} />
      {findings.isPending && <PageLoading label="Loading findings" />}
      {findings.isError && <LoadError error={findings.error} onRetry={() => findings.refetch()} />}
      {findings.isSuccess && items.length === 0 && <p className="muted">No findings match.</p>}
      {items.length > 0 && <FindingTable findings={items} label="Findings" />}
      <LoadMore
        hasMore={findings.hasNextPage}
        loading={findings.isFetchingNextPage}
        onMore={() => findings.fetchNextPage()}
      />
    </>
  );
}
