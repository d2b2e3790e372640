// A system's access: the people who hold grants (admins marked), and its accounts, unlinked
// ones included, with "Link to person" and "Service account" for those who may act.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { CheckboxField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, utcDay } from "../../ui/format";
import { LoadError, Spinner } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { fetchAll } from "../../ui/pager";
import { useCan } from "../../ui/session";
import { AccountStatus, GrantTable, LoadMore } from "./access-core.components";
import {
  type Account,
  type AccountsFilter,
  accessCoreApi,
  useAccessMutation,
  useAccounts,
  useGrants,
} from "./access-core.queries";

interface PersonOption {
  id: string;
  name: string;
  email: string;
}

/** The active people, to pick an account's person or a service account's owner from. */
function useActivePeople(enabled: boolean) {
  return useQuery({
    queryKey: ["people", "active-options"],
    queryFn: () => fetchAll<PersonOption>("/people", { activeOn: utcDay(), limit: 200 }, 50),
    enabled,
  });
}

function LinkAccountDialog({
  account,
  service,
  onClose,
}: {
  account: Account | null;
  service: boolean;
  onClose: () => void;
}) {
  const listId = useId();
  const people = useActivePeople(account !== null);
  const [text, setText] = useState("");
  const [shared, setShared] = useState(false);
  const link = useAccessMutation(
    (input: { id: string; personId: string }) =>
      accessCoreApi.updateAccount(
        input.id,
        service ? { service: true, ownerId: input.personId } : { personId: input.personId },
      ),
    onClose,
  );
  const markShared = useAccessMutation(
    (id: string) => accessCoreApi.updateAccount(id, { shared: true }),
    onClose,
  );
  const chosen = (people.data ?? []).find((p) => `${p.name} <${p.email}>` === text);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!account) return;
    if (shared && !service) markShared.mutate(account.id);
    else if (chosen) link.mutate({ id: account.id, personId: chosen.id });
  }
  const pending = link.isPending || markShared.isPending;
  return (
    <Modal
      open={account !== null}
      title={
        service
          ? `Register ${account?.username} as a service account`
          : `Link ${account?.username} to a person`
      }
      description={
        service
          ? "A service account is owned by one active person, who answers for it."
          : "An account belongs to exactly one person. An account several people use is shared: record it as such, then replace it."
      }
      onClose={onClose}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={pending}>
        <div className="modal-body">
          <FormAlert error={link.error ?? markShared.error} />
          <div className="field">
            <label className="field-label" htmlFor={`${listId}-input`}>
              {service ? "Owner" : "Person"}
            </label>
            <input
              id={`${listId}-input`}
              className="input"
              list={listId}
              value={text}
              disabled={shared}
              onChange={(event) => setText(event.target.value)}
              placeholder="Type a name"
            />
            <datalist id={listId}>
              {(people.data ?? []).map((p) => (
                <option key={p.id} value={`${p.name} <${p.email}>`} />
              ))}
            </datalist>
          </div>
          {!service && (
            <CheckboxField
              label="Several people use this account (shared)"
              checked={shared}
              onChange={(event) => setShared(event.target.checked)}
            />
          )}
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={pending || (!shared && !chosen)}
          >
            {pending ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function AccountTable({ filter }: { filter: AccountsFilter }) {
  const accounts = useAccounts(filter);
  const [linking, setLinking] = useState<{ account: Account; service: boolean } | null>(null);
  const items = accounts.data?.pages.flatMap((p) => p.items) ?? [];
  if (accounts.isPending) return <Spinner label="Loading accounts" />;
  if (accounts.isError)
    return <LoadError error={accounts.error} onRetry={() => accounts.refetch()} />;
  if (items.length === 0) return <p className="muted">No accounts recorded.</p>;
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" aria-label="Accounts on this system" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Person</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-account-id={a.id}>
                <td>
                  {a.username}
                  {a.email && <div className="cell-secondary">{a.email}</div>}
                </td>
                <td>
                  {a.person ? (
                    <Link to={`/people/${a.person.id}`}>{a.person.name}</Link>
                  ) : (
                    <span className="muted">Nobody</span>
                  )}
                </td>
                <td>
                  <AccountStatus account={a} />
                </td>
                <td>
                  {a.lastLoginAt ? formatDate(a.lastLoginAt) : <span className="muted">—</span>}
                </td>
                <td>
                  {a.mayAct && (a.status === "unlinked" || a.status === "shared") && (
                    <span className="button-row">
                      {a.status === "unlinked" && (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          onClick={() => setLinking({ account: a, service: false })}
                        >
                          Link to person
                        </button>
                      )}
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        onClick={() => setLinking({ account: a, service: true })}
                      >
                        Service account
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <LoadMore
        hasMore={accounts.hasNextPage}
        loading={accounts.isFetchingNextPage}
        onMore={() => accounts.fetchNextPage()}
      />
      <LinkAccountDialog
        key={linking ? `${linking.account.id}-${linking.service}` : "closed"}
        account={linking?.account ?? null}
        service={linking?.service ?? false}
        onClose={() => setLinking(null)}
      />
    </>
  );
}

/** For the system's page (the systems area places it): shown to those with access.read. */
export function SystemAccessSection({ systemId }: { systemId: string }) {
  const can = useCan();
  return can("access.read") ? <SystemAccess systemId={systemId} /> : null;
}

function SystemAccess({ systemId }: { systemId: string }) {
  const grants = useGrants({ systemId, state: "active" });
  const admins = useGrants({ systemId, state: "active", admin: "true" });
  const grantItems = grants.data?.pages.flatMap((p) => p.items) ?? [];
  const adminNames = [
    ...new Set((admins.data?.pages.flatMap((p) => p.items) ?? []).map((g) => g.person.name)),
  ];
  return (
    <section className="card section" aria-labelledby="system-access-heading">
      <div className="section-header">
        <h2 id="system-access-heading" className="section-title">
          Access
        </h2>
        <p className="section-description">
          Who holds access to this system, its administrators, and its accounts.
        </p>
      </div>
      <p>
        <strong>Administrators:</strong>{" "}
        {adminNames.length > 0 ? adminNames.join(", ") : <span className="muted">None</span>}
        {admins.hasNextPage && " …"}
      </p>
      <h3 className="subsection-title">People with access</h3>
      {grants.isPending && <Spinner label="Loading grants" />}
      {grants.isError && <LoadError error={grants.error} onRetry={() => grants.refetch()} />}
      {grants.isSuccess && grantItems.length === 0 && <p className="muted">Nobody holds access.</p>}
      {grantItems.length > 0 && (
        <GrantTable grants={grantItems} label="Grants on this system" show={{ person: true }} />
      )}
      <LoadMore
        hasMore={grants.hasNextPage}
        loading={grants.isFetchingNextPage}
        onMore={() => grants.fetchNextPage()}
      />
      <h3 className="subsection-title">Accounts</h3>
      <AccountTable filter={{ systemId }} />
    </section>
  );
}
