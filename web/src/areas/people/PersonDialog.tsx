// Adding a person to the people list, or changing one's email, job role, manager, type and dates.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { todayDateInput } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { peopleApi } from "./api";
import { ManagerSelect } from "./ManagerSelect";
import { useJobRoles } from "./queries";
import {
  EMPLOYMENT_TYPES,
  type EmploymentType,
  type NewPersonInput,
  type Person,
  type UpdatePersonInput,
} from "./types";

function PersonForm({ person, onDone }: { person: Person | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const listId = useId();
  const roles = useJobRoles();
  const [name, setName] = useState(person?.name ?? "");
  const [email, setEmail] = useState(person?.email ?? "");
  const [jobRole, setJobRole] = useState(person?.jobRole ?? "");
  const [startDate, setStartDate] = useState(person?.startDate ?? todayDateInput());
  const [endDate, setEndDate] = useState(person?.endDate ?? "");
  const [employmentType, setEmploymentType] = useState<EmploymentType>(
    person?.employmentType ?? "employee",
  );
  const [manager, setManager] = useState({
    id: person?.managerId ?? null,
    name: person?.managerName ?? null,
  });
  const save = useMutation({
    mutationFn: (input: NewPersonInput | UpdatePersonInput) =>
      person
        ? peopleApi.updatePerson(person.id, input)
        : peopleApi.createPerson(input as NewPersonInput),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.person(saved.id), saved);
      // People feed policy audiences and their deadlines: statuses may have changed.
      void queryClient.invalidateQueries({ queryKey: keys.people });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      void queryClient.invalidateQueries({ queryKey: keys.policies });
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (person) {
      const input: UpdatePersonInput = {};
      if (person.email !== email.trim()) input.email = email.trim();
      if (person.employmentType !== employmentType) input.employmentType = employmentType;
      if (person.managerId !== manager.id) input.managerId = manager.id;
      if ((person.jobRole ?? "") !== jobRole.trim()) input.jobRole = jobRole.trim() || null;
      if (person.startDate !== startDate) input.startDate = startDate;
      if ((person.endDate ?? "") !== endDate) input.endDate = endDate || null;
      if (Object.keys(input).length === 0) onDone();
      else save.mutate(input);
    } else {
      save.mutate({
        name: name.trim(),
        email: email.trim(),
        jobRole: jobRole.trim() || null,
        employmentType,
        managerId: manager.id,
        startDate,
        endDate: endDate || null,
      });
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      {!person && (
        <TextField
          label="Name"
          name="name"
          required
          maxLength={200}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        hint={
          person
            ? "Their reference stays the same when the email changes."
            : "If they have an Attest account with this email, it is linked."
        }
        error={errors.email}
      />
      <TextField
        label="Job role (optional)"
        name="jobRole"
        maxLength={100}
        list={listId}
        value={jobRole}
        onChange={(e) => setJobRole(e.target.value)}
        hint="Policies can apply to chosen job roles only."
        error={errors.jobRole}
      />
      <datalist id={listId}>
        {(roles.data ?? []).map((role) => (
          <option key={role} value={role} />
        ))}
      </datalist>
      <SelectField
        label="Employment type"
        name="employmentType"
        value={employmentType}
        onChange={(e) => setEmploymentType(e.target.value as EmploymentType)}
        error={errors.employmentType}
      >
        {EMPLOYMENT_TYPES.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </SelectField>
      <ManagerSelect
        value={manager.id}
        valueName={manager.name}
        excludeId={person?.id}
        onChange={(id, managerName) => setManager({ id, name: managerName })}
        error={errors.managerId}
      />
      <div className="field-row">
        <TextField
          label="Start date"
          name="startDate"
          type="date"
          required
          value={startDate}
          max={endDate || undefined}
          onChange={(e) => setStartDate(e.target.value)}
          error={errors.startDate}
        />
        <TextField
          label="End date (optional)"
          name="endDate"
          type="date"
          value={endDate}
          min={startDate || undefined}
          onChange={(e) => setEndDate(e.target.value)}
          hint="Their first day no longer with you."
          error={errors.endDate}
        />
      </div>
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : person ? "Save changes" : "Add person"}
        </button>
      </div>
    </form>
  );
}

/** `person`: null to add someone, a person to edit them, undefined when closed. */
export function PersonDialog({
  person,
  onClose,
}: {
  person: Person | null | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      open={person !== undefined}
      title={person ? `Edit ${person.name}` : "Add a person"}
      description={person?.email}
      onClose={onClose}
    >
      {person !== undefined && (
        <PersonForm key={person?.id ?? "new"} person={person} onDone={onClose} />
      )}
    </Modal>
  );
}
