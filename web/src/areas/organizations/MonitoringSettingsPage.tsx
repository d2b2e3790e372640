// Settings → Monitoring: the periods control tests use. Changing one re-evaluates every
// control at once.
import { useState } from "react";
import { TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { NUMBER_FIELDS, TEXT_FIELDS } from "./monitoring-settings.fields";
import { SaveActions, useOrganizationSave } from "./OrganizationSave";
import { useOrganization } from "./queries";
import type { OrganizationDetails, OrganizationSettings } from "./types";

type Name = keyof OrganizationSettings;

const TEXT_NAMES = new Set<Name>(TEXT_FIELDS.fields.map((f) => f.name));

/** What changed: numbers as numbers, texts trimmed; null when nothing did. */
function changedSettings(
  initial: OrganizationSettings,
  values: Record<Name, string>,
): Partial<OrganizationSettings> | null {
  const changed: Record<string, number | string> = {};
  for (const [name, text] of Object.entries(values) as [Name, string][]) {
    const value = TEXT_NAMES.has(name) ? text.trim() : Number(text);
    if (value !== initial[name]) changed[name] = value;
  }
  return Object.keys(changed).length === 0 ? null : (changed as Partial<OrganizationSettings>);
}

function SettingsForm({ organization }: { organization: OrganizationDetails }) {
  const initial = organization.settings;
  const [values, setValues] = useState<Record<Name, string>>(
    () =>
      Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, String(v)])) as Record<
        Name,
        string
      >,
  );
  const { formRef, onSubmit, save, errors, saved, edited } = useOrganizationSave({
    changes: () => {
      const changed = changedSettings(initial, values);
      return changed === null ? null : { settings: changed };
    },
    // Every control was re-evaluated with the new periods.
    invalidates: [keys.controls, keys.dashboard, keys.myPolicies],
  });
  const set = (name: Name, value: string) => {
    setValues({ ...values, [name]: value });
    edited();
  };

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      {NUMBER_FIELDS.map(({ group, fields }) => (
        <fieldset key={group} className="card section settings-group">
          <legend className="section-title settings-legend">{group}</legend>
          {fields.map((field) => (
            <TextField
              key={field.name}
              label={field.label}
              name={field.name}
              type="number"
              inputMode="numeric"
              required
              min={field.min}
              max={field.max}
              step={1}
              className="input-number"
              value={values[field.name]}
              onChange={(e) => set(field.name, e.target.value)}
              hint={field.hint}
              error={errors[field.name]}
            />
          ))}
        </fieldset>
      ))}
      <fieldset className="card section settings-group">
        <legend className="section-title settings-legend">{TEXT_FIELDS.group}</legend>
        <p className="muted">
          Shown to whoever declares or triages an incident when they choose its severity.
        </p>
        {TEXT_FIELDS.fields.map((field) => (
          <TextAreaField
            key={field.name}
            label={field.label}
            name={field.name}
            rows={2}
            maxLength={1000}
            value={values[field.name]}
            onChange={(e) => set(field.name, e.target.value)}
            error={errors[field.name]}
          />
        ))}
      </fieldset>
      <SaveActions
        pending={save.isPending}
        label="Save changes"
        saved={saved}
        savedText="Saved. Every control was re-evaluated with these periods."
      />
    </form>
  );
}

export function MonitoringSettingsPage() {
  const organization = useOrganization();
  return (
    <>
      <PageHeader
        title="Monitoring"
        eyebrow="Settings"
        description="The periods your control tests use. The defaults follow common SOC 2 practice; if you change one, change your policies' text to match. Every control is re-evaluated as soon as you save."
      />
      {organization.isPending && <PageLoading label="Loading settings" />}
      {organization.isError && (
        <LoadError error={organization.error} onRetry={() => organization.refetch()} />
      )}
      {organization.isSuccess && <SettingsForm organization={organization.data} />}
    </>
  );
}
