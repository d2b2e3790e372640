// The key registry's shared pieces: a key's status, and the table of keys.
import { Link } from "react-router";
import { formatDate, formatDay } from "../../ui/format";
import { Badge } from "../../ui/StatusBadge";
import { type AccessKey, KIND_LABELS } from "./keys.queries";

export function KeyStatus({ accessKey }: { accessKey: Pick<AccessKey, "status" | "person"> }) {
  if (accessKey.status === "revoked") return <Badge>Revoked</Badge>;
  if (!accessKey.person.active) return <Badge tone="danger">Owner not active</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export function KeyTable({
  keys,
  label,
  showPerson = true,
}: {
  keys: AccessKey[];
  label: string;
  showPerson?: boolean;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            {showPerson && <th scope="col">Person</th>}
            <th scope="col">Systems</th>
            <th scope="col">Made</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>
                <Link to={`/access-keys/${key.id}`}>{key.name}</Link>
                <div className="muted">
                  {KIND_LABELS[key.kind]} · {key.keyType}
                </div>
                <div className="mono break muted">{key.fingerprint}</div>
              </td>
              {showPerson && (
                <td>
                  <Link to={`/people/${key.person.id}`}>{key.person.name}</Link>
                </td>
              )}
              <td>
                {key.systems.length === 0 ? (
                  <span className="muted">None</span>
                ) : (
                  key.systems.map((s, i) => (
                    <span key={s.id}>
                      {i > 0 && ", "}
                      <Link to={`/systems/${s.id}`}>{s.name}</Link>
                    </span>
                  ))
                )}
              </td>
              <td>{formatDay(key.createdOn)}</td>
              <td>
                <KeyStatus accessKey={key} />
                {key.revokedAt && <div className="muted">{formatDate(key.revokedAt)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
