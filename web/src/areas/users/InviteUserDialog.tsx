// Inviting a user: the form, then the invitation link to hand over.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Callout } from "../../ui/Callout";
import { CopyButton } from "../../ui/CopyButton";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { endOfDayIso, todayDateInput } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import type { Role } from "../../ui/schema";
import { usersApi } from "./api";
import type { InviteUserInput } from "./types";
import { RoleFields } from "./UserFields";

function InviteForm({
  onInvited,
  onCancel,
}: {
  onInvited: (url: string, email: string) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [expires, setExpires] = useState("");
  const invite = useMutation({
    mutationFn: usersApi.inviteUser,
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      onInvited(result.inviteUrl, result.user.email);
    },
  });
  const errors = fieldErrorsOf(invite.error);
  useFocusFirstInvalid(formRef, invite.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input: InviteUserInput = { email: email.trim(), name: name.trim(), role };
    if (expires) input.accessExpiresAt = endOfDayIso(expires);
    invite.mutate(input);
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={invite.isPending}>
      <FormAlert error={invite.error} />
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="off"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        required
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <RoleFields
        role={role}
        onRoleChange={setRole}
        expires={expires}
        onExpiresChange={setExpires}
        errors={errors}
        minDate={todayDateInput()}
      />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={invite.isPending}>
          {invite.isPending ? "Sending…" : "Create invitation"}
        </button>
      </div>
    </form>
  );
}

export function InviteLink({
  url,
  email,
  onDone,
}: {
  url: string;
  email: string;
  onDone: () => void;
}) {
  return (
    <div className="stack">
      <Callout tone="success" title="Invitation created" role="status">
        <p>Send this link to {email}. It lets them choose a password and join.</p>
      </Callout>
      <div className="secret-box">
        <code className="secret-value" data-testid="invite-url">
          {url}
        </code>
        <CopyButton value={url} label="Copy link" />
      </div>
      <div className="modal-footer">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

export function InviteUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [invited, setInvited] = useState<{ url: string; email: string } | null>(null);
  const close = () => {
    setInvited(null);
    onClose();
  };
  return (
    <Modal open={open} title="Invite a user" onClose={close}>
      {invited ? (
        <InviteLink url={invited.url} email={invited.email} onDone={close} />
      ) : (
        <InviteForm onInvited={(url, email) => setInvited({ url, email })} onCancel={close} />
      )}
    </Modal>
  );
}
