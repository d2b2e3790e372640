// The steps of turning two-factor on: scan or type the secret, confirm a code, keep the
// recovery codes.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef } from "react";
import { CopyButton } from "../../ui/CopyButton";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { groupsOfFour } from "../../ui/format";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { authApi } from "./api";
import type { MfaConfirmed, MfaEnrollment } from "./types";

/** What turning two-factor on answers: the recovery codes, and how many sessions ended. */
interface EnrollStepsProps {
  enrollment: MfaEnrollment;
  onConfirmed: (confirmed: MfaConfirmed) => void;
  onCancel: () => void;
}

export function EnrollSteps({ enrollment, onConfirmed, onCancel }: EnrollStepsProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const confirm = useMutation({
    mutationFn: authApi.confirmMfa,
    onSuccess: onConfirmed,
  });
  const codeError =
    fieldErrorsOf(confirm.error).code ??
    (confirm.error instanceof ApiError && confirm.error.code === "invalid_mfa_code"
      ? "That code is not valid. Check the time on your device and try the newest code."
      : undefined);
  useFocusFirstInvalid(formRef, confirm.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate((readForm(event.currentTarget).code ?? "").replace(/\s+/g, ""));
  }

  return (
    <ol className="steps">
      <li className="step">
        <h3 className="step-title">Add Attest to your authenticator app</h3>
        <p>
          In an app such as 1Password, Google Authenticator or Authy, add an account and type in
          this key. On a phone, you can{" "}
          <a href={enrollment.otpauthUrl}>open it in your authenticator app</a>.
        </p>
        <div className="secret-box">
          <code className="secret-value secret-grouped" data-testid="mfa-secret">
            {groupsOfFour(enrollment.secret).map((group, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list that never reorders
              <span key={i}>{group}</span>
            ))}
          </code>
          <CopyButton value={enrollment.secret} label="Copy key" />
        </div>
        <details className="disclosure-inline">
          <summary>Show the full setup URL</summary>
          <div className="secret-box">
            <code className="secret-value">{enrollment.otpauthUrl}</code>
            <CopyButton value={enrollment.otpauthUrl} label="Copy URL" />
          </div>
        </details>
      </li>
      <li className="step">
        <h3 className="step-title">Enter the code it shows</h3>
        <form
          ref={formRef}
          className="form form-narrow"
          onSubmit={onSubmit}
          aria-busy={confirm.isPending}
        >
          <FormAlert error={codeError ? null : confirm.error} />
          <TextField
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            required
            hint="6 digits, refreshed every 30 seconds."
            error={codeError}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={confirm.isPending}>
              {confirm.isPending ? "Checking…" : "Confirm"}
            </button>
            <button type="button" className="button button-secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      </li>
    </ol>
  );
}

function downloadCodes(codes: string[]): void {
  const blob = new Blob([`Attest recovery codes\n\n${codes.join("\n")}\n`], { type: "text/plain" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = "attest-recovery-codes.txt";
  link.click();
  URL.revokeObjectURL(url);
}

interface RecoveryCodesProps {
  codes: string[];
  sessionsEnded: number;
  onSaved: () => void;
}

export function RecoveryCodes({ codes, sessionsEnded, onSaved }: RecoveryCodesProps) {
  // It replaces the form just submitted: focus goes to the confirmation, not to <body>.
  const confirmation = useRef<HTMLDivElement>(null);
  useEffect(() => confirmation.current?.focus(), []);
  return (
    <div className="stack">
      <div className="alert alert-success" role="status" tabIndex={-1} ref={confirmation}>
        <div className="alert-body">
          <p className="alert-title">Two-factor authentication is on</p>
          <p>
            Save these recovery codes somewhere safe, such as your password manager. Each one signs
            you in once if you lose your device. They are shown only now.
          </p>
          {sessionsEnded > 0 && (
            <p data-testid="sessions-ended">
              {sessionsEnded === 1
                ? "Your 1 other session was signed out."
                : `Your ${sessionsEnded} other sessions were signed out.`}
            </p>
          )}
        </div>
      </div>
      <ul className="recovery-codes mono" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="form-actions">
        <CopyButton
          value={codes.join("\n")}
          label="Copy codes"
          className="button button-secondary"
        />
        <button
          type="button"
          className="button button-secondary"
          onClick={() => downloadCodes(codes)}
        >
          Download
        </button>
        <button type="button" className="button button-primary" onClick={onSaved}>
          I have saved my recovery codes
        </button>
      </div>
    </div>
  );
}
