// Pieces the access pages and sections share: the grants table with its revoke dialog, the
// accounts table, and "Load more" for a paged list.
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate } from "../../ui/format";
import { Modal } from "../../ui/Modal";
import { Badge, type Tone } from "../../ui/StatusBadge";
import { type Account, accessCoreApi, type Grant, useAccessMutation } from "./access-core.queries";

const FLAGS: Record<NonNullable<Grant["flag"]>, string> = {
  unjustified: "Unjustified",
  broader_than_rule: "Broader than its rule",
  exception_expired: "Exception expired",
};

const JUSTIFICATIONS: Record<NonNullable<Grant["justification"]>, string> = {
  role_rule: "Role rule",
  request: "Access request",
  exception: "Exception",
};

const STATES: Record<Grant["state"], { label: string; tone: Tone }> = {
  active: { label: "Active", tone: "success" },
  pending: { label: "Pending", tone: "info" },
  revoked: { label: "Revoked", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function GrantJustification({ grant }: { grant: Grant }) {
  if (grant.flag) return <Badge tone="danger">{FLAGS[grant.flag]}</Badge>;
  if (grant.justification) return <span>{JUSTIFICATIONS[grant.justification]}</span>;
  return <span className="muted">—</span>;
}

export function LoadMore({
  hasMore,
  loading,
  onMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  if (!hasMore) return null;
  return (
    <div className="load-more">
      <button type="button" className="button button-secondary" onClick={onMore} disabled={loading}>
        {loading ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}

function RevokeDialog({ grant, onClose }: { grant: Grant | null; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const revoke = useAccessMutation(
    (g: Grant) => accessCoreApi.revoke(g.id, reason),
    () => {
      setReason("");
      onClose();
    },
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (grant) revoke.mutate(grant);
  }
  return (
    <Modal
      open={grant !== null}
      title={`Revoke ${grant?.systemRole ?? ""} on ${grant?.system.name ?? ""}?`}
      description={grant ? `${grant.person.name} loses this access from now on.` : undefined}
      onClose={() => {
        revoke.reset();
        onClose();
      }}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={revoke.isPending}>
        <div className="modal-body">
          <FormAlert error={revoke.error} />
          <TextAreaField
            label="Reason"
            required
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={revoke.isPending}>
            {revoke.isPending ? "Revoking…" : "Revoke"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Grants as a table; `show` picks the person or the system column (or both). */
export function GrantTable({
  grants,
  label,
  show = { person: true, system: true },
}: {
  grants: Grant[];
  label: string;
  show?: { person?: boolean; system?: boolean };
}) {
  const [revoking, setRevoking] = useState<Grant | null>(null);
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" aria-label={label} tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              {show.person && <th scope="col">Person</th>}
              {show.system && <th scope="col">System</th>}
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Justified by</th>
              <th scope="col">Granted</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr key={g.id} data-grant-id={g.id}>
                {show.person && (
                  <td>
                    <Link to={`/people/${g.person.id}`}>{g.person.name}</Link>
                    <div className="cell-secondary">{g.person.reference}</div>
                  </td>
                )}
                {show.system && (
                  <td>
                    <Link to={`/systems/${g.system.id}`}>{g.system.name}</Link>
                  </td>
                )}
                <td>
                  {g.systemRole}
                  {g.admin && <Badge tone="warning">Admin</Badge>}
                </td>
                <td>
                  <Badge tone={STATES[g.state].tone}>{STATES[g.state].label}</Badge>
                </td>
                <td>
                  <GrantJustification grant={g} />
                  {g.exception && (
                    <div className="cell-secondary">
                      Exception until {formatDate(g.exception.expiresAt)}: {g.exception.reason}
                    </div>
                  )}
                </td>
                <td>
                  {g.grantedAt ? formatDate(g.grantedAt) : <span className="muted">Not yet</span>}
                  {g.revokedAt && (
                    <div className="cell-secondary">Revoked {formatDate(g.revokedAt)}</div>
                  )}
                </td>
                <td>
                  {g.mayAct && (g.state === "active" || g.state === "pending") && (
                    <button
                      type="button"
                      className="button button-ghost-danger button-small"
                      onClick={() => setRevoking(g)}
                    >
                      Revoke
                      <span className="visually-hidden">
                        {" "}
                        {g.systemRole} of {g.person.name} on {g.system.name}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <RevokeDialog grant={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

const ACCOUNT_STATUS: Record<Account["status"], { label: string; tone: Tone }> = {
  linked: { label: "Linked", tone: "success" },
  service: { label: "Service account", tone: "info" },
  unlinked: { label: "Unlinked", tone: "warning" },
  shared: { label: "Shared", tone: "danger" },
  removed: { label: "Removed", tone: "neutral" },
};

export function AccountStatus({ account }: { account: Account }) {
  const { label, tone } = ACCOUNT_STATUS[account.status];
  return <Badge tone={tone}>{label}</Badge>;
}
