// First run: create the organization and its owner, then sign straight in.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef } from "react";
import { AuthLayout } from "../../ui/AuthLayout";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { PasswordField } from "../../ui/PasswordField";
import { keys } from "../../ui/queries";
import { useStartSession } from "../../ui/session";
import { authApi } from "./api";
import type { SetupInput } from "./types";

export function SetupPage() {
  const queryClient = useQueryClient();
  const startSession = useStartSession();
  const formRef = useRef<HTMLFormElement>(null);
  const setup = useMutation({
    mutationFn: authApi.setup,
    onSuccess: async () => {
      queryClient.setQueryData(keys.setup, { required: false });
      await startSession("/");
    },
  });
  const errors = fieldErrorsOf(setup.error);
  useFocusFirstInvalid(formRef, setup.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const v = readForm(event.currentTarget);
    const input: SetupInput = {
      organizationName: v.organizationName?.trim() ?? "",
      name: v.name?.trim() ?? "",
      email: v.email?.trim() ?? "",
      password: v.password ?? "",
    };
    setup.mutate(input);
  }

  return (
    <AuthLayout
      title="Set up Attest"
      subtitle={
        <p>
          Create your organization and the owner account. You can invite the rest of your team once
          you are in.
        </p>
      }
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={setup.isPending}>
        <FormAlert error={setup.error} title="Setup could not be completed" />
        <TextField
          label="Organization name"
          name="organizationName"
          autoComplete="organization"
          required
          maxLength={200}
          error={errors.organizationName}
        />
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          maxLength={200}
          error={errors.name}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint="At least 12 characters, not a common password, and not made of your name, email or organization. A few unrelated words work well."
          error={errors.password}
        />
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={setup.isPending}
        >
          {setup.isPending ? "Creating organization…" : "Create organization"}
        </button>
      </form>
    </AuthLayout>
  );
}
