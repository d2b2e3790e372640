// Deleting a person entered by mistake: refused (and said why) once they have any history.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { ConfirmDialog } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { peopleApi } from "./api";
import type { Person } from "./types";

export function DeletePersonDialog({
  person,
  open,
  onClose,
}: {
  person: Person;
  open: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => peopleApi.deletePerson(person.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.person(person.id) });
      void queryClient.invalidateQueries({ queryKey: keys.people });
      void navigate("/people");
    },
  });
  function close() {
    remove.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      open={open}
      title={`Delete ${person.name}?`}
      confirmLabel="Delete"
      pending={remove.isPending}
      error={<FormAlert error={remove.error} />}
      onConfirm={() => remove.mutate()}
      onClose={close}
    >
      <p>
        Only for someone added by mistake. Anyone with history (reports, access, systems, an Attest
        account) stays listed: offboard them with an end date instead.
      </p>
    </ConfirmDialog>
  );
}
