// The trust center's publication: online or not, unpublished changes, take offline, history.
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { Badge } from "../../ui/StatusBadge";
import { useTrustCenterMutations } from "./queries";
import type { TrustCenter } from "./types";

export function TrustPublicationStatus({
  center,
  readOnly,
}: {
  center: TrustCenter;
  readOnly: boolean;
}) {
  const { takeOffline } = useTrustCenterMutations();
  const latest = center.history[0];
  return (
    <section className="card section trust-status" aria-labelledby="trust-status-title">
      <div className="trust-status-head">
        <h2 id="trust-status-title" className="section-title">
          Publication
        </h2>
        <div className="badge-row">
          {center.online ? <Badge tone="success">Online</Badge> : <Badge>Offline</Badge>}
          {center.hasUnpublishedChanges && <Badge tone="warning">Unpublished changes</Badge>}
        </div>
      </div>
      {latest ? (
        <p>
          {latest.online ? "Published" : "Taken offline"} {formatDateTime(latest.publishedAt)}
          {latest.publishedBy ? ` by ${latest.publishedBy.name}` : ""}.
        </p>
      ) : (
        <p>Never published: the public page answers “not found” until you publish.</p>
      )}
      <div className="form-actions">
        {center.online && (
          <a
            className="button button-secondary"
            href={center.publicUrl}
            target="_blank"
            rel="noopener"
          >
            View the live page
          </a>
        )}
        {center.online && !readOnly && (
          <button
            type="button"
            className="button button-ghost-danger"
            onClick={() => takeOffline.mutate()}
            disabled={takeOffline.isPending}
          >
            {takeOffline.isPending ? "Taking offline…" : "Take offline"}
          </button>
        )}
      </div>
      <FormAlert error={takeOffline.error} />
      {center.history.length > 0 && (
        <details className="disclosure trust-history">
          <summary>History ({center.history.length})</summary>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Publications, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                {center.history.map((p) => (
                  <tr key={p.id}>
                    <td>{formatDateTime(p.publishedAt)}</td>
                    <td>{p.online ? "Published" : "Taken offline"}</td>
                    <td>{p.publishedBy?.name ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
