// A customer's terms as form fields, shared by the new customer page and the "Edit terms"
// dialog: name, reference, contract dates, retention (agreed days, the organization's default,
// or none), the data stores holding its data (systems of the inventory), notes. The values
// turn into a new customer, or into the changes from a customer's current terms.
import { useQuery } from "@tanstack/react-query";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import type { FieldErrors } from "../../ui/forms";
import { fetchAll } from "../../ui/pager";
import type { Customer, CustomerChanges, NewCustomer } from "./customers.types";

type RetentionChoice = "agreed" | "policy" | "none";

export interface TermsValues {
  name: string;
  reference: string;
  contractStart: string;
  contractEnd: string;
  retention: RetentionChoice;
  retentionDays: string;
  systemIds: string[];
  notes: string;
}

export const EMPTY_TERMS: TermsValues = {
  name: "",
  reference: "",
  contractStart: "",
  contractEnd: "",
  retention: "agreed",
  retentionDays: "",
  systemIds: [],
  notes: "",
};

/** A customer's current terms, as the form's values. */
export function termsOf(c: Customer): TermsValues {
  return {
    name: c.name,
    reference: c.reference ?? "",
    contractStart: c.contractStart,
    contractEnd: c.contractEnd ?? "",
    retention: c.retention ? (c.retention.basis === "policy" ? "policy" : "agreed") : "none",
    retentionDays: c.retention?.basis === "agreed" ? String(c.retention.days) : "",
    systemIds: c.dataStores.map((s) => s.id),
    notes: c.notes,
  };
}

function retentionOf(v: TermsValues): CustomerChanges["retention"] {
  if (v.retention === "none") return null;
  if (v.retention === "policy") return "policy";
  return { days: Number(v.retentionDays) };
}

export function newCustomerOf(v: TermsValues): NewCustomer {
  return {
    name: v.name.trim(),
    contractStart: v.contractStart,
    ...(v.reference.trim() ? { reference: v.reference.trim() } : {}),
    ...(v.contractEnd ? { contractEnd: v.contractEnd } : {}),
    retention: retentionOf(v),
    systemIds: v.systemIds,
    ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
  };
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every((id) => b.includes(id));

/** Only what changed from the customer's current terms. */
export function changesOf(before: TermsValues, v: TermsValues): CustomerChanges {
  const changes: CustomerChanges = {};
  if (v.name.trim() !== before.name) changes.name = v.name.trim();
  if (v.reference.trim() !== before.reference) changes.reference = v.reference.trim() || null;
  if (v.contractStart !== before.contractStart) changes.contractStart = v.contractStart;
  if (v.contractEnd !== before.contractEnd) changes.contractEnd = v.contractEnd || null;
  if (
    v.retention !== before.retention ||
    (v.retention === "agreed" && v.retentionDays.trim() !== before.retentionDays)
  )
    changes.retention = retentionOf(v);
  if (!sameSet(v.systemIds, before.systemIds)) changes.systemIds = v.systemIds;
  if (v.notes.trim() !== before.notes.trim()) changes.notes = v.notes.trim();
  return changes;
}

function DataStoresPicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const systems = useQuery({
    queryKey: ["systems", "customer-data-stores"],
    queryFn: () =>
      fetchAll<{ id: string; name: string; customerData?: boolean }>(
        "/systems",
        { limit: 100 },
        20,
      ),
  });
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Data stores</legend>
      <p className="field-hint">The systems of the inventory holding the customer's data.</p>
      {systems.isPending && <p className="muted">Loading systems…</p>}
      {systems.isError && <p className="field-error">The systems could not be loaded.</p>}
      {systems.isSuccess && systems.data.length === 0 && <p className="muted">No systems yet.</p>}
      {(systems.data ?? []).map((s) => (
        <CheckboxField
          key={s.id}
          label={s.name}
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

export function CustomerTermsFields({
  values,
  onChange,
  errors,
}: {
  values: TermsValues;
  onChange: (values: TermsValues) => void;
  errors: FieldErrors;
}) {
  const set = <K extends keyof TermsValues>(key: K, value: TermsValues[K]) =>
    onChange({ ...values, [key]: value });
  return (
    <>
      <TextField
        label="Name"
        value={values.name}
        required
        maxLength={200}
        onChange={(e) => set("name", e.target.value)}
        error={errors.name}
      />
      <TextField
        label="Reference (optional)"
        value={values.reference}
        maxLength={200}
        hint="The customer's reference in another system: a CRM id, a contract number."
        onChange={(e) => set("reference", e.target.value)}
        error={errors.reference}
      />
      <TextField
        label="Contract start"
        type="date"
        value={values.contractStart}
        required
        onChange={(e) => set("contractStart", e.target.value)}
        error={errors.contractStart}
      />
      <TextField
        label="Contract end (optional)"
        type="date"
        value={values.contractEnd}
        hint="Empty while the contract runs."
        onChange={(e) => set("contractEnd", e.target.value)}
        error={errors.contractEnd}
      />
      <SelectField
        label="Retention"
        value={values.retention}
        hint="How long the customer's data is kept after the contract ends."
        onChange={(e) => set("retention", e.target.value as RetentionChoice)}
        error={values.retention === "agreed" ? undefined : errors.retention}
      >
        <option value="agreed">A number of days agreed with the customer</option>
        <option value="policy">Apply the organization's default</option>
        <option value="none">None recorded</option>
      </SelectField>
      {values.retention === "agreed" && (
        <TextField
          label="Retention (days)"
          type="number"
          min={0}
          max={36500}
          step={1}
          required
          value={values.retentionDays}
          onChange={(e) => set("retentionDays", e.target.value)}
          error={errors.days ?? errors.retention}
        />
      )}
      <DataStoresPicker
        value={values.systemIds}
        onChange={(ids) => set("systemIds", ids)}
        error={errors.systemIds}
      />
      <TextAreaField
        label="Notes (optional)"
        value={values.notes}
        rows={4}
        maxLength={4000}
        onChange={(e) => set("notes", e.target.value)}
        error={errors.notes}
      />
    </>
  );
}
