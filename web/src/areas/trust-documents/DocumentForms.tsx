// The forms of a trust center document: upload a file, offer a published policy, edit one.
import { type FormEvent, useRef, useState } from "react";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { usePolicies } from "../policies/queries";
import { useDocumentMutation, useTrustDocumentsApi } from "./queries";
import type { DocumentAccess, DocumentFields, TrustDocument } from "./types";

const PUBLIC_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.txt,.md,.png,.jpg,.jpeg";

const emptyFields: DocumentFields = {
  title: "",
  description: "",
  access: "gated",
  shown: true,
  position: 0,
};

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

export function UploadForm({ onDone }: { onDone: () => void }) {
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

export function PolicyForm({ onDone }: { onDone: () => void }) {
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

export function EditForm({ document, onDone }: { document: TrustDocument; onDone: () => void }) {
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
