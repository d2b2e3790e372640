// One key: whose it is, what it opens (with the dates of each system link), who else holds the
// same fingerprint, its open revocation task; owners and admins change its systems or revoke it.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate, formatDateTime, formatDay } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { EditSystemsDialog, RevokeKeyDialog } from "./KeyDialogs";
import { KeyStatus } from "./keys.components";
import { type AccessKeyDetail, KIND_LABELS, useAccessKey } from "./keys.queries";

function BackLink() {
  return (
    <Link className="back-link" to="/access-keys">
      <Icon name="arrowLeft" />
      All keys
    </Link>
  );
}

function Facts({ k }: { k: AccessKeyDetail }) {
  return (
    <section className="card section" aria-labelledby="key-heading">
      <h2 id="key-heading" className="section-title">
        Details
      </h2>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <KeyStatus accessKey={k} />
            {k.revokedAt && (
              <span className="muted">
                {" "}
                on {formatDateTime(k.revokedAt)}
                {k.revokeReason ? `: ${k.revokeReason}` : ""}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Person</dt>
          <dd>
            <Link to={`/people/${k.person.id}`}>{k.person.name}</Link>{" "}
            <span className="muted">({k.person.reference})</span>
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {KIND_LABELS[k.kind]} · {k.keyType}
            {k.bits ? ` · ${k.bits} bits` : ""}
          </dd>
        </div>
        <div>
          <dt>{k.kind === "ssh" ? "Fingerprint" : "Key id"}</dt>
          <dd className="mono break">{k.fingerprint}</dd>
        </div>
        {k.comment && (
          <div>
            <dt>Comment</dt>
            <dd className="break">{k.comment}</dd>
          </div>
        )}
        <div>
          <dt>Made on</dt>
          <dd>{formatDay(k.createdOn)}</dd>
        </div>
        <div>
          <dt>Registered</dt>
          <dd>{formatDateTime(k.createdAt)}</dd>
        </div>
        {k.openTask && (
          <div>
            <dt>Revocation task</dt>
            <dd>
              <Link to="/access/tasks?mine=false">Open, due {formatDate(k.openTask.dueAt)}</Link>
            </dd>
          </div>
        )}
      </dl>
      {k.publicKey && (
        <details>
          <summary>Public key</summary>
          <p className="mono break">{k.publicKey}</p>
        </details>
      )}
    </section>
  );
}

export function KeyPage() {
  const { id = "" } = useParams();
  const key = useAccessKey(id);
  const [editing, setEditing] = useState(false);
  const [revoking, setRevoking] = useState(false);
  if (key.isPending) return <PageLoading label="Loading the key" />;
  if (key.isError) {
    const missing = key.error instanceof ApiError && key.error.status === 404;
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Key not found" : "Key"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such key" />
        ) : (
          <LoadError error={key.error} onRetry={() => key.refetch()} />
        )}
      </>
    );
  }
  const k = key.data;
  return (
    <>
      <BackLink />
      <PageHeader
        eyebrow={KIND_LABELS[k.kind]}
        title={k.name}
        actions={
          k.mayAct && (
            <>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setEditing(true)}
              >
                Change systems
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() => setRevoking(true)}
              >
                Revoke
              </button>
            </>
          )
        }
      />
      {k.sharedWith.length > 0 && (
        <Callout tone="danger" title="Shared key">
          <p>
            The same key is registered to{" "}
            {k.sharedWith.map((s, i) => (
              <span key={s.keyId}>
                {i > 0 && ", "}
                <Link to={`/access-keys/${s.keyId}`}>{s.person.name}</Link>
              </span>
            ))}
            : a key belongs to one person. Revoke it and have each make their own.
          </p>
        </Callout>
      )}
      <Facts k={k} />
      <section className="card section" aria-labelledby="key-systems-heading">
        <h2 id="key-systems-heading" className="section-title">
          Systems
        </h2>
        {k.history.length === 0 ? (
          <p className="muted">It opens no system in the registry.</p>
        ) : (
          <ul className="plain-list">
            {k.history.map((h) => (
              <li key={`${h.system.id}-${h.addedAt}`}>
                <Link to={`/systems/${h.system.id}`}>{h.system.name}</Link>{" "}
                {h.system.production && <Badge tone="info">Production</Badge>}{" "}
                <span className="muted">
                  from {formatDate(h.addedAt)}
                  {h.removedAt ? ` until ${formatDate(h.removedAt)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {editing && (
        <EditSystemsDialog
          keyId={k.id}
          current={k.systems.map((s) => s.id)}
          onClose={() => setEditing(false)}
        />
      )}
      {revoking && (
        <RevokeKeyDialog keyId={k.id} name={k.name} onClose={() => setRevoking(false)} />
      )}
    </>
  );
}
