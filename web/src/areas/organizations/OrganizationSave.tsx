// What the forms under Settings that change the organization share: one PATCH /organization
// with what changed (nothing sent when nothing did), errors by field with focus on the first,
// and a status line that says "saved" until a field changes again.
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { keys } from "../../ui/queries";
import { organizationsApi } from "./api";
import type { OrganizationDetails, UpdateOrganizationInput } from "./types";

interface Options {
  /** What the form changed, or null when nothing did (then nothing is sent). */
  changes: () => UpdateOrganizationInput | null;
  /** Queries that show what was saved, beyond the organization itself. */
  invalidates?: QueryKey[];
  onSaved?: (updated: OrganizationDetails) => void;
}

export function useOrganizationSave({ changes, invalidates = [], onSaved }: Options) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: organizationsApi.updateOrganization,
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.organization, updated);
      for (const queryKey of invalidates) void queryClient.invalidateQueries({ queryKey });
      onSaved?.(updated);
      setSaved(true);
    },
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const input = changes();
    if (input === null) setSaved(true);
    else save.mutate(input);
  }

  return {
    formRef,
    onSubmit,
    save,
    errors,
    saved,
    /** A field changed: what was saved no longer shows on the form. */
    edited: () => setSaved(false),
  };
}

/** The form's save button and the status line read out once it has saved. */
export function SaveActions({
  pending,
  label,
  saved,
  savedText,
}: {
  pending: boolean;
  label: string;
  saved: boolean;
  savedText: string;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      <span className="form-status" role="status">
        {saved ? savedText : ""}
      </span>
    </div>
  );
}
