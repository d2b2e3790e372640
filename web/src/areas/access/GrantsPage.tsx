// Every grant of the organization, paged from the server, filtered by state, admin, basis and
// least-privilege's flag (and by system or person through the URL: ?systemId=, ?personId=).
import { Link, useSearchParams } from "react-router";
import { SelectField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { GrantTable, LoadMore } from "./access-core.components";
import { type GrantsFilter, useGrants } from "./access-core.queries";

interface Filter {
  state: NonNullable<GrantsFilter["state"]>;
  admin: NonNullable<GrantsFilter["admin"]>;
  basis: NonNullable<GrantsFilter["basis"]>;
  flagged: NonNullable<GrantsFilter["flagged"]>;
}

const EMPTY: Filter = { state: "active", admin: "", basis: "", flagged: "" };

const BASES: { value: Filter["basis"]; label: string }[] = [
  { value: "", label: "Any basis" },
  { value: "role_rule", label: "Role rule" },
  { value: "request", label: "Access request" },
  { value: "exception", label: "Exception" },
  { value: "imported", label: "Imported" },
  { value: "manual", label: "Given by hand" },
];

function GrantFilters({ initial, onApply }: { initial: Filter; onApply: (f: Filter) => void }) {
  const { values, set, apply, clear } = useFilterValues(initial, { empty: EMPTY, onApply });
  return (
    <FilterForm label="Filter grants" onApply={apply} onClear={clear}>
      <SelectField
        label="State"
        value={values.state}
        onChange={(e) => set("state", e.target.value as Filter["state"])}
      >
        <option value="active">Active</option>
        <option value="pending">Pending</option>
        <option value="revoked">Revoked or cancelled</option>
        <option value="all">All</option>
      </SelectField>
      <SelectField
        label="Admin"
        value={values.admin}
        onChange={(e) => set("admin", e.target.value as Filter["admin"])}
      >
        <option value="">Admin or not</option>
        <option value="true">Admin only</option>
        <option value="false">Not admin</option>
      </SelectField>
      <SelectField
        label="Basis"
        value={values.basis}
        onChange={(e) => set("basis", e.target.value as Filter["basis"])}
      >
        {BASES.map((b) => (
          <option key={b.value} value={b.value}>
            {b.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Least privilege"
        value={values.flagged}
        onChange={(e) => set("flagged", e.target.value as Filter["flagged"])}
      >
        <option value="">Flagged or not</option>
        <option value="true">Flagged only</option>
      </SelectField>
    </FilterForm>
  );
}

export function GrantsPage() {
  const [params, setParams] = useSearchParams();
  const filter: Filter = {
    state: (params.get("state") as Filter["state"]) || "active",
    admin: (params.get("admin") as Filter["admin"]) || "",
    basis: (params.get("basis") as Filter["basis"]) || "",
    flagged: (params.get("flagged") as Filter["flagged"]) || "",
  };
  const systemId = params.get("systemId") ?? undefined;
  const personId = params.get("personId") ?? undefined;
  const grants = useGrants({
    ...filter,
    ...(systemId ? { systemId } : {}),
    ...(personId ? { personId } : {}),
  });
  function onApply(next: Filter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...next, systemId, personId })) {
      if (value) search.set(key, value);
    }
    setParams(search);
  }
  const items = grants.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Grants"
        eyebrow="Access"
        description="Who holds which role on which system, what justifies it, and what least privilege flags: no role rule or approved request behind it, admin beyond its rule, or an expired exception."
        actions={
          <Link className="button button-secondary" to="/access/role-rules">
            Role rules
          </Link>
        }
      />
      <GrantFilters key={params.toString()} initial={filter} onApply={onApply} />
      {grants.isPending && <PageLoading label="Loading grants" />}
      {grants.isError && <LoadError error={grants.error} onRetry={() => grants.refetch()} />}
      {grants.isSuccess && items.length === 0 && <p className="muted">No grants match.</p>}
      {items.length > 0 && <GrantTable grants={items} label="Grants" />}
      <LoadMore
        hasMore={grants.hasNextPage}
        loading={grants.isFetchingNextPage}
        onMore={() => grants.fetchNextPage()}
      />
    </>
  );
}
