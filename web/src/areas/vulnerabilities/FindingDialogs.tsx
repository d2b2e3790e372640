// A finding's dialogs: a reason (false positive, reopen, reject, revoke), and asking to accept
// the risk (reason, expiry, an approver among the owners and admins other than oneself).
import { type FormEvent, useState } from "react";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { addDaysToDay, utcDay } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { findingsApi, useFindingMutation, useTriagePeople } from "./findings.queries";

/** A dialog asking for a reason, then running `run` with it. */
export function ReasonDialog({
  title,
  explanation,
  submit,
  danger = false,
  run,
  onClose,
}: {
  title: string;
  explanation: string;
  submit: string;
  danger?: boolean;
  run: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const mutation = useFindingMutation(() => run(reason), onClose);
  const errors = fieldErrorsOf(mutation.error);
  return (
    <Modal open title={title} onClose={onClose}>
      <form
        className="form"
        aria-busy={mutation.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={mutation.error} />
          <p>{explanation}</p>
          <TextAreaField
            label="Reason"
            required
            rows={3}
            value={reason}
            error={errors.reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${danger ? "button-danger" : "button-primary"}`}
            disabled={mutation.isPending}
          >
            {submit}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RequestAcceptanceDialog({
  findingId,
  onClose,
}: {
  findingId: string;
  onClose: () => void;
}) {
  const people = useTriagePeople();
  const [reason, setReason] = useState("");
  const [expires, setExpires] = useState(addDaysToDay(utcDay(), 90));
  const [approverId, setApproverId] = useState("");
  const request = useFindingMutation(
    () =>
      findingsApi.requestAcceptance(findingId, {
        reason,
        expiresAt: `${expires}T23:59:59.000Z`,
        ...(approverId ? { approverId } : {}),
      }),
    onClose,
  );
  const errors = fieldErrorsOf(request.error);
  const approvers = (people.data?.items ?? []).filter((p) => p.mayApprove);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate(undefined);
  }
  return (
    <Modal open title="Ask to accept the risk" onClose={onClose}>
      <form className="form" aria-busy={request.isPending} onSubmit={onSubmit}>
        <div className="modal-body">
          <FormAlert error={request.error} />
          <p>
            An owner or admin other than you decides. Once approved, the finding counts against its
            deadline again from the expiry (at most a year ahead).
          </p>
          <TextAreaField
            label="Reason"
            required
            rows={3}
            value={reason}
            error={errors.reason}
            hint="Why the risk is acceptable until then: compensating controls, exposure, the plan."
            onChange={(e) => setReason(e.target.value)}
          />
          <TextField
            label="Accepted until"
            type="date"
            required
            min={addDaysToDay(utcDay(), 1)}
            max={addDaysToDay(utcDay(), 364)}
            value={expires}
            error={errors.expiresAt}
            onChange={(e) => setExpires(e.target.value)}
          />
          <SelectField
            label="Approver"
            value={approverId}
            error={errors.approverId}
            onChange={(e) => setApproverId(e.target.value)}
          >
            <option value="">Any owner or admin</option>
            {approvers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={request.isPending}>
            {request.isPending ? "Asking…" : "Ask for approval"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
