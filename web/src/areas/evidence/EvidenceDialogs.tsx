// Adding evidence to a control: upload a file, or record a link.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import type { Control } from "../../ui/schema";
import { evidenceApi } from "./api";
import { EvidenceFields, emptyEvidence, evidenceInput } from "./EvidenceFields";

const ACCEPT =
  ".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv,.json,.md,.zip,.docx,.xlsx,.pptx,.odt,.ods";

function useEvidenceSaved(controlKey: string, onDone: () => void) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: keys.evidence(controlKey) });
    // Evidence can make a test pass: statuses may have changed.
    void queryClient.invalidateQueries({ queryKey: keys.controls });
    void queryClient.invalidateQueries({ queryKey: keys.dashboard });
    onDone();
  };
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

function UploadForm({ control, onDone }: { control: Control; onDone: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState(emptyEvidence);
  const saved = useEvidenceSaved(control.key, onDone);
  const upload = useMutation({
    mutationFn: (form: FormData) => evidenceApi.uploadEvidence(form),
    onSuccess: saved,
  });
  const errors = fieldErrorsOf(upload.error);
  useFocusFirstInvalid(formRef, upload.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    for (const [name, value] of Object.entries(evidenceInput(control.key, values))) {
      form.append(name, value);
    }
    form.append("file", file, file.name);
    upload.mutate(form);
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={upload.isPending}>
      <FormAlert error={upload.error} />
      <TextField
        label="File"
        name="file"
        type="file"
        required
        accept={ACCEPT}
        className="input-file"
        onChange={(e) => {
          const chosen = e.target.files?.[0] ?? null;
          setFile(chosen);
          if (chosen && !values.title) {
            setValues({ ...values, title: chosen.name.replace(/\.[^.]+$/, "") });
          }
        }}
        hint="PDF, images, text, CSV, JSON, Markdown, ZIP or office documents. Stored encrypted."
        error={errors.file}
      />
      <EvidenceFields control={control} values={values} onChange={setValues} errors={errors} />
      <Footer pending={upload.isPending} label="Upload evidence" onCancel={onDone} />
    </form>
  );
}

function LinkForm({ control, onDone }: { control: Control; onDone: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [url, setUrl] = useState("");
  const [values, setValues] = useState(emptyEvidence);
  const saved = useEvidenceSaved(control.key, onDone);
  const add = useMutation({ mutationFn: evidenceApi.addEvidenceLink, onSuccess: saved });
  const errors = fieldErrorsOf(add.error);
  useFocusFirstInvalid(formRef, add.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate({ ...evidenceInput(control.key, values), url: url.trim() });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
      <FormAlert error={add.error} />
      <TextField
        label="Link"
        name="url"
        type="url"
        required
        placeholder="https://"
        maxLength={2000}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        hint="Where the evidence lives, for example a ticket or a report in another tool."
        error={errors.url}
      />
      <EvidenceFields control={control} values={values} onChange={setValues} errors={errors} />
      <Footer pending={add.isPending} label="Add link" onCancel={onDone} />
    </form>
  );
}

export type EvidenceDialogKind = "upload" | "link" | null;

export function EvidenceDialog({
  kind,
  control,
  onClose,
}: {
  kind: EvidenceDialogKind;
  control: Control;
  onClose: () => void;
}) {
  return (
    <Modal
      open={kind !== null}
      title={kind === "link" ? "Add an evidence link" : "Upload evidence"}
      description={control.title}
      onClose={onClose}
    >
      {kind === "upload" && <UploadForm control={control} onDone={onClose} />}
      {kind === "link" && <LinkForm control={control} onDone={onClose} />}
    </Modal>
  );
}
