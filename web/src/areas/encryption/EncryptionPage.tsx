// Encryption: the data stores holding confidential or restricted data with where their
// encryption at rest stands, and the key registry with each key's next rotation due.
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { KeyDialog } from "./EncryptionDialogs";
import { StandingBadge } from "./encryption.components";
import {
  type DataStore,
  type EncryptionKey,
  useDataStores,
  useEncryptionKeys,
} from "./encryption.queries";

function lastConfirmation(store: DataStore): string {
  const last = store.lastConfirmation;
  if (!last) return "Never confirmed";
  const how = last.method === "automated" ? "automated check" : "evidence";
  return `${formatDate(last.confirmedAt)} (${how}${last.passed ? "" : ", failed"})`;
}

function StoresTable({ stores }: { stores: DataStore[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Data stores" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Data store</th>
            <th scope="col">Classification</th>
            <th scope="col">Last confirmation</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {stores.map((store) => (
            <tr key={store.id}>
              <td>
                <Link to={`/encryption/stores/${store.id}`}>{store.name}</Link>
              </td>
              <td>{store.classification ?? "Unclassified"}</td>
              <td>{lastConfirmation(store)}</td>
              <td>{store.confirmationDueAt ? formatDate(store.confirmationDueAt) : "Now"}</td>
              <td>
                {store.inScope ? (
                  <StandingBadge standing={store.standing} />
                ) : (
                  <span className="muted">Not in scope</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function KeysTable({ keys }: { keys: EncryptionKey[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Keys" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Last rotated</th>
            <th scope="col">Next rotation due</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>
                <Link to={`/encryption/keys/${key.id}`}>{key.name}</Link>
                {key.purpose && <div className="muted">{key.purpose}</div>}
              </td>
              <td>{key.algorithm}</td>
              <td>{key.lastRotatedAt ? formatDate(key.lastRotatedAt) : "Never"}</td>
              <td>{formatDate(key.rotationDueAt)}</td>
              <td>
                <StandingBadge standing={key.standing} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function EncryptionPage() {
  const can = useCan();
  const navigate = useNavigate();
  const stores = useDataStores();
  const keys = useEncryptionKeys();
  const [adding, setAdding] = useState(false);
  if (stores.isPending || keys.isPending) return <PageLoading label="Loading encryption" />;
  if (stores.isError) return <LoadError error={stores.error} onRetry={() => stores.refetch()} />;
  if (keys.isError) return <LoadError error={keys.error} onRetry={() => keys.refetch()} />;
  const inScope = stores.data.items.filter((s) => s.inScope);
  const others = stores.data.items.filter((s) => !s.inScope);
  return (
    <>
      <PageHeader
        title="Encryption"
        description="Encryption at rest of the data stores holding confidential or restricted data, confirmed within a year; the encryption keys, each rotated within its period."
        actions={
          can("encryption.manage") && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              Register a key
            </button>
          )
        }
      />
      <section className="section" aria-labelledby="at-rest-heading">
        <h2 id="at-rest-heading" className="section-title">
          Data stores at rest
        </h2>
        {stores.data.items.length === 0 ? (
          <EmptyState icon="systems" title="No data stores" headingLevel={3}>
            <p>Databases and data stores of the system inventory show here.</p>
          </EmptyState>
        ) : (
          <StoresTable stores={[...inScope, ...others]} />
        )}
      </section>
      <section className="section" aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="section-title">
          Key registry
        </h2>
        {keys.data.items.length === 0 ? (
          <EmptyState icon="access" title="No keys registered" headingLevel={3}>
            <p>
              Register the keys that protect your data: KMS keys, certificate keys, backup keys.
            </p>
          </EmptyState>
        ) : (
          <KeysTable keys={keys.data.items} />
        )}
      </section>
      {adding && (
        <KeyDialog
          onClose={() => setAdding(false)}
          onDone={(id) => navigate(`/encryption/keys/${id}`)}
        />
      )}
    </>
  );
}
