// Accepting an invitation: choose a name and password, then land on the dashboard.
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useRef } from "react";
import { Link, useParams } from "react-router";
import { AuthLayout } from "../../ui/AuthLayout";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { ROLES, roleLabel } from "../../ui/format";
import { fieldErrorsOf, readForm, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PasswordField } from "../../ui/PasswordField";
import { keys } from "../../ui/queries";
import { useStartSession } from "../../ui/session";
import { authApi } from "./api";
import type { Invitation } from "./types";

function AcceptForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const startSession = useStartSession();
  const formRef = useRef<HTMLFormElement>(null);
  const accept = useMutation({
    mutationFn: (input: { name: string; password: string }) =>
      authApi.acceptInvitation(token, input),
    onSuccess: () => startSession("/"),
  });
  const errors = fieldErrorsOf(accept.error);
  useFocusFirstInvalid(formRef, accept.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const v = readForm(event.currentTarget);
    accept.mutate({ name: v.name?.trim() ?? "", password: v.password ?? "" });
  }

  const role = ROLES.find((r) => r.value === invitation.role);
  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={accept.isPending}>
      <FormAlert error={accept.error} />
      <dl className="summary-list">
        <div>
          <dt>Email</dt>
          <dd>{invitation.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>
            {roleLabel(invitation.role)}
            {role && <span className="muted"> · {role.description}</span>}
          </dd>
        </div>
      </dl>
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        defaultValue={invitation.name}
        required
        maxLength={200}
        error={errors.name}
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
        disabled={accept.isPending}
      >
        {accept.isPending ? "Joining…" : "Accept invitation"}
      </button>
    </form>
  );
}

export function InvitePage() {
  const { token = "" } = useParams();
  const invitation = useQuery({
    queryKey: keys.invitation(token),
    queryFn: () => authApi.invitation(token),
    retry: false,
  });

  if (invitation.isPending) {
    return (
      <AuthLayout title="Invitation">
        <PageLoading label="Loading invitation" />
      </AuthLayout>
    );
  }

  if (invitation.isError) {
    const gone =
      invitation.error instanceof ApiError && [404, 410].includes(invitation.error.status);
    return (
      <AuthLayout title="Invitation" footer={<Link to="/login">Go to sign in</Link>}>
        {gone ? (
          <p>
            This invitation link is no longer valid. It may have expired or already been used. Ask
            the person who invited you to send a new one.
          </p>
        ) : (
          <LoadError error={invitation.error} onRetry={() => invitation.refetch()} />
        )}
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={`Join ${invitation.data.organizationName}`}
      subtitle={
        <p>
          You have been invited to the compliance program on Attest. Choose a password to finish.
        </p>
      }
    >
      <AcceptForm token={token} invitation={invitation.data} />
    </AuthLayout>
  );
}
