// Reactivating a deactivated account: confirm, then the new invitation's link when it has none.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { Modal } from "../../ui/Modal";
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
  return (
    <Modal open={user !== null} title={`Reactivate ${user?.name ?? "user"}?`} onClose={close}>
      {inviteUrl && user ? (
        <InviteLink url={inviteUrl} email={user.email} onDone={close} />
      ) : (
        <div className="stack">
          <FormAlert error={reactivate.error} />
          <p>
            They can sign in again with the role they had. An account that never had a password is
            invited again: you get a new link to send. Sessions and API tokens ended at deactivation
            stay ended.
          </p>
          <div className="modal-footer">
            <button type="button" className="button button-secondary" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={reactivate.isPending}
              onClick={() => user && reactivate.mutate(user)}
            >
              {reactivate.isPending ? "Reactivating…" : "Reactivate"}
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
