// Fields the declare form and the triage form share: the affected systems and customers.
import { useQuery } from "@tanstack/react-query";
import { CheckboxField, TextField } from "../../ui/Field";
import { fetchAll } from "../../ui/pager";
import { useCan } from "../../ui/session";

/** "Acme, Globex" → ["Acme", "Globex"]. */
export function customerList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export interface ImpactValues {
  customersAffected: boolean;
  customerDataAffected: boolean;
  affectedCustomers: string;
  systemIds: string[];
}

export function ImpactFields({
  values,
  onChange,
  errors,
}: {
  values: ImpactValues;
  onChange: (values: ImpactValues) => void;
  errors: Record<string, string>;
}) {
  const can = useCan();
  const systems = useQuery({
    queryKey: ["systems", "list", "incident-options"],
    queryFn: () =>
      fetchAll<{ id: string; name: string }>("/systems", { archived: "false", limit: 100 }, 20),
    enabled: can("systems.read"),
  });
  const toggle = (id: string, on: boolean) =>
    onChange({
      ...values,
      systemIds: on ? [...values.systemIds, id] : values.systemIds.filter((s) => s !== id),
    });
  return (
    <>
      <CheckboxField
        label="Customers are affected"
        hint="Affected customers must be told by a published notice within the set hours of the incident's confirmation."
        checked={values.customersAffected}
        onChange={(e) => onChange({ ...values, customersAffected: e.target.checked })}
        error={errors.customersAffected}
      />
      <CheckboxField
        label="Customer data is affected"
        checked={values.customerDataAffected}
        onChange={(e) => onChange({ ...values, customerDataAffected: e.target.checked })}
        error={errors.customerDataAffected}
      />
      <TextField
        label="Affected customers (optional)"
        value={values.affectedCustomers}
        hint="Names separated by commas."
        onChange={(e) => onChange({ ...values, affectedCustomers: e.target.value })}
        error={errors.affectedCustomers}
      />
      {(systems.data ?? []).length > 0 && (
        <fieldset className="incident-fieldset">
          <legend className="field-label">Affected systems</legend>
          {(systems.data ?? []).map((s) => (
            <CheckboxField
              key={s.id}
              label={s.name}
              checked={values.systemIds.includes(s.id)}
              onChange={(e) => toggle(s.id, e.target.checked)}
            />
          ))}
          {errors.systemIds && <p className="field-error">{errors.systemIds}</p>}
        </fieldset>
      )}
    </>
  );
}
