// My account → two-factor authentication: enrol, show recovery codes once, or turn it off.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { PasswordField } from "../../ui/PasswordField";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import { useSession } from "../../ui/session";
import { authApi } from "./api";
import { EnrollSteps, RecoveryCodes } from "./MfaEnrollment";
import type { MfaConfirmed, MfaEnrollment } from "./types";

function DisableForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const disable = useMutation({
    mutationFn: authApi.disableMfa,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.me });
      onDone();
    },
  });
  const requiredByOrg =
    disable.error instanceof ApiError && disable.error.code === "mfa_required_by_organization";
  const errors = fieldErrorsOf(disable.error);
  useFocusFirstInvalid(formRef, disable.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    disable.mutate(readForm(event.currentTarget).password ?? "");
  }

  return (
    <form
      ref={formRef}
      className="form form-narrow"
      onSubmit={onSubmit}
      aria-busy={disable.isPending}
    >
      <FormAlert
        error={disable.error}
        title={requiredByOrg ? "Your organization requires two-factor authentication" : undefined}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        hint="Enter your password to turn two-factor authentication off."
        error={errors.password}
      />
      <div className="form-actions">
        <button type="submit" className="button button-danger" disabled={disable.isPending}>
          {disable.isPending ? "Turning off…" : "Turn off two-factor authentication"}
        </button>
      </div>
    </form>
  );
}

function EnabledState({ onDisabled }: { onDisabled: () => void }) {
  const { organization } = useSession();
  return (
    <div className="stack">
      <p>
        <Badge tone="success">On</Badge> You sign in with your password and a code from your
        authenticator app. If you lose your device, use one of your recovery codes.
      </p>
      {organization.requireMfa ? (
        <p className="muted">
          Your organization requires two-factor authentication, so it cannot be turned off.
        </p>
      ) : (
        <DisableForm onDone={onDisabled} />
      )}
    </div>
  );
}

function EnrollFlow({ onConfirmed }: { onConfirmed: (confirmed: MfaConfirmed) => void }) {
  const [enrollment, setEnrollment] = useState<MfaEnrollment | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const enroll = useMutation({ mutationFn: authApi.enrollMfa, onSuccess: setEnrollment });
  const errors = fieldErrorsOf(enroll.error);
  useFocusFirstInvalid(formRef, enroll.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    enroll.mutate(readForm(event.currentTarget).password ?? "");
  }

  if (enrollment) {
    return (
      <EnrollSteps
        enrollment={enrollment}
        onConfirmed={onConfirmed}
        onCancel={() => {
          enroll.reset();
          setEnrollment(null);
        }}
      />
    );
  }
  return (
    <div className="stack">
      <p>
        <Badge>Off</Badge> Add a second step to sign-in: a 6-digit code from an authenticator app on
        your phone. It stops anyone who learns your password.
      </p>
      <form
        ref={formRef}
        className="form form-narrow"
        onSubmit={onSubmit}
        aria-busy={enroll.isPending}
      >
        <FormAlert error={enroll.error} />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          hint="Enter your password to turn two-factor authentication on (leave it empty if you only sign in with single sign-on). Your other sessions will be signed out."
          error={errors.password}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={enroll.isPending}>
            {enroll.isPending ? "Preparing…" : "Enable two-factor authentication"}
          </button>
        </div>
      </form>
    </div>
  );
}

export function MfaSection() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  // Recovery codes are held here so they stay on screen until the user says they saved them,
  // whatever the session reloads in the meantime.
  const [confirmed, setConfirmed] = useState<MfaConfirmed | null>(null);
  // When the part holding focus is replaced (codes saved, two-factor turned off), focus goes to
  // the section's heading rather than to <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  const [replaced, setReplaced] = useState(0);
  useEffect(() => {
    if (replaced > 0) heading.current?.focus();
  }, [replaced]);
  const focusHeading = () => setReplaced((n) => n + 1);

  async function onSaved() {
    await queryClient.invalidateQueries({ queryKey: keys.me });
    setConfirmed(null);
    focusHeading();
  }

  return (
    <section className="card section" aria-labelledby="two-factor-heading" id="two-factor">
      <h2 id="two-factor-heading" className="section-title" tabIndex={-1} ref={heading}>
        Two-factor authentication
      </h2>
      {confirmed ? (
        <RecoveryCodes
          codes={confirmed.recoveryCodes}
          sessionsEnded={confirmed.sessionsEnded}
          onSaved={onSaved}
        />
      ) : user.mfaEnabled ? (
        <EnabledState onDisabled={focusHeading} />
      ) : (
        <EnrollFlow onConfirmed={setConfirmed} />
      )}
    </section>
  );
}
