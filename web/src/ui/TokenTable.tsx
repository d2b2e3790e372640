// A table of bearer tokens (API tokens, SCIM tokens): name, created, last used, status, and a
// Revoke button for those still active.
import { formatDate, formatDateTime } from "./format";
import { Badge } from "./StatusBadge";

export interface ListedToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null | undefined;
  revokedAt?: string | null | undefined;
}

export function TokenTable<T extends ListedToken>({
  tokens,
  onRevoke,
  label,
  empty,
}: {
  tokens: T[];
  onRevoke: (token: T) => void;
  /** The table's accessible name. */
  label: string;
  /** What stands instead of an empty table. */
  empty: string;
}) {
  if (tokens.length === 0) return <p className="muted">{empty}</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td className="cell-primary">{token.name}</td>
              <td>{formatDate(token.createdAt)}</td>
              <td>
                {token.lastUsedAt ? (
                  formatDateTime(token.lastUsedAt)
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td>
                {token.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}
              </td>
              <td className="cell-actions">
                {!token.revokedAt && (
                  <button
                    type="button"
                    className="button button-ghost-danger button-small"
                    onClick={() => onRevoke(token)}
                  >
                    Revoke<span className="visually-hidden"> {token.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
