// The one-field form that creates a named token (API tokens, SCIM tokens): the list it adds to
// is refreshed, and the created token (shown once) goes to the caller.
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { TextField } from "./Field";
import { FormAlert } from "./FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "./forms";

export function CreateTokenForm<Created>({
  create,
  listKey,
  onCreated,
  maxLength,
  placeholder,
  submitLabel,
}: {
  create: (name: string) => Promise<Created>;
  /** The query of the token list, refreshed once a token is made. */
  listKey: QueryKey;
  onCreated: (token: Created) => void;
  maxLength: number;
  placeholder: string;
  submitLabel: string;
}) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const mutation = useMutation({
    mutationFn: create,
    onSuccess: (token) => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: listKey });
      onCreated(token);
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  useFocusFirstInvalid(formRef, mutation.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate(name.trim());
  }

  return (
    <form
      ref={formRef}
      className="form inline-form"
      onSubmit={onSubmit}
      aria-busy={mutation.isPending}
    >
      <FormAlert error={mutation.error} />
      <TextField
        label="Token name"
        name="name"
        required
        maxLength={maxLength}
        placeholder={placeholder}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <button type="submit" className="button button-secondary" disabled={mutation.isPending}>
        {mutation.isPending ? "Creating…" : submitLabel}
      </button>
    </form>
  );
}
