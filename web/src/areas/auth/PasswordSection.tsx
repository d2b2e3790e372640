// My account → change password (which signs out other devices and revokes API tokens).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { PasswordField } from "../../ui/PasswordField";
import { keys } from "../../ui/queries";
import { authApi } from "./api";

export function PasswordSection() {
  const formRef = useRef<HTMLFormElement>(null);
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: authApi.changePassword,
    onSuccess: (result) => {
      formRef.current?.reset();
      setSaved(passwordChangedMessage(result));
      void queryClient.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  const errors = fieldErrorsOf(change.error);
  useFocusFirstInvalid(formRef, change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
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
        <p className="muted">
          Changing it signs you out on your other devices and revokes your API tokens.
        </p>
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
            {saved ?? ""}
          </span>
        </div>
      </form>
    </section>
  );
}

function passwordChangedMessage(result: { sessionsEnded: number; tokensRevoked: number }) {
  return `Password changed. ${plural(result.sessionsEnded, "other session")} signed out, ${plural(result.tokensRevoked, "API token")} revoked.`;
}
