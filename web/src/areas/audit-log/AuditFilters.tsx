// The audit log filter form. Values live in the URL so a filtered view can be shared.

import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { useCan } from "../../ui/session";
import { useAllUsers } from "../users/queries";
import { useAuditActions } from "./queries";

export interface AuditFilterValues {
  action: string;
  actorId: string;
  from: string; // yyyy-mm-dd
  to: string; // yyyy-mm-dd
}

function ActorField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const can = useCan();
  const users = useAllUsers(can("users.read"));
  if (!can("users.read") || users.isError) {
    return (
      <TextField
        label="Actor ID"
        name="actorId"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
      />
    );
  }
  return (
    <SelectField
      label="Actor"
      name="actorId"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">Anyone</option>
      {(users.data ?? []).map((user) => (
        <option key={user.id} value={user.id}>
          {user.name}
        </option>
      ))}
      {value && users.data && !users.data.some((u) => u.id === value) && (
        <option value={value}>{value}</option>
      )}
    </SelectField>
  );
}

/** The actions that occur in the trail, by label; a value from the URL that is not one stays. */
function ActionField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const actions = useAuditActions();
  const known = actions.data ?? [];
  return (
    <SelectField
      label="Action"
      name="action"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={actions.isError ? "The list of actions did not load." : undefined}
    >
      <option value="">Any action</option>
      {known.map((a) => (
        <option key={a.action} value={a.action}>
          {a.label}
        </option>
      ))}
      {value && !known.some((a) => a.action === value) && <option value={value}>{value}</option>}
    </SelectField>
  );
}

interface AuditFiltersProps {
  initial: AuditFilterValues;
  onApply: (values: AuditFilterValues) => void;
}

export function AuditFilters({ initial, onApply }: AuditFiltersProps) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: { action: "", actorId: "", from: "", to: "" },
    onApply,
    tidy: (v) => ({ ...v, action: v.action.trim(), actorId: v.actorId.trim() }),
  });

  return (
    <FilterForm label="Filter audit events" onApply={apply} onClear={clear}>
      <ActionField value={values.action} onChange={(value) => set("action", value)} />
      <ActorField value={values.actorId} onChange={(value) => set("actorId", value)} />
      <TextField
        label="From"
        name="from"
        type="date"
        value={values.from}
        max={values.to || undefined}
        onChange={(e) => set("from", e.target.value)}
      />
      <TextField
        label="To"
        name="to"
        type="date"
        value={values.to}
        min={values.from || undefined}
        onChange={(e) => set("to", e.target.value)}
      />
    </FilterForm>
  );
}
