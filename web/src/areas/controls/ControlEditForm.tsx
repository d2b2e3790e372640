// Editing a control's owner and its Trust Services Criteria mapping.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { parseCriteria } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { keys } from "../../ui/queries";
import type { Control } from "../../ui/schema";
import { useCan } from "../../ui/session";
import { useAllUsers } from "../users/queries";
import { controlsApi } from "./api";
import type { UpdateControlInput } from "./types";

function OwnerOptions({ control }: { control: Control }) {
  const can = useCan();
  const users = useAllUsers(can("users.read"));
  const candidates = (users.data ?? []).filter((u) => u.status !== "deactivated");
  const ownerListed = control.owner && candidates.some((u) => u.id === control.owner?.id);
  return (
    <>
      <option value="">No owner</option>
      {control.owner && !ownerListed && (
        <option value={control.owner.id}>{control.owner.name}</option>
      )}
      {candidates.map((user) => (
        <option key={user.id} value={user.id}>
          {user.name} ({user.email})
        </option>
      ))}
    </>
  );
}

export function ControlEditForm({ control }: { control: Control }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(false);
  const [ownerId, setOwnerId] = useState(control.owner?.id ?? "");
  const [criteria, setCriteria] = useState(control.criteria.join(", "));
  const update = useMutation({
    mutationFn: (input: UpdateControlInput) => controlsApi.updateControl(control.key, input),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.control(control.key), updated);
      setCriteria(updated.criteria.join(", "));
      void queryClient.invalidateQueries({ queryKey: keys.controls, exact: true });
      setSaved(true);
    },
  });
  const errors = fieldErrorsOf(update.error);
  useFocusFirstInvalid(formRef, update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    update.mutate({ ownerId: ownerId || null, criteria: parseCriteria(criteria) });
  }

  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={onSubmit}
      onChange={() => setSaved(false)}
      aria-busy={update.isPending}
    >
      <FormAlert error={update.error} />
      <SelectField
        label="Owner"
        name="ownerId"
        value={ownerId}
        onChange={(e) => setOwnerId(e.target.value)}
        error={errors.ownerId}
      >
        <OwnerOptions control={control} />
      </SelectField>
      <TextField
        label="Trust Services Criteria"
        name="criteria"
        value={criteria}
        onChange={(e) => setCriteria(e.target.value)}
        hint="Criterion ids separated by commas or spaces, for example CC6.1, CC6.3"
        spellCheck={false}
        autoCapitalize="characters"
        error={errors.criteria}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
        <span className="form-status" role="status">
          {saved ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}
