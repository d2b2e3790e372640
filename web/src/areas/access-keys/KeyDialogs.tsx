// The key registry's dialogs: register a key (paste an SSH public key, or a cloud/API key's
// id), choose the systems it opens, revoke it.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { todayDateInput } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { useDebounced } from "../../ui/hooks";
import { Modal } from "../../ui/Modal";
import { fetchAll } from "../../ui/pager";
import { peopleApi } from "../people/api";
import {
  type AccessKey,
  accessKeysApi,
  KIND_LABELS,
  type NewAccessKey,
  useKeyMutation,
} from "./keys.queries";

interface SystemOption {
  id: string;
  name: string;
  production: boolean;
}

/** Checkboxes of the organization's systems (production ones marked). */
export function SystemsPicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const systems = useQuery({
    queryKey: ["systems", "key-options"],
    queryFn: () => fetchAll<SystemOption>("/systems", { limit: 100 }, 20),
  });
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Systems it opens</legend>
      {systems.isPending && <p className="muted">Loading systems…</p>}
      {systems.isSuccess && systems.data.length === 0 && <p className="muted">No systems yet.</p>}
      {(systems.data ?? []).map((s) => (
        <CheckboxField
          key={s.id}
          label={s.production ? `${s.name} (production)` : s.name}
          checked={value.includes(s.id)}
          onChange={(e) =>
            onChange(e.target.checked ? [...value, s.id] : value.filter((id) => id !== s.id))
          }
        />
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

function PersonPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const found = useQuery({
    queryKey: ["people", "key-owner-options", q],
    queryFn: () => peopleApi.people({ q: q || undefined, status: "active" }, undefined, 50),
    staleTime: 30_000,
  });
  return (
    <div className="field-row">
      <TextField
        label="Find the person"
        type="search"
        autoComplete="off"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        hint="Name, email or reference (P-12)."
      />
      <SelectField
        label="Person"
        required
        value={value}
        error={error}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">Choose a person</option>
        {(found.data?.items ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.reference})
          </option>
        ))}
      </SelectField>
    </div>
  );
}

/** Registers a key; with `personId`, for that person (the person page). */
export function RegisterKeyDialog({
  personId,
  onClose,
  onDone,
}: {
  personId?: string | undefined;
  onClose: () => void;
  onDone?: (id: string) => void;
}) {
  const [owner, setOwner] = useState(personId ?? "");
  const [kind, setKind] = useState<AccessKey["kind"]>("ssh");
  const [publicKey, setPublicKey] = useState("");
  const [keyType, setKeyType] = useState("");
  const [keyId, setKeyId] = useState("");
  const [name, setName] = useState("");
  const [createdOn, setCreatedOn] = useState(todayDateInput());
  const [systemIds, setSystemIds] = useState<string[]>([]);
  const register = useKeyMutation(
    (input: NewAccessKey) => accessKeysApi.register(input),
    (key) => {
      onClose();
      onDone?.(key.id);
    },
  );
  const errors = fieldErrorsOf(register.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    register.mutate({
      personId: owner,
      kind,
      createdOn,
      systemIds,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(kind === "ssh" ? { publicKey } : { keyType, keyId }),
    });
  }
  return (
    <Modal open title="Register a key" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-busy={register.isPending}>
        <div className="modal-body">
          <FormAlert error={register.error} />
          {!personId && <PersonPicker value={owner} onChange={setOwner} error={errors.personId} />}
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as AccessKey["kind"])}
          >
            {(Object.keys(KIND_LABELS) as AccessKey["kind"][]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </SelectField>
          {kind === "ssh" ? (
            <TextAreaField
              label="Paste an SSH public key"
              hint="The one line of the .pub file: ssh-ed25519 AAAA… comment. Never the private key."
              required
              rows={4}
              value={publicKey}
              error={errors.publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
            />
          ) : (
            <>
              <TextField
                label="Provider or service"
                hint="aws, gcp, azure, github…"
                required
                value={keyType}
                error={errors.keyType}
                onChange={(e) => setKeyType(e.target.value)}
              />
              <TextField
                label="Key id"
                hint="The access key's id (AKIA…), never its secret."
                required
                autoComplete="off"
                value={keyId}
                error={errors.keyId}
                onChange={(e) => setKeyId(e.target.value)}
              />
            </>
          )}
          <TextField
            label="Name (optional)"
            hint="Absent: the key's comment, or the provider and id."
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.target.value)}
          />
          <TextField
            label="Made on"
            type="date"
            required
            max={todayDateInput()}
            value={createdOn}
            error={errors.createdOn}
            onChange={(e) => setCreatedOn(e.target.value)}
          />
          <SystemsPicker value={systemIds} onChange={setSystemIds} error={errors.systemIds} />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register key"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Changes which systems a key opens (dated: links end and start now). */
export function EditSystemsDialog({
  keyId,
  current,
  onClose,
}: {
  keyId: string;
  current: string[];
  onClose: () => void;
}) {
  const [systemIds, setSystemIds] = useState(current);
  const change = useKeyMutation(() => accessKeysApi.change(keyId, { systemIds }), onClose);
  const errors = fieldErrorsOf(change.error);
  return (
    <Modal open title="Systems this key opens" onClose={onClose}>
      <form
        className="form"
        aria-busy={change.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={change.error} />
          <SystemsPicker value={systemIds} onChange={setSystemIds} error={errors.systemIds} />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            {change.isPending ? "Saving…" : "Save systems"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RevokeKeyDialog({
  keyId,
  name,
  onClose,
}: {
  keyId: string;
  name: string;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const revoke = useKeyMutation(() => accessKeysApi.revoke(keyId, reason), onClose);
  const errors = fieldErrorsOf(revoke.error);
  return (
    <Modal open title={`Revoke ${name}?`} onClose={onClose}>
      <form
        className="form"
        aria-busy={revoke.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          revoke.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={revoke.error} />
          <p>
            The key stays in the registry as history. Remove it from every host it is on: a host's
            next listing shows whether it is gone.
          </p>
          <TextAreaField
            label="Reason"
            required
            rows={3}
            value={reason}
            error={errors.reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={revoke.isPending}>
            {revoke.isPending ? "Revoking…" : "Revoke key"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
