// The inventory: systems with owner, classification and scope; search, filter, page, add.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { systemsApi } from "./api";
import { CLASSIFICATIONS, classificationLabel, KINDS, kindLabel } from "./labels";
import { systemKeys } from "./queries";
import { SystemDialog } from "./SystemDialog";
import type { System, SystemsFilter } from "./types";

const FILTERS = ["q", "kind", "classification", "production", "customerData", "archived"] as const;
type FilterValues = Record<(typeof FILTERS)[number], string>;
const EMPTY: FilterValues = {
  q: "",
  kind: "",
  classification: "",
  production: "",
  customerData: "",
  archived: "",
};

function SystemsTable({ systems }: { systems: System[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Systems list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Owner</th>
            <th scope="col">Classification</th>
            <th scope="col">Scope</th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => (
            <tr key={s.id}>
              <td>
                <div className="cell-primary">
                  <Link to={`/systems/${s.id}`}>{s.name}</Link>
                </div>
                <div className="cell-secondary">{kindLabel(s.kind)}</div>
              </td>
              <td>
                {s.ownerId ? (
                  <>
                    <Link to={`/people/${s.ownerId}`}>{s.ownerName}</Link>
                    {!s.ownerActive && <span className="badge badge-danger">Not active</span>}
                  </>
                ) : (
                  <span className="badge badge-danger">No owner</span>
                )}
              </td>
              <td>
                {s.classification ? (
                  classificationLabel(s.classification)
                ) : (
                  <span className="badge badge-warning">Unclassified</span>
                )}
              </td>
              <td>
                {[
                  s.production && "Production",
                  s.customerData && "Customer data",
                  s.internetFacing && "Internet-facing",
                ]
                  .filter(Boolean)
                  .join(", ") || <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SystemsFilters({
  initial,
  onApply,
}: {
  initial: FilterValues;
  onApply: (v: FilterValues) => void;
}) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: EMPTY,
    onApply,
    tidy: (v) => ({ ...v, q: v.q.trim() }),
  });
  const yesNo = (name: "production" | "customerData", label: string) => (
    <SelectField label={label} value={values[name]} onChange={(e) => set(name, e.target.value)}>
      <option value="">Either</option>
      <option value="true">Yes</option>
      <option value="false">No</option>
    </SelectField>
  );
  return (
    <FilterForm label="Filter systems" onApply={apply} onClear={clear}>
      <TextField
        label="Name"
        type="search"
        value={values.q}
        onChange={(e) => set("q", e.target.value)}
      />
      <SelectField label="Kind" value={values.kind} onChange={(e) => set("kind", e.target.value)}>
        <option value="">All kinds</option>
        {KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Classification"
        value={values.classification}
        onChange={(e) => set("classification", e.target.value)}
      >
        <option value="">All</option>
        <option value="none">Unclassified</option>
        {CLASSIFICATIONS.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </SelectField>
      {yesNo("production", "Production")}
      {yesNo("customerData", "Customer data")}
      <SelectField
        label="Show"
        value={values.archived}
        onChange={(e) => set("archived", e.target.value)}
      >
        <option value="">Listed systems</option>
        <option value="true">Archived systems</option>
      </SelectField>
    </FilterForm>
  );
}

export function SystemsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
  const applied = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as FilterValues;
  const filter = Object.fromEntries(
    Object.entries(applied).filter(([, v]) => v !== ""),
  ) as SystemsFilter;
  const systems = useInfiniteQuery({
    queryKey: systemKeys.list(filter),
    queryFn: ({ pageParam }) => systemsApi.systems(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function apply(values: FilterValues) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
    setParams(next, { replace: true });
  }

  const items = systems.data?.pages.flatMap((p) => p.items) ?? [];
  const manage = can("systems.manage");
  return (
    <>
      <PageHeader
        title="Systems"
        description="The inventory of systems, components and data stores: who owns each, how its data is classified, and what is in scope."
        actions={
          <>
            <Link className="button button-secondary" to="/systems/review">
              Inventory review
            </Link>
            {manage && (
              <button
                type="button"
                className="button button-primary"
                onClick={() => setAdding(true)}
              >
                <Icon name="plus" />
                New system
              </button>
            )}
          </>
        }
      />
      <SystemsFilters key={params.toString()} initial={applied} onApply={apply} />
      {systems.isPending && <PageLoading label="Loading systems" />}
      {systems.isError && <LoadError error={systems.error} onRetry={() => systems.refetch()} />}
      {systems.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "system")}
          {systems.hasNextPage ? " so far" : ""}
        </p>
      )}
      {systems.isSuccess && items.length === 0 && (
        <EmptyState icon="systems" title="No systems match">
          <p>Add the systems you run, or change the filters.</p>
        </EmptyState>
      )}
      {items.length > 0 && <SystemsTable systems={items} />}
      {systems.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => systems.fetchNextPage()}
            disabled={systems.isFetchingNextPage}
          >
            {systems.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      {manage && (
        <SystemDialog
          system={adding ? null : undefined}
          onClose={(saved) => {
            setAdding(false);
            if (saved) navigate(`/systems/${saved.id}`);
          }}
        />
      )}
    </>
  );
}
