// Trust center documents: what the public trust center offers for download or on request,
// and the rules of gated access (NDA text, auto-approved email domains, link validity).
import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatBytes } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { EditForm, PolicyForm, UploadForm } from "./DocumentForms";
import { SettingsForm } from "./DocumentSettingsForm";
import {
  useDocumentMutation,
  useDocumentSettings,
  useTrustDocuments,
  useTrustDocumentsApi,
} from "./queries";
import type { DocumentAccess, TrustDocument } from "./types";
import "../../styles/trust-documents.css";

function AccessBadge({ access }: { access: DocumentAccess }) {
  return access === "public" ? (
    <Badge tone="success">Public</Badge>
  ) : (
    <Badge tone="warning">On request</Badge>
  );
}

function sourceOf(document: TrustDocument) {
  if (document.source === "policy") {
    return (
      <>
        <div>
          Policy: <Link to={`/policies/${document.policy?.id}`}>{document.policy?.title}</Link>
        </div>
        <div className="cell-secondary">
          {document.policy?.publishedVersion
            ? `Version ${document.policy.publishedVersion}, as PDF`
            : "No published version: not offered"}
        </div>
      </>
    );
  }
  return (
    <>
      <div className="mono">{document.fileName}</div>
      <div className="cell-secondary">{formatBytes(document.sizeBytes)}</div>
    </>
  );
}

function DocumentTable({
  documents,
  manage,
  onEdit,
  onDelete,
}: {
  documents: TrustDocument[];
  manage: boolean;
  onEdit: (document: TrustDocument) => void;
  onDelete: (document: TrustDocument) => void;
}) {
  const api = useTrustDocumentsApi();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Documents" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Source</th>
            <th scope="col">Access</th>
            <th scope="col">On the trust center</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {documents.map((document) => (
            <tr key={document.id} data-document-id={document.id}>
              <td>
                <div className="cell-primary">{document.title}</div>
                {document.description && (
                  <div className="cell-secondary">{document.description}</div>
                )}
              </td>
              <td>{sourceOf(document)}</td>
              <td>
                <AccessBadge access={document.access} />
              </td>
              <td>
                {document.shown ? (
                  `Shown, order ${document.position}`
                ) : (
                  <span className="muted">Hidden</span>
                )}
              </td>
              <td>
                <div className="cell-actions">
                  <a
                    className="button button-ghost button-small"
                    href={api.downloadUrl(document.id)}
                    download
                  >
                    Download<span className="visually-hidden"> {document.title}</span>
                  </a>
                  {manage && (
                    <>
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        onClick={() => onEdit(document)}
                      >
                        Edit<span className="visually-hidden"> {document.title}</span>
                      </button>
                      <button
                        type="button"
                        className="button button-ghost-danger button-small"
                        onClick={() => onDelete(document)}
                      >
                        Delete<span className="visually-hidden"> {document.title}</span>
                      </button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Dialog =
  | { kind: "upload" }
  | { kind: "policy" }
  | { kind: "edit"; document: TrustDocument }
  | { kind: "delete"; document: TrustDocument }
  | null;

export function TrustDocumentsPage() {
  const can = useCan();
  const manage = can("trust.manage");
  const api = useTrustDocumentsApi();
  const documents = useTrustDocuments();
  const settings = useDocumentSettings();
  const [dialog, setDialog] = useState<Dialog>(null);
  const remove = useDocumentMutation(api.remove);
  const close = () => {
    setDialog(null);
    remove.reset();
  };

  return (
    <>
      <PageHeader
        title="Documents"
        eyebrow="Trust center"
        description={
          <>
            Documents offered on the public trust center: public ones anyone can download, and gated
            ones people request under your NDA. Requests are decided on{" "}
            <Link to="/trust-center/requests">Access requests</Link>.
          </>
        }
        actions={
          manage && (
            <>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setDialog({ kind: "policy" })}
              >
                Add a policy
              </button>
              <button
                type="button"
                className="button button-primary"
                onClick={() => setDialog({ kind: "upload" })}
              >
                <Icon name="plus" />
                Upload document
              </button>
            </>
          )
        }
      />
      {documents.isPending && <PageLoading label="Loading documents" />}
      {documents.isError && (
        <LoadError error={documents.error} onRetry={() => documents.refetch()} />
      )}
      {documents.isSuccess && documents.data.length === 0 && (
        <EmptyState title="No documents yet">
          <p>
            Upload a SOC 2 report or a penetration test summary to offer on request, or add a
            policy.
          </p>
        </EmptyState>
      )}
      {documents.isSuccess && documents.data.length > 0 && (
        <DocumentTable
          documents={documents.data}
          manage={manage}
          onEdit={(document) => setDialog({ kind: "edit", document })}
          onDelete={(document) => setDialog({ kind: "delete", document })}
        />
      )}
      {settings.isError && <LoadError error={settings.error} onRetry={() => settings.refetch()} />}
      {settings.isSuccess && <SettingsForm settings={settings.data} manage={manage} />}

      <Modal
        open={dialog?.kind === "upload" || dialog?.kind === "policy" || dialog?.kind === "edit"}
        title={
          dialog?.kind === "upload"
            ? "Upload a document"
            : dialog?.kind === "policy"
              ? "Add a policy as a document"
              : "Edit document"
        }
        onClose={close}
      >
        {dialog?.kind === "upload" && <UploadForm onDone={close} />}
        {dialog?.kind === "policy" && <PolicyForm onDone={close} />}
        {dialog?.kind === "edit" && <EditForm document={dialog.document} onDone={close} />}
      </Modal>
      <ConfirmDialog
        open={dialog?.kind === "delete"}
        title="Delete document"
        confirmLabel="Delete document"
        pending={remove.isPending}
        error={remove.error ? <FormAlert error={remove.error} /> : null}
        onConfirm={() => {
          if (dialog?.kind === "delete") remove.mutate(dialog.document.id, { onSuccess: close });
        }}
        onClose={close}
      >
        <p>
          {dialog?.kind === "delete" ? dialog.document.title : ""} leaves the trust center and stops
          working in every link already sent. It stays in the records.
        </p>
      </ConfirmDialog>
    </>
  );
}
