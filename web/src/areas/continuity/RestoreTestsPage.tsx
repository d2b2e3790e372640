// Restore tests: each backed-up system with its last successful restore test and the day the
// next is due, then every restore test recorded, the latest first, filtered by result.
import "./continuity.css";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { formatDay, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import type { RestoreTestsFilter } from "./continuity.api";
import { RESULTS, ResultBadge, StandingBadge } from "./continuity.components";
import { useBackedUpSystems, useInventory, useRestoreTests } from "./continuity.queries";

const EMPTY: RestoreTestsFilter = { result: "", systemId: "" };

function BackedUpSystems() {
  const can = useCan();
  const systems = useBackedUpSystems();
  if (systems.isPending) return <PageLoading label="Loading backed-up systems" />;
  if (systems.isError) {
    return <LoadError error={systems.error} onRetry={() => systems.refetch()} />;
  }
  const items = systems.data.items;
  return (
    <section className="section" aria-labelledby="backed-up-heading">
      <h2 className="section-title" id="backed-up-heading">
        Backed-up systems
      </h2>
      {items.length === 0 ? (
        <p className="muted">
          No system of the inventory is marked as backed up: mark those whose data you back up on
          their page in <Link to="/systems">Systems</Link>.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <div className="table-wrap" tabIndex={0}>
          <table className="table" aria-label="Backed-up systems">
            <thead>
              <tr>
                <th scope="col">System</th>
                <th scope="col">Status</th>
                <th scope="col">Last successful test</th>
                <th scope="col">Next due by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.system.id}>
                  <td>
                    <Link to={`/systems/${s.system.id}`}>{s.system.name}</Link>
                  </td>
                  <td>
                    <StandingBadge system={s} />
                  </td>
                  <td>{s.lastSuccessfulOn ? formatDay(s.lastSuccessfulOn) : "None"}</td>
                  <td>{s.nextDueOn ? formatDay(s.nextDueOn) : "Now"}</td>
                  <td>
                    {can("continuity.manage") && (
                      <Link
                        to={`/continuity/restore-tests/new?system=${s.system.id}`}
                        aria-label={`Record a restore test of ${s.system.name}`}
                      >
                        Record a test
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RestoreTests({ filter }: { filter: RestoreTestsFilter }) {
  const tests = useRestoreTests(filter);
  const items = tests.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {tests.isPending && <PageLoading label="Loading restore tests" />}
      {tests.isError && <LoadError error={tests.error} onRetry={() => tests.refetch()} />}
      {tests.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "restore test")}
          {tests.hasNextPage ? " so far" : ""}
        </p>
      )}
      {tests.isSuccess && items.length === 0 && (
        <EmptyState icon="systems" title="No restore tests">
          <p>
            Restore a backup into a non-production environment, check the restored data, and record
            what you found here, at least once a year for every backed-up system.
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Restore tests" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Performed</th>
                <th scope="col">System</th>
                <th scope="col">Restored into</th>
                <th scope="col">By</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/continuity/restore-tests/${r.id}`}>{formatDay(r.performedOn)}</Link>
                  </td>
                  <td>{r.system.name}</td>
                  <td>{r.restoredInto}</td>
                  <td>{r.automated ? "Attest (automated)" : (r.performedBy?.name ?? "")}</td>
                  <td>
                    <ResultBadge result={r.result} withdrawn={r.withdrawnAt !== null} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <LoadMore
        hasMore={tests.hasNextPage}
        loading={tests.isFetchingNextPage}
        onMore={() => tests.fetchNextPage()}
      />
    </>
  );
}

export function RestoreTestsPage() {
  const can = useCan();
  const inventory = useInventory();
  const [params, setParams] = useSearchParams();
  const filter: RestoreTestsFilter = {
    result: params.get("result") ?? "",
    systemId: params.get("system") ?? "",
  };
  const { values, set, apply, clear } = useFilterValues(filter, {
    empty: EMPTY,
    onApply: (next) => {
      const query: Record<string, string> = {};
      if (next.result) query.result = next.result;
      if (next.systemId) query.system = next.systemId;
      setParams(query);
    },
  });
  return (
    <>
      <PageHeader
        title="Restore tests"
        description="Backups proven by restores: every backed-up system restored into a non-production environment, its integrity checked, at least once a year."
        actions={
          can("continuity.manage") && (
            <Link className="button button-primary" to="/continuity/restore-tests/new">
              <Icon name="plus" />
              Record a restore test
            </Link>
          )
        }
      />
      <BackedUpSystems />
      <h2 className="section-title">Tests recorded</h2>
      <FilterForm label="Filter restore tests" onApply={apply} onClear={clear}>
        <SelectField
          label="System"
          value={values.systemId}
          onChange={(e) => set("systemId", e.target.value)}
        >
          <option value="">Any system</option>
          {(inventory.data?.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Result"
          value={values.result}
          onChange={(e) => set("result", e.target.value)}
        >
          <option value="">Any result</option>
          {RESULTS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </FilterForm>
      <RestoreTests key={`${filter.result}/${filter.systemId}`} filter={filter} />
    </>
  );
}
