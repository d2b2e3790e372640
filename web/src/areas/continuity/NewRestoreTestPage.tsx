// Record a restore test: the system whose backup was restored, when, from which backup, into
// which non-production environment, by whom, and the integrity checks run (one row each).
import "./continuity.css";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { utcDay } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { PageHeader } from "../../ui/PageHeader";
import { useActivePeople } from "../systems/queries";
import { continuityApi } from "./continuity.api";
import { useContinuityMutation, useInventory } from "./continuity.queries";

interface CheckRow {
  key: number;
  name: string;
  passed: boolean;
  detail: string;
}

let rowKey = 0;
const newRow = (name = ""): CheckRow => ({ key: ++rowKey, name, passed: true, detail: "" });

function CheckRows({
  rows,
  onChange,
  error,
}: {
  rows: CheckRow[];
  onChange: (rows: CheckRow[]) => void;
  error?: string | undefined;
}) {
  const edit = (key: number, changes: Partial<CheckRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...changes } : r)));
  return (
    <fieldset className="fieldset">
      <legend>Integrity checks</legend>
      <p className="field-hint">
        What you checked on the restored data, and whether it held: row counts, checksums, the
        application reading it. The test succeeds when at least one check ran and all passed.
      </p>
      {error && <p className="field-error">{error}</p>}
      {rows.map((row, index) => (
        <div className="check-row" key={row.key}>
          <TextField
            label={`Check ${index + 1}`}
            value={row.name}
            required
            maxLength={200}
            onChange={(e) => edit(row.key, { name: e.target.value })}
          />
          <CheckboxField
            label={`Check ${index + 1} passed`}
            checked={row.passed}
            onChange={(e) => edit(row.key, { passed: e.target.checked })}
          />
          <TextField
            label={`What check ${index + 1} found (optional)`}
            value={row.detail}
            maxLength={4000}
            onChange={(e) => edit(row.key, { detail: e.target.value })}
          />
          <button
            type="button"
            className="button button-secondary"
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
          >
            Remove check {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...rows, newRow()])}
      >
        Add a check
      </button>
    </fieldset>
  );
}

export function NewRestoreTestPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const formRef = useRef<HTMLFormElement>(null);
  const people = useActivePeople();
  const inventory = useInventory();
  const [systemId, setSystemId] = useState(params.get("system") ?? "");
  const [performedOn, setPerformedOn] = useState(utcDay());
  const [backupTakenOn, setBackupTakenOn] = useState("");
  const [restoredInto, setRestoredInto] = useState("");
  const [intoProduction, setIntoProduction] = useState(false);
  const [targetId, setTargetId] = useState("");
  const [backupReference, setBackupReference] = useState("");
  const [performedById, setPerformedById] = useState("");
  const [checks, setChecks] = useState<CheckRow[]>([newRow("Row counts match the source")]);
  const [notes, setNotes] = useState("");
  const systems = inventory.data?.items ?? [];
  const record = useContinuityMutation(() =>
    continuityApi.record({
      systemId,
      performedOn,
      backupTakenAt: new Date(`${backupTakenOn || performedOn}T00:00:00Z`).toISOString(),
      restoredInto: restoredInto.trim(),
      restoredIntoProduction: intoProduction,
      ...(targetId ? { restoredIntoSystemId: targetId } : {}),
      ...(backupReference.trim() ? { backupReference: backupReference.trim() } : {}),
      performedById,
      checks: checks.map((c) => ({
        name: c.name.trim(),
        passed: c.passed,
        detail: c.detail.trim(),
      })),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    }),
  );
  const errors = fieldErrorsOf(record.error);
  useFocusFirstInvalid(formRef, record.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await record.mutateAsync(undefined).catch(() => null);
    if (created) navigate(`/continuity/restore-tests/${created.id}`);
  }
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/continuity">Restore tests</Link>}
        title="Record a restore test"
        description="A backup restored into a non-production environment, and what its integrity checks found."
      />
      <form
        ref={formRef}
        className="form card section"
        onSubmit={onSubmit}
        aria-busy={record.isPending}
      >
        <FormAlert error={record.error ?? people.error ?? inventory.error} />
        <SelectField
          label="System restored"
          value={systemId}
          required
          onChange={(e) => setSystemId(e.target.value)}
          error={errors.systemId}
        >
          <option value="">Choose a system</option>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.backedUp ? "" : " (not marked as backed up)"}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Performed on"
          type="date"
          value={performedOn}
          required
          onChange={(e) => setPerformedOn(e.target.value)}
          error={errors.performedOn}
        />
        <TextField
          label="Backup taken on"
          type="date"
          value={backupTakenOn}
          required
          hint="The day the restored backup was taken."
          onChange={(e) => setBackupTakenOn(e.target.value)}
          error={errors.backupTakenAt}
        />
        <TextField
          label="Backup (optional)"
          value={backupReference}
          maxLength={500}
          hint="The archive's name or the snapshot's id."
          onChange={(e) => setBackupReference(e.target.value)}
          error={errors.backupReference}
        />
        <TextField
          label="Restored into"
          value={restoredInto}
          required
          maxLength={500}
          hint="The environment, described: “staging cluster, a scratch database”."
          onChange={(e) => setRestoredInto(e.target.value)}
          error={errors.restoredInto}
        />
        <SelectField
          label="Environment in the inventory (optional)"
          value={targetId}
          onChange={(e) => setTargetId(e.target.value)}
          error={errors.restoredIntoSystemId}
        >
          <option value="">Not in the inventory</option>
          {systems
            .filter((s) => s.id !== systemId)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.production ? " (production)" : ""}
              </option>
            ))}
        </SelectField>
        <CheckboxField
          label="This environment is production"
          checked={intoProduction}
          hint="A restore test restores into a non-production environment."
          onChange={(e) => setIntoProduction(e.target.checked)}
          error={errors.restoredIntoProduction}
        />
        <SelectField
          label="Performed by"
          value={performedById}
          required
          onChange={(e) => setPerformedById(e.target.value)}
          error={errors.performedById}
        >
          <option value="">Choose a person</option>
          {(people.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <CheckRows rows={checks} onChange={setChecks} error={errors.checks} />
        <TextAreaField
          label="Notes (optional)"
          value={notes}
          rows={4}
          maxLength={20000}
          onChange={(e) => setNotes(e.target.value)}
          error={errors.notes}
        />
        <div className="form-actions">
          <Link className="button button-secondary" to="/continuity">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            {record.isPending ? "Saving…" : "Record the test"}
          </button>
        </div>
      </form>
    </>
  );
}
