// Sign in: email and password, then (when two-factor is on) an authenticator or recovery code.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { AuthLayout } from "../../ui/AuthLayout";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { PasswordField } from "../../ui/PasswordField";
import { useStartSession } from "../../ui/session";
import { SsoSignIn } from "../sso/SsoSignIn";
import { authApi } from "./api";
import type { LoginResult } from "./types";

function useLogin(onMfaRequired: () => void) {
  const [params] = useSearchParams();
  const startSession = useStartSession();
  return useMutation({
    mutationFn: authApi.login,
    onSuccess: async (result: LoginResult) => {
      if (result.status === "mfa_required") onMfaRequired();
      else await startSession(params.get("next") ?? "/");
    },
  });
}

function CredentialsStep({ onMfaRequired }: { onMfaRequired: () => void }) {
  const login = useLogin(onMfaRequired);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = fieldErrorsOf(login.error);
  useFocusFirstInvalid(formRef, login.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const v = readForm(event.currentTarget);
    login.mutate({ email: v.email?.trim() ?? "", password: v.password ?? "" });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={login.isPending}>
      <FormAlert error={login.error} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        error={errors.email}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={login.isPending}
      >
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function MfaStep({ onRestart }: { onRestart: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const login = useLogin(() => undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const codeError =
    login.error instanceof ApiError && login.error.code === "invalid_mfa_code"
      ? useRecovery
        ? "That recovery code is not valid or was already used."
        : "That code is not valid. Check the time on your device and try the newest code."
      : fieldErrorsOf(login.error).code;
  useFocusFirstInvalid(formRef, login.error);

  function toggleRecovery() {
    login.reset();
    setUseRecovery((v) => !v);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = (readForm(event.currentTarget).code ?? "").trim();
    login.mutate({ code: useRecovery ? code.toLowerCase() : code.replace(/\s+/g, "") });
  }

  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={onSubmit}
      aria-busy={login.isPending}
      key={String(useRecovery)}
    >
      <FormAlert error={codeError ? null : login.error} />
      {useRecovery ? (
        <TextField
          label="Recovery code"
          name="code"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          placeholder="abcd-efgh-ijkl"
          hint="Each recovery code works once."
          error={codeError}
        />
      ) : (
        <TextField
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          autoFocus
          hint="The 6-digit code from your authenticator app."
          error={codeError}
        />
      )}
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={login.isPending}
      >
        {login.isPending ? "Verifying…" : "Verify"}
      </button>
      <div className="form-links">
        <button type="button" className="link-button" onClick={toggleRecovery}>
          {useRecovery ? "Use your authenticator app instead" : "Use a recovery code instead"}
        </button>
        <button type="button" className="link-button" onClick={onRestart}>
          Start over
        </button>
      </div>
    </form>
  );
}

export function LoginPage() {
  const [params] = useSearchParams();
  // Back from single sign-on with Attest's own second factor still due.
  const [step, setStep] = useState<"credentials" | "mfa">(
    params.get("sso") === "mfa" ? "mfa" : "credentials",
  );
  return (
    <AuthLayout
      title={step === "credentials" ? "Sign in to Attest" : "Two-factor authentication"}
      subtitle={
        step === "credentials" ? (
          <p>Welcome back. Sign in with your work email.</p>
        ) : (
          <p>Enter the code from your authenticator app to finish signing in.</p>
        )
      }
      footer={<p>New here? Ask an owner or admin of your organization for an invitation.</p>}
    >
      {step === "credentials" ? (
        <>
          <SsoSignIn />
          <CredentialsStep onMfaRequired={() => setStep("mfa")} />
        </>
      ) : (
        <MfaStep onRestart={() => setStep("credentials")} />
      )}
    </AuthLayout>
  );
}
