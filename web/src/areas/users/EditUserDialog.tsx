// Changing a user's name, role or access expiry. Only changed fields are sent.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { endOfDayIso, toDateInput } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import type { Role } from "../../ui/schema";
import { usersApi } from "./api";
import type { UpdateUserInput, User } from "./types";
import { RoleFields } from "./UserFields";

function changes(user: User, name: string, role: Role, expires: string): UpdateUserInput {
  const input: UpdateUserInput = {};
  if (name.trim() !== user.name) input.name = name.trim();
  if (role !== user.role) input.role = role;
  if (expires !== toDateInput(user.accessExpiresAt))
    input.accessExpiresAt = expires ? endOfDayIso(expires) : null;
  return input;
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [expires, setExpires] = useState(toDateInput(user.accessExpiresAt));
  const update = useMutation({
    mutationFn: (input: UpdateUserInput) => usersApi.updateUser(user.id, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      onDone();
    },
  });
  const errors = fieldErrorsOf(update.error);
  useFocusFirstInvalid(formRef, update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = changes(user, name, role, expires);
    if (Object.keys(input).length === 0) onDone();
    else update.mutate(input);
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={update.isPending}>
      <FormAlert error={update.error} />
      <TextField
        label="Name"
        name="name"
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
      />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

export function EditUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Modal
      open={user !== null}
      title={user ? `Edit ${user.name}` : "Edit user"}
      description={user?.email}
      onClose={onClose}
    >
      {user && <EditUserForm key={user.id} user={user} onDone={onClose} />}
    </Modal>
  );
}
