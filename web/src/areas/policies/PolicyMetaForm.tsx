// A policy's title, visibility and audience. Only changed fields are sent.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { JobRolesInput } from "../people/JobRolesInput";
import { policiesApi } from "./api";
import { usePolicySaved } from "./policy-cache";
import type { Policy, UpdatePolicyInput, Visibility } from "./types";

function changes(
  policy: Policy,
  title: string,
  visibility: Visibility,
  all: boolean,
  roles: string[],
) {
  const input: UpdatePolicyInput = {};
  if (title.trim() !== policy.title) input.title = title.trim();
  if (visibility !== policy.visibility) input.visibility = visibility;
  const sameRoles =
    roles.length === policy.audience.jobRoles.length &&
    roles.every((r) => policy.audience.jobRoles.includes(r));
  if (all !== policy.audience.all || (!all && !sameRoles)) {
    input.audience = { all, jobRoles: all ? [] : roles };
  }
  return input;
}

function Radio({
  name,
  value,
  checked,
  onChange,
  label,
  hint,
}: {
  name: string;
  value: string;
  checked: boolean;
  onChange: () => void;
  label: string;
  hint: string;
}) {
  const id = `${name}-${value}`;
  return (
    <div className="field field-check">
      <input
        id={id}
        type="radio"
        className="radio"
        name={name}
        value={value}
        checked={checked}
        onChange={onChange}
        aria-describedby={`${id}-hint`}
      />
      <div>
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      </div>
    </div>
  );
}

export function PolicyMetaForm({ policy }: { policy: Policy }) {
  const formRef = useRef<HTMLFormElement>(null);
  const saved = usePolicySaved();
  const [title, setTitle] = useState(policy.title);
  const [visibility, setVisibility] = useState<Visibility>(policy.visibility);
  const [all, setAll] = useState(policy.audience.all);
  const [roles, setRoles] = useState(policy.audience.jobRoles);
  const [done, setDone] = useState(false);
  const update = useMutation({
    mutationFn: (input: UpdatePolicyInput) => policiesApi.updatePolicy(policy.id, input),
    onSuccess: (updated) => {
      saved(updated);
      setDone(true);
    },
  });
  const errors = fieldErrorsOf(update.error);
  useFocusFirstInvalid(formRef, update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const input = changes(policy, title, visibility, all, roles);
    if (Object.keys(input).length === 0) setDone(true);
    else update.mutate(input);
  }

  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={onSubmit}
      onChange={() => setDone(false)}
      aria-busy={update.isPending}
    >
      <FormAlert error={update.error} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.title}
      />
      <fieldset className="fieldset">
        <legend className="field-label">Visibility</legend>
        <Radio
          name={`visibility-${policy.id}`}
          value="internal"
          checked={visibility === "internal"}
          onChange={() => setVisibility("internal")}
          label="Internal"
          hint="Only people in your organization can read it."
        />
        <Radio
          name={`visibility-${policy.id}`}
          value="public"
          checked={visibility === "public"}
          onChange={() => setVisibility("public")}
          label="Public"
          hint="The current version is also shown on your trust center."
        />
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field-label">Who must acknowledge it</legend>
        <Radio
          name={`audience-${policy.id}`}
          value="all"
          checked={all}
          onChange={() => setAll(true)}
          label="All personnel"
          hint="Everyone active in the people list."
        />
        <Radio
          name={`audience-${policy.id}`}
          value="roles"
          checked={!all}
          onChange={() => setAll(false)}
          label="Chosen job roles"
          hint="Only people with one of the job roles below."
        />
      </fieldset>
      {!all && (
        <JobRolesInput
          label="Job roles"
          hint="People whose job role matches one of these must acknowledge the policy."
          value={roles}
          onChange={(next) => {
            setRoles(next);
            setDone(false);
          }}
          error={errors.jobRoles ?? errors.audience}
        />
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save details"}
        </button>
        <span className="form-status" role="status">
          {done ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}
