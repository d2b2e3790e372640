// My account → change password.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api } from "../api";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../forms";
import { FormAlert } from "./FormAlert";
import { PasswordField } from "./PasswordField";

export function PasswordSection() {
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(false);
  const change = useMutation({
    mutationFn: api.changePassword,
    onSuccess: () => {
      formRef.current?.reset();
      setSaved(true);
    },
  });
  const errors = fieldErrorsOf(change.error);
  useFocusFirstInvalid(formRef, change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const v = readForm(event.currentTarget);
    change.mutate({ currentPassword: v.currentPassword ?? "", newPassword: v.newPassword ?? "" });
  }

  return (
    <section className="card section" aria-labelledby="password-heading">
      <h2 id="password-heading" className="section-title">
        Password
      </h2>
      <form
        ref={formRef}
        className="form form-narrow"
        onSubmit={onSubmit}
        aria-busy={change.isPending}
      >
        <FormAlert error={change.error} />
        <PasswordField
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <PasswordField
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          required
          minLength={12}
          hint="At least 12 characters, not a common password, and not made of your name, email or organization. A few unrelated words work well."
          error={errors.newPassword}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
          <span className="form-status" role="status">
            {saved ? "Password changed" : ""}
          </span>
        </div>
      </form>
    </section>
  );
}
