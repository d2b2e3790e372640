// The customers: each with its contract, retention and where its data stands once the contract
// ended (disposal due, overdue, complete), filtered by status and words; the ways to add them
// (one on the new customer page, many from a CSV).
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { formatDay, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { type CustomersFilter, useCustomers } from "./customers.api";
import { CustomerStatusBadge, STATUSES } from "./customers.components";
import type { CustomerSummary } from "./customers.types";

const EMPTY: CustomersFilter = { status: "", q: "" };

function Filters({
  initial,
  onApply,
}: {
  initial: CustomersFilter;
  onApply: (filter: CustomersFilter) => void;
}) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: EMPTY,
    onApply,
    tidy: (v) => ({ ...v, q: v.q.trim() }),
  });
  return (
    <FilterForm label="Filter customers" onApply={apply} onClear={clear}>
      <TextField
        label="Search"
        type="search"
        value={values.q}
        hint="Name or reference."
        onChange={(e) => set("q", e.target.value)}
      />
      <SelectField
        label="Status"
        value={values.status}
        onChange={(e) => set("status", e.target.value)}
      >
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </SelectField>
    </FilterForm>
  );
}

function retentionText(c: CustomerSummary): string {
  if (!c.retention) return "None recorded";
  return `${plural(c.retention.days, "day")}${c.retention.basis === "policy" ? " (default)" : ""}`;
}

function CustomerTable({ customers }: { customers: CustomerSummary[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Customers" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Contract</th>
            <th scope="col">Retention</th>
            <th scope="col">Disposal deadline</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/customers/${c.id}`}>{c.name}</Link>
                {c.reference && <div className="cell-secondary">{c.reference}</div>}
              </td>
              <td>
                <CustomerStatusBadge status={c.status} />
              </td>
              <td>
                {formatDay(c.contractStart)} –{" "}
                {c.contractEnd ? formatDay(c.contractEnd) : "running"}
              </td>
              <td>{retentionText(c)}</td>
              <td>{c.disposalDeadline ? formatDay(c.disposalDeadline) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CustomersPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter: CustomersFilter = { status: params.get("status") ?? "", q: params.get("q") ?? "" };
  const customers = useCustomers(filter);
  const items = customers.data?.pages.flatMap((p) => p.items) ?? [];
  function onApply(next: CustomersFilter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value);
    setParams(search);
  }
  const filtered = Boolean(filter.status || filter.q);
  return (
    <>
      <PageHeader
        title="Customers"
        description="Each customer's contract, the retention of its data agreed with it (or the default applied), the data stores holding it, and its disposal once the contract ends."
        actions={
          can("customers.manage") && (
            <>
              <Link className="button button-secondary" to="/customers/import">
                Import customers
              </Link>
              <Link className="button button-primary" to="/customers/new">
                New customer
              </Link>
            </>
          )
        }
      />
      <Filters key={params.toString()} initial={filter} onApply={onApply} />
      {customers.isPending && <PageLoading label="Loading customers" />}
      {customers.isError && (
        <LoadError error={customers.error} onRetry={() => customers.refetch()} />
      )}
      {customers.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "customer")}
          {customers.hasNextPage ? " so far" : ""}
        </p>
      )}
      {customers.isSuccess && items.length === 0 && !filtered && (
        <EmptyState icon="people" title="No customers">
          <p>
            Add a customer, or import your customers from a CSV: name, reference, contract dates,
            retention, data stores.
          </p>
        </EmptyState>
      )}
      {customers.isSuccess && items.length === 0 && filtered && (
        <p className="muted">No customers match.</p>
      )}
      {items.length > 0 && <CustomerTable customers={items} />}
      <LoadMore
        hasMore={customers.hasNextPage}
        loading={customers.isFetchingNextPage}
        onMore={() => customers.fetchNextPage()}
      />
    </>
  );
}
