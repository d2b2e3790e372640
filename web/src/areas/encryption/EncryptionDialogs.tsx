// The encryption area's forms: register or edit a key, record a rotation, confirm encryption
// at rest of a data store with a file filed as evidence.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { todayDateInput } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { fetchAll } from "../../ui/pager";
import {
  type EncryptionKey,
  encryptionApi,
  type NewKey,
  useEncryptionMutation,
} from "./encryption.queries";

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

/** Registers a key, or with `key` edits it (Attest's master key: only its period and system). */
export function KeyDialog({
  current,
  onClose,
  onDone,
}: {
  current?: EncryptionKey | undefined;
  onClose: () => void;
  onDone?: (id: string) => void;
}) {
  const [values, setValues] = useState({
    name: current?.name ?? "",
    purpose: current?.purpose ?? "",
    algorithm: current?.algorithm ?? "",
    location: current?.location ?? "",
    systemId: current?.system?.id ?? "",
    rotationPeriodDays: String(current?.rotationPeriodDays ?? 365),
  });
  const systems = useQuery({
    queryKey: ["systems", "encryption-key-options"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/systems", { limit: 100 }, 20),
  });
  const save = useEncryptionMutation(
    (input: NewKey) =>
      current ? encryptionApi.change(current.id, input) : encryptionApi.register(input),
    (key) => {
      onClose();
      onDone?.(key.id);
    },
  );
  const errors = fieldErrorsOf(save.error);
  const managed = current?.builtin ?? false;
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues({ ...values, [field]: e.target.value });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const period = Number(values.rotationPeriodDays);
    const common = { systemId: values.systemId || null, rotationPeriodDays: period };
    save.mutate(
      managed
        ? { ...common, name: values.name, algorithm: values.algorithm }
        : {
            ...common,
            name: values.name,
            purpose: values.purpose,
            algorithm: values.algorithm,
            location: values.location,
          },
    );
  }
  return (
    <Modal open title={current ? `Edit ${current.name}` : "Register a key"} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <div className="modal-body">
          <FormAlert error={save.error} />
          <TextField
            label="Name"
            required
            disabled={managed}
            value={values.name}
            error={errors.name}
            onChange={set("name")}
          />
          <TextField
            label="Purpose"
            disabled={managed}
            value={values.purpose}
            error={errors.purpose}
            onChange={set("purpose")}
            hint="What it encrypts or signs."
          />
          <TextField
            label="Algorithm"
            required
            disabled={managed}
            value={values.algorithm}
            error={errors.algorithm}
            onChange={set("algorithm")}
            hint="AES-256-GCM, RSA-4096, ECDSA P-256…"
          />
          <TextField
            label="Where it lives"
            disabled={managed}
            value={values.location}
            error={errors.location}
            onChange={set("location")}
            hint="A KMS key ARN, an HSM slot, a file path…"
          />
          <SelectField
            label="System it protects (optional)"
            value={values.systemId}
            error={errors.systemId}
            onChange={set("systemId")}
          >
            <option value="">None</option>
            {(systems.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Rotation period (days)"
            type="number"
            min={1}
            max={managed ? 365 : 3650}
            required
            value={values.rotationPeriodDays}
            error={errors.rotationPeriodDays}
            onChange={set("rotationPeriodDays")}
          />
        </div>
        <Footer
          pending={save.isPending}
          label={current ? "Save key" : "Register key"}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}

/** Records a rotation of a key, on a day up to today. */
export function RotateDialog({
  keyId,
  name,
  onClose,
}: {
  keyId: string;
  name: string;
  onClose: () => void;
}) {
  const [day, setDay] = useState(todayDateInput());
  const [newKeyRef, setNewKeyRef] = useState("");
  const [notes, setNotes] = useState("");
  const rotate = useEncryptionMutation(
    () =>
      encryptionApi.rotate(keyId, {
        // Today: now; an earlier day: its noon (UTC), so the day is the same everywhere.
        rotatedAt: day === todayDateInput() ? new Date().toISOString() : `${day}T12:00:00.000Z`,
        ...(newKeyRef.trim() ? { newKeyRef: newKeyRef.trim() } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      }),
    onClose,
  );
  const errors = fieldErrorsOf(rotate.error);
  return (
    <Modal open title={`Record a rotation of ${name}`} onClose={onClose}>
      <form
        className="form"
        aria-busy={rotate.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          rotate.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={rotate.error} />
          <TextField
            label="Rotated on"
            type="date"
            required
            max={todayDateInput()}
            value={day}
            error={errors.rotatedAt}
            onChange={(e) => setDay(e.target.value)}
          />
          <TextField
            label="New key version (optional)"
            value={newKeyRef}
            error={errors.newKeyRef}
            onChange={(e) => setNewKeyRef(e.target.value)}
            hint="The new key's id, version or fingerprint."
          />
          <TextAreaField
            label="Notes (optional)"
            rows={3}
            value={notes}
            error={errors.notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </div>
        <Footer pending={rotate.isPending} label="Record rotation" onCancel={onClose} />
      </form>
    </Modal>
  );
}

/**
 * Confirms encryption at rest of a data store: the file (a screenshot of the console's
 * encryption setting, an export…) is filed as evidence of encryption-at-rest first.
 */
export function ConfirmDialog({
  storeId,
  name,
  onClose,
}: {
  storeId: string;
  name: string;
  onClose: () => void;
}) {
  const [day, setDay] = useState(todayDateInput());
  const [file, setFile] = useState<File | null>(null);
  const [notes, setNotes] = useState("");
  const confirm = useEncryptionMutation(async () => {
    if (!file) throw new Error("Choose the file that shows the encryption setting.");
    const form = new FormData();
    form.append("controlKey", "encryption-at-rest");
    form.append("testKey", "datastores-encrypted");
    form.append("title", `Encryption at rest of ${name}`);
    form.append("evidenceDate", day);
    form.append("file", file, file.name);
    const filed = await encryptionApi.uploadEvidence(form);
    return encryptionApi.confirm(storeId, {
      confirmedOn: day,
      evidenceIds: [filed.id],
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
  }, onClose);
  const errors = fieldErrorsOf(confirm.error);
  return (
    <Modal open title={`Confirm encryption at rest of ${name}`} onClose={onClose}>
      <form
        className="form"
        aria-busy={confirm.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          confirm.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={confirm.error} />
          <TextField
            label="Evidence file"
            type="file"
            required
            className="input-file"
            error={errors.file}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            hint="The console's encryption setting, a configuration export… Stored encrypted."
          />
          <TextField
            label="Confirmed on"
            type="date"
            required
            max={todayDateInput()}
            value={day}
            error={errors.confirmedOn ?? errors.evidenceDate}
            onChange={(e) => setDay(e.target.value)}
          />
          <TextAreaField
            label="Notes (optional)"
            rows={3}
            value={notes}
            error={errors.notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </div>
        <Footer pending={confirm.isPending} label="Confirm" onCancel={onClose} />
      </form>
    </Modal>
  );
}
