// One encryption key: what it is, where it lives, its rotation period and next rotation due,
// and its rotations; those who manage keys record a rotation, edit or archive it.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog as ConfirmArchive } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { KeyDialog, RotateDialog } from "./EncryptionDialogs";
import { recorder, StandingBadge } from "./encryption.components";
import {
  type EncryptionKey,
  encryptionApi,
  useEncryptionKey,
  useEncryptionMutation,
  useRotations,
} from "./encryption.queries";

export function BackToEncryption() {
  return (
    <Link className="back-link" to="/encryption">
      <Icon name="arrowLeft" />
      Encryption
    </Link>
  );
}

function Facts({ k }: { k: EncryptionKey }) {
  return (
    <section className="card section" aria-labelledby="key-heading">
      <h2 id="key-heading" className="section-title">
        Details
      </h2>
      <dl className="facts">
        <div>
          <dt>Rotation</dt>
          <dd>
            <StandingBadge standing={k.standing} />{" "}
            <span className="muted">
              every {k.rotationPeriodDays} days; next due {formatDate(k.rotationDueAt)}
            </span>
          </dd>
        </div>
        <div>
          <dt>Purpose</dt>
          <dd>{k.purpose || "—"}</dd>
        </div>
        <div>
          <dt>Algorithm</dt>
          <dd>{k.algorithm}</dd>
        </div>
        <div>
          <dt>Where it lives</dt>
          <dd className="mono break">{k.location || "—"}</dd>
        </div>
        <div>
          <dt>Protects</dt>
          <dd>{k.system ? <Link to={`/systems/${k.system.id}`}>{k.system.name}</Link> : "—"}</dd>
        </div>
        <div>
          <dt>Registered</dt>
          <dd>{formatDateTime(k.createdAt)}</dd>
        </div>
        {k.archivedAt && (
          <div>
            <dt>Archived</dt>
            <dd>{formatDateTime(k.archivedAt)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function Rotations({ id }: { id: string }) {
  const rotations = useRotations(id);
  if (rotations.isPending) return <PageLoading label="Loading the rotations" />;
  if (rotations.isError) return <LoadError error={rotations.error} />;
  return (
    <section className="card section" aria-labelledby="rotations-heading">
      <h2 id="rotations-heading" className="section-title">
        Rotations
      </h2>
      {rotations.data.items.length === 0 ? (
        <EmptyState icon="info" title="Never rotated" headingLevel={3}>
          <p>It is due a rotation one period after it was registered.</p>
        </EmptyState>
      ) : (
        <ol className="history-list">
          {rotations.data.items.map((r) => (
            <li key={r.id}>
              <strong>{formatDate(r.rotatedAt)}</strong> by {recorder(r)}
              {r.newKeyRef && <span className="mono"> · {r.newKeyRef}</span>}
              {r.notes && <p>{r.notes}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function KeyPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const key = useEncryptionKey(id);
  const [dialog, setDialog] = useState<"rotate" | "edit" | "archive" | null>(null);
  const archive = useEncryptionMutation(
    () => encryptionApi.archive(id),
    () => setDialog(null),
  );
  if (key.isPending) return <PageLoading label="Loading the key" />;
  if (key.isError) {
    const missing = key.error instanceof ApiError && key.error.status === 404;
    return (
      <>
        <BackToEncryption />
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
  const manage = can("encryption.manage") && !k.archivedAt;
  return (
    <>
      <BackToEncryption />
      <PageHeader
        eyebrow={k.builtin ? "Managed by Attest" : "Encryption key"}
        title={k.name}
        actions={
          manage && (
            <>
              <button
                type="button"
                className="button button-primary"
                onClick={() => setDialog("rotate")}
              >
                Record a rotation
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setDialog("edit")}
              >
                Edit
              </button>
              {!k.builtin && (
                <button
                  type="button"
                  className="button button-danger"
                  onClick={() => setDialog("archive")}
                >
                  Archive
                </button>
              )}
            </>
          )
        }
      />
      <Facts k={k} />
      <Rotations id={id} />
      {dialog === "rotate" && (
        <RotateDialog keyId={id} name={k.name} onClose={() => setDialog(null)} />
      )}
      {dialog === "edit" && <KeyDialog current={k} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ConfirmArchive
          open
          title={`Archive ${k.name}?`}
          confirmLabel="Archive"
          pending={archive.isPending}
          error={<FormAlert error={archive.error} />}
          onConfirm={() => archive.mutate(undefined)}
          onClose={() => setDialog(null)}
        >
          <p>An archived key is no longer checked for rotation.</p>
        </ConfirmArchive>
      )}
    </>
  );
}
