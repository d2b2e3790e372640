// Offboarding a person: their end date (today unless chosen), which starts the removal of
// their access, and why.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { todayDateInput } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { peopleApi } from "./api";
import type { Person } from "./types";

function OffboardForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [endDate, setEndDate] = useState(person.endDate ?? todayDateInput());
  const [reason, setReason] = useState("");
  const offboard = useMutation({
    mutationFn: () =>
      peopleApi.offboard(person.id, {
        endDate,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.person(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: keys.people });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      onDone();
    },
  });
  const errors = fieldErrorsOf(offboard.error);
  useFocusFirstInvalid(formRef, offboard.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    offboard.mutate();
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={offboard.isPending}>
      <FormAlert error={offboard.error} />
      <TextField
        label="End date"
        name="endDate"
        type="date"
        required
        min={person.startDate}
        value={endDate}
        onChange={(e) => setEndDate(e.target.value)}
        hint="Their first day no longer with you. Each system owner gets a task to remove their access."
        error={errors.endDate}
      />
      <TextAreaField
        label="Reason (optional)"
        name="reason"
        maxLength={1000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="Kept in the audit log."
        error={errors.reason}
      />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-danger" disabled={offboard.isPending}>
          {offboard.isPending ? "Saving…" : "Offboard"}
        </button>
      </div>
    </form>
  );
}

export function OffboardDialog({
  person,
  open,
  onClose,
}: {
  person: Person;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      open={open}
      title={`Offboard ${person.name}`}
      description={person.email}
      onClose={onClose}
    >
      {open && <OffboardForm person={person} onDone={onClose} />}
    </Modal>
  );
}
