// One data store's encryption at rest: where it stands, and every confirmation (a person's,
// with evidence, or Attest's automated check); those who manage encryption confirm it.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate } from "../../ui/format";
import { ApiError, BASE, seg } from "../../ui/http";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { ConfirmDialog } from "./EncryptionDialogs";
import { recorder, StandingBadge } from "./encryption.components";
import { type Confirmation, useDataStore } from "./encryption.queries";
import { BackToEncryption } from "./KeyPage";

function ConfirmationItem({ c }: { c: Confirmation }) {
  return (
    <li>
      <strong>{formatDate(c.confirmedAt)}</strong>{" "}
      {c.method === "automated" ? "Automated check" : "Confirmed with evidence"} by {recorder(c)}{" "}
      {c.passed ? <Badge tone="success">Passed</Badge> : <Badge tone="danger">Failed</Badge>}
      {c.detail && <p>{c.detail}</p>}
      {c.notes && <p>{c.notes}</p>}
      {c.evidence.length > 0 && (
        <p>
          Evidence:{" "}
          {c.evidence.map((e, i) => (
            <span key={e.id}>
              {i > 0 && ", "}
              <a href={`${BASE}/evidence/${seg(e.id)}/download`}>{e.fileName ?? "link"}</a>
            </span>
          ))}
        </p>
      )}
    </li>
  );
}

export function StorePage() {
  const { id = "" } = useParams();
  const can = useCan();
  const store = useDataStore(id);
  const [confirming, setConfirming] = useState(false);
  if (store.isPending) return <PageLoading label="Loading the data store" />;
  if (store.isError) {
    const missing = store.error instanceof ApiError && store.error.status === 404;
    return (
      <>
        <BackToEncryption />
        <PageHeader title={missing ? "Data store not found" : "Data store"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such data store" />
        ) : (
          <LoadError error={store.error} onRetry={() => store.refetch()} />
        )}
      </>
    );
  }
  const s = store.data;
  return (
    <>
      <BackToEncryption />
      <PageHeader
        eyebrow="Encryption at rest"
        title={s.name}
        actions={
          can("encryption.manage") && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setConfirming(true)}
            >
              Confirm encryption
            </button>
          )
        }
      />
      <section className="card section" aria-labelledby="store-heading">
        <h2 id="store-heading" className="section-title">
          Status
        </h2>
        <dl className="facts">
          <div>
            <dt>Encryption at rest</dt>
            <dd>
              {s.inScope ? <StandingBadge standing={s.standing} /> : <Badge>Not in scope</Badge>}{" "}
              <span className="muted">
                {s.confirmationDueAt
                  ? `confirmed until ${formatDate(s.confirmationDueAt)}`
                  : "never confirmed"}
              </span>
            </dd>
          </div>
          <div>
            <dt>Classification</dt>
            <dd>{s.classification ?? "Unclassified"}</dd>
          </div>
          <div>
            <dt>System</dt>
            <dd>
              <Link to={`/systems/${s.id}`}>{s.name}</Link>
            </dd>
          </div>
        </dl>
      </section>
      <section className="card section" aria-labelledby="history-heading">
        <h2 id="history-heading" className="section-title">
          Confirmations
        </h2>
        {s.history.length === 0 ? (
          <EmptyState icon="info" title="Never confirmed" headingLevel={3}>
            <p>Confirm it with evidence: the console's encryption setting, an export.</p>
          </EmptyState>
        ) : (
          <ol className="history-list">
            {s.history.map((c) => (
              <ConfirmationItem key={c.id} c={c} />
            ))}
          </ol>
        )}
      </section>
      {confirming && (
        <ConfirmDialog storeId={id} name={s.name} onClose={() => setConfirming(false)} />
      )}
    </>
  );
}
