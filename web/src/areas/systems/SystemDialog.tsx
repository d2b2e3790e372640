// Adding a system to the inventory, or changing one: every attribute the checks read.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { JobRolesInput } from "../people/JobRolesInput";
import { systemsApi } from "./api";
import { CLASSIFICATIONS, KINDS } from "./labels";
import { systemKeys, useActivePeople } from "./queries";
import type { Classification, NewSystemInput, System, SystemKind } from "./types";

const FLAGS = [
  ["production", "Production", "Part of the production environment."],
  ["customerData", "Holds customer data", "Access to it is checked against the allowed roles."],
  ["backedUp", "Backed up", "Its backups must be restore-tested every year."],
  ["scanned", "Scanned", "Vulnerability scans must be imported regularly."],
  ["internetFacing", "Internet-facing", "Its endpoints must serve TLS."],
] as const;
type Flag = (typeof FLAGS)[number][0];

function initialOf(system: System | null) {
  return {
    name: system?.name ?? "",
    kind: system?.kind ?? ("application" as SystemKind),
    description: system?.description ?? "",
    ownerId: system?.ownerId ?? "",
    classification: (system?.classification ?? "") as Classification | "",
    production: system?.production ?? false,
    customerData: system?.customerData ?? false,
    backedUp: system?.backedUp ?? false,
    scanned: system?.scanned ?? false,
    internetFacing: system?.internetFacing ?? false,
    allowedRoles: system?.allowedRoles ?? [],
    adminRoles: system?.adminRoles ?? [],
    reviewPeriodDays: system?.reviewPeriodDays ? String(system.reviewPeriodDays) : "",
  };
}
type Values = ReturnType<typeof initialOf>;

/** The request body of the form's values: all of them, or for an edit only what changed. */
function bodyOf(values: Values, system: System | null): NewSystemInput {
  const full: NewSystemInput = {
    name: values.name.trim(),
    kind: values.kind,
    description: values.description.trim(),
    ownerId: values.ownerId || null,
    classification: values.classification || null,
    production: values.production,
    customerData: values.customerData,
    backedUp: values.backedUp,
    scanned: values.scanned,
    internetFacing: values.internetFacing,
    allowedRoles: values.allowedRoles,
    adminRoles: values.adminRoles,
    reviewPeriodDays: values.reviewPeriodDays ? Number(values.reviewPeriodDays) : null,
  };
  if (!system) return full;
  const before = bodyOf(initialOf(system), null);
  return Object.fromEntries(
    Object.entries(full).filter(
      ([key, value]) =>
        JSON.stringify(value) !== JSON.stringify(before[key as keyof NewSystemInput]),
    ),
  ) as NewSystemInput;
}

function SystemForm({ system, onDone }: { system: System | null; onDone: (s?: System) => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const people = useActivePeople();
  const [values, setValues] = useState(() => initialOf(system));
  const set = <K extends keyof Values>(name: K, value: Values[K]) =>
    setValues((current) => ({ ...current, [name]: value }));
  const save = useMutation({
    mutationFn: (input: NewSystemInput) =>
      system ? systemsApi.updateSystem(system.id, input) : systemsApi.createSystem(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(systemKeys.system(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: systemKeys.all });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      onDone(saved);
    },
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = bodyOf(values, system);
    if (Object.keys(body).length === 0) onDone();
    else save.mutate(body);
  }

  // The current owner stays choosable even when they are no longer active (to show who it is).
  const owners = people.data ?? [];
  const ownerListed = !values.ownerId || owners.some((p) => p.id === values.ownerId);
  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      <TextField
        label="Name"
        name="name"
        required
        maxLength={200}
        autoComplete="off"
        value={values.name}
        onChange={(e) => set("name", e.target.value)}
        error={errors.name}
      />
      <div className="field-row">
        <SelectField
          label="Kind"
          name="kind"
          value={values.kind}
          onChange={(e) => set("kind", e.target.value as SystemKind)}
          error={errors.kind}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Data classification"
          name="classification"
          value={values.classification}
          onChange={(e) => set("classification", e.target.value as Classification | "")}
          error={errors.classification}
        >
          <option value="">Unclassified</option>
          {CLASSIFICATIONS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField
        label="Owner"
        name="ownerId"
        value={values.ownerId}
        onChange={(e) => set("ownerId", e.target.value)}
        hint="An active person who answers for the system and carries out its access changes."
        error={errors.ownerId}
      >
        <option value="">No owner</option>
        {!ownerListed && system && (
          <option value={values.ownerId}>{system.ownerName ?? "Former owner"} (not active)</option>
        )}
        {owners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.email})
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Description (optional)"
        name="description"
        maxLength={5000}
        rows={3}
        value={values.description}
        onChange={(e) => set("description", e.target.value)}
        error={errors.description}
      />
      <fieldset className="fieldset">
        <legend className="field-label">Scope</legend>
        {FLAGS.map(([name, label, hint]) => (
          <CheckboxField
            key={name}
            label={label}
            name={name}
            hint={hint}
            checked={values[name as Flag]}
            onChange={(e) => set(name as Flag, e.target.checked)}
            error={errors[name]}
          />
        ))}
      </fieldset>
      <JobRolesInput
        label="Job roles allowed"
        hint="People whose job role is listed may hold access here."
        value={values.allowedRoles}
        onChange={(roles) => set("allowedRoles", roles)}
        error={errors.allowedRoles}
      />
      <JobRolesInput
        label="Job roles allowed admin"
        hint="Listed on its own: a role allowed admin need not be in the list above."
        value={values.adminRoles}
        onChange={(roles) => set("adminRoles", roles)}
        error={errors.adminRoles}
      />
      <TextField
        label="Access review period in days (optional)"
        name="reviewPeriodDays"
        type="number"
        min={1}
        max={3650}
        value={values.reviewPeriodDays}
        onChange={(e) => set("reviewPeriodDays", e.target.value)}
        hint="Empty: the organization's default."
        error={errors.reviewPeriodDays}
      />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={() => onDone()}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : system ? "Save changes" : "Add system"}
        </button>
      </div>
    </form>
  );
}

/** `system`: null to add one, a system to edit it, undefined when closed. */
export function SystemDialog({
  system,
  onClose,
}: {
  system: System | null | undefined;
  onClose: (saved?: System) => void;
}) {
  return (
    <Modal
      open={system !== undefined}
      title={system ? `Edit ${system.name}` : "Add a system"}
      onClose={() => onClose()}
    >
      {system !== undefined && (
        <SystemForm key={system?.id ?? "new"} system={system} onDone={onClose} />
      )}
    </Modal>
  );
}
