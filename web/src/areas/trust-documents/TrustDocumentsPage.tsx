// Trust center documents: what the public trust center offers for download or on request,
// and the rules of gated access (NDA text, auto-approved email domains, link validity).
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatBytes, formatDateTime } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { usePolicies } from "../policies/queries";
import {
  useDocumentMutation,
  useDocumentSettings,
  useTrustDocuments,
  useTrustDocumentsApi,
} from "./queries";
import type { DocumentAccess, DocumentFields, DocumentSettings, TrustDocument } from "./types";
import "../../styles/trust-documents.css";

const PUBLIC_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.txt,.md,.png,.jpg,.jpeg";

const emptyFields: DocumentFields = {
  title: "",
  description: "",
  access: "gated",
  shown: true,
  position: 0,
};

function AccessBadge({ access }: { access: DocumentAccess }) {
  return access === "public" ? (
    <Badge tone="success">Public</Badge>
  ) : (
    <Badge tone="warning">On request</Badge>
  );
}

/** Title, description, access, shown and order: the fields every document has. */
function CommonFields({
  values,
  onChange,
  errors,
  gatedOnly,
}: {
  values: DocumentFields;
  onChange: (values: DocumentFields) => void;
  errors: Record<string, string>;
  gatedOnly?: boolean;
}) {
  return (
    <>
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={values.title}
        onChange={(e) => onChange({ ...values, title: e.target.value })}
        error={errors.title}
      />
      <TextAreaField
        label="Description"
        name="description"
        maxLength={2000}
        rows={3}
        value={values.description}
        onChange={(e) => onChange({ ...values, description: e.target.value })}
        hint="Shown under the title on the trust center."
        error={errors.description}
      />
      <SelectField
        label="Access"
        name="access"
        value={values.access}
        onChange={(e) => onChange({ ...values, access: e.target.value as DocumentAccess })}
        hint={
          gatedOnly
            ? "Only PDF files can be gated."
            : "Gated documents are requested with name, company, email and reason, behind the NDA; every download is stamped with the requester's name."
        }
        error={errors.access}
      >
        <option value="gated">On request (gated, under NDA)</option>
        <option value="public">Public: anyone can download</option>
      </SelectField>
      <div className="field-row">
        <CheckboxField
          label="Shown on the trust center"
          name="shown"
          checked={values.shown}
          onChange={(e) => onChange({ ...values, shown: e.target.checked })}
          error={errors.shown}
        />
        <TextField
          label="Order"
          name="position"
          type="number"
          min={0}
          max={10000}
          className="input-number"
          value={values.position}
          onChange={(e) => onChange({ ...values, position: Number(e.target.value) })}
          hint="Lower first."
          error={errors.position}
        />
      </div>
    </>
  );
}

function Footer({
  pending,
  label,
  onCancel,
}: {
  pending: boolean;
  label: string;
  onCancel: () => void;
}) {
  return (
    <div className="modal-footer">
      <button type="button" className="button button-secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
    </div>
  );
}

function UploadForm({ onDone }: { onDone: () => void }) {
  const api = useTrustDocumentsApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState(emptyFields);
  const upload = useDocumentMutation(api.upload);
  const errors = fieldErrorsOf(upload.error);
  useFocusFirstInvalid(formRef, upload.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append("title", values.title);
    if (values.description.trim()) form.append("description", values.description);
    form.append("access", values.access);
    form.append("shown", String(values.shown));
    form.append("position", String(values.position));
    form.append("file", file, file.name);
    upload.mutate(form, { onSuccess: onDone });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={upload.isPending}>
      <FormAlert error={upload.error} />
      <TextField
        label="File"
        name="file"
        type="file"
        required
        accept={values.access === "gated" ? ".pdf" : PUBLIC_ACCEPT}
        className="input-file"
        onChange={(e) => {
          const chosen = e.target.files?.[0] ?? null;
          setFile(chosen);
          if (chosen && !values.title) {
            setValues({ ...values, title: chosen.name.replace(/\.[^.]+$/, "") });
          }
        }}
        hint="Gated: PDF only. Public: PDF, office documents, text, Markdown or images. Stored encrypted."
        error={errors.file}
      />
      <CommonFields values={values} onChange={setValues} errors={errors} />
      <Footer pending={upload.isPending} label="Upload document" onCancel={onDone} />
    </form>
  );
}

function PolicyForm({ onDone }: { onDone: () => void }) {
  const api = useTrustDocumentsApi();
  const policies = usePolicies();
  const formRef = useRef<HTMLFormElement>(null);
  const [policyId, setPolicyId] = useState("");
  const [values, setValues] = useState(emptyFields);
  const add = useDocumentMutation(api.addPolicy);
  const errors = fieldErrorsOf(add.error);
  useFocusFirstInvalid(formRef, add.error);
  const published = (policies.data ?? []).filter((p) => p.currentVersion && !p.retiredAt);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate(
      {
        policyId,
        title: values.title,
        access: values.access,
        shown: values.shown,
        position: values.position,
        ...(values.description.trim() ? { description: values.description } : {}),
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
      <FormAlert error={add.error} />
      <SelectField
        label="Policy"
        name="policyId"
        required
        value={policyId}
        onChange={(e) => {
          setPolicyId(e.target.value);
          const policy = published.find((p) => p.id === e.target.value);
          if (policy && !values.title) setValues({ ...values, title: policy.title });
        }}
        hint="Its current published version is offered as a PDF, always the latest."
        error={errors.policyId}
      >
        <option value="">Choose a published policy</option>
        {published.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </SelectField>
      <CommonFields values={values} onChange={setValues} errors={errors} />
      <Footer pending={add.isPending} label="Add policy" onCancel={onDone} />
    </form>
  );
}

function EditForm({ document, onDone }: { document: TrustDocument; onDone: () => void }) {
  const api = useTrustDocumentsApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<DocumentFields>({
    title: document.title,
    description: document.description ?? "",
    access: document.access,
    shown: document.shown,
    position: document.position,
  });
  const update = useDocumentMutation((changes: Parameters<typeof api.update>[1]) =>
    api.update(document.id, changes),
  );
  const errors = fieldErrorsOf(update.error);
  useFocusFirstInvalid(formRef, update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update.mutate(
      {
        title: values.title,
        description: values.description.trim() ? values.description : null,
        access: values.access,
        shown: values.shown,
        position: values.position,
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={update.isPending}>
      <FormAlert error={update.error} />
      <CommonFields
        values={values}
        onChange={setValues}
        errors={errors}
        gatedOnly={document.source === "file" && document.contentType !== "application/pdf"}
      />
      <Footer pending={update.isPending} label="Save changes" onCancel={onDone} />
    </form>
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

function SettingsForm({ settings, manage }: { settings: DocumentSettings; manage: boolean }) {
  const api = useTrustDocumentsApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [ndaText, setNdaText] = useState(settings.ndaText);
  const [domains, setDomains] = useState(settings.autoApproveDomains.join("\n"));
  const [linkDays, setLinkDays] = useState(settings.linkDays);
  const [saved, setSaved] = useState(false);
  const save = useDocumentMutation(api.saveSettings);
  const errors = fieldErrorsOf(save.error);
  const domainError = save.error
    ? Object.entries(errors).find(([field]) => /^\d+$/.test(field))?.[1]
    : undefined;
  useFocusFirstInvalid(formRef, save.error);
  useEffect(() => {
    setNdaText(settings.ndaText);
    setDomains(settings.autoApproveDomains.join("\n"));
    setLinkDays(settings.linkDays);
  }, [settings]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate(
      {
        ndaText,
        autoApproveDomains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        linkDays,
      },
      { onSuccess: () => setSaved(true) },
    );
  }

  return (
    <section className="card section" aria-labelledby="access-settings-heading">
      <div className="section-header">
        <h2 id="access-settings-heading" className="section-title">
          Access to gated documents
        </h2>
        <p className="section-description">
          Requesters accept this agreement before they ask; its exact text and the time are kept
          with each request.
        </p>
      </div>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error} />
        <TextAreaField
          label="Non-disclosure agreement (Markdown)"
          name="ndaText"
          rows={10}
          maxLength={50000}
          readOnly={!manage}
          value={ndaText}
          onChange={(e) => setNdaText(e.target.value)}
          hint="Leave empty to ask for no agreement."
          error={errors.ndaText}
        />
        <TextAreaField
          label="Approve at once requests from these email domains"
          name="autoApproveDomains"
          rows={3}
          readOnly={!manage}
          value={domains}
          onChange={(e) => setDomains(e.target.value)}
          hint="One domain per line, for example partner.example. Exact match: subdomains are not included."
          error={errors.autoApproveDomains ?? domainError}
        />
        <TextField
          label="Links work for (days)"
          name="linkDays"
          type="number"
          min={1}
          max={90}
          className="input-number"
          readOnly={!manage}
          value={linkDays}
          onChange={(e) => setLinkDays(Number(e.target.value))}
          error={errors.linkDays}
        />
        {manage && (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save access settings"}
            </button>
            <span className="form-status" role="status">
              {saved && !save.isPending ? `Saved ${formatDateTime(new Date().toISOString())}` : ""}
            </span>
          </div>
        )}
      </form>
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
