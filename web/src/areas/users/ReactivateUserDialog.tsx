// Reactivating a deactivated account: confirm, then the new invitation's link when it has none.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { usersApi } from "./api";
import { InviteLink } from "./InviteUserDialog";
import type { User } from "./types";

export function ReactivateUserDialog({
  user,
  onClose,
}: {
  user: User | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const reactivate = useMutation({
    mutationFn: (target: User) => usersApi.reactivateUser(target.id),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      if (result.inviteUrl) setInviteUrl(result.inviteUrl);
      else close();
    },
  });
  function close() {
    reactivate.reset();
    setInviteUrl(null);
    onClose();
  }
  const title = `Reactivate ${user?.name ?? "user"}?`;
  if (inviteUrl && user) {
    return (
      <Modal open title={title} onClose={close}>
        <InviteLink url={inviteUrl} email={user.email} onDone={close} />
      </Modal>
    );
  }
  return (
    <ConfirmDialog
      open={user !== null}
      title={title}
      confirmLabel="Reactivate"
      tone="primary"
      pending={reactivate.isPending}
      error={<FormAlert error={reactivate.error} />}
      onConfirm={() => user && reactivate.mutate(user)}
      onClose={close}
    >
      <p>
        They can sign in again with the role they had. An account that never had a password is
        invited again: you get a new link to send. Sessions and API tokens ended at deactivation
        stay ended.
      </p>
    </ConfirmDialog>
  );
}
