// A person's access across systems: their grants (with revoke for those allowed) and accounts.
import { Link } from "react-router";
import { formatDate } from "../../ui/format";
import { LoadError, Spinner } from "../../ui/Loading";
import { useCan } from "../../ui/session";
import { AccountStatus, GrantTable, LoadMore } from "./access-core.components";
import { useAccounts, useGrants } from "./access-core.queries";

/** For the person's page: shown to those who may read access (access.read). */
export function PersonAccessSection({ personId }: { personId: string }) {
  const can = useCan();
  return can("access.read") ? <PersonAccess personId={personId} /> : null;
}

function PersonAccess({ personId }: { personId: string }) {
  const grants = useGrants({ personId, state: "all" });
  const accounts = useAccounts({ personId });
  const grantItems = grants.data?.pages.flatMap((p) => p.items) ?? [];
  const accountItems = accounts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card section" aria-labelledby="person-access-heading">
      <div className="section-header">
        <h2 id="person-access-heading" className="section-title">
          Access
        </h2>
        <p className="section-description">
          Every grant and account this person holds, on every system.
        </p>
      </div>
      <h3 className="subsection-title">Grants</h3>
      {grants.isPending && <Spinner label="Loading grants" />}
      {grants.isError && <LoadError error={grants.error} onRetry={() => grants.refetch()} />}
      {grants.isSuccess && grantItems.length === 0 && <p className="muted">No grants.</p>}
      {grantItems.length > 0 && (
        <GrantTable grants={grantItems} label="Grants of this person" show={{ system: true }} />
      )}
      <LoadMore
        hasMore={grants.hasNextPage}
        loading={grants.isFetchingNextPage}
        onMore={() => grants.fetchNextPage()}
      />
      <h3 className="subsection-title">Accounts</h3>
      {accounts.isPending && <Spinner label="Loading accounts" />}
      {accounts.isError && <LoadError error={accounts.error} onRetry={() => accounts.refetch()} />}
      {accounts.isSuccess && accountItems.length === 0 && <p className="muted">No accounts.</p>}
      {accountItems.length > 0 && (
        <ul className="plain-list">
          {accountItems.map((a) => (
            <li key={a.id}>
              <Link to={`/systems/${a.system.id}`}>{a.system.name}</Link>: {a.username}{" "}
              <AccountStatus account={a} />
              {a.lastLoginAt && (
                <span className="muted"> · last sign-in {formatDate(a.lastLoginAt)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={accounts.hasNextPage}
        loading={accounts.isFetchingNextPage}
        onMore={() => accounts.fetchNextPage()}
      />
    </section>
  );
}
