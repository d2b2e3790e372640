// What an exercise of the plan found: each outcome says whether the plan must change; one that
// does is linked to the plan's version that carries the change, or closed with a reason.
import { type FormEvent, useState } from "react";
import { CheckboxField, SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { Badge } from "../../ui/StatusBadge";
import { incidentsApi } from "./incidents.api";
import { useIncidentMutation, usePlanVersions } from "./incidents.queries";
import type { Exercise, ExerciseOutcome } from "./incidents.types";

function OutcomeState({ outcome: o }: { outcome: ExerciseOutcome }) {
  switch (o.state) {
    case "no_change":
      return <Badge tone="neutral">No change of the plan</Badge>;
    case "linked":
      return (
        <Badge tone="success">Plan changed in version {o.policyVersion?.version ?? "?"}</Badge>
      );
    case "closed":
      return <Badge tone="neutral">Closed without a change</Badge>;
    default:
      return <Badge tone="warning">The plan must change</Badge>;
  }
}

function ResolveDialog({
  outcome,
  onClose,
}: {
  outcome: ExerciseOutcome | null;
  onClose: () => void;
}) {
  const versions = usePlanVersions(outcome !== null);
  const [versionId, setVersionId] = useState("");
  const [reason, setReason] = useState("");
  const resolve = useIncidentMutation(() => {
    const id = outcome?.id ?? "";
    return versionId
      ? incidentsApi.linkOutcome(id, versionId)
      : incidentsApi.closeOutcome(id, reason.trim());
  });
  const errors = fieldErrorsOf(resolve.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if ((await resolve.mutateAsync(undefined).catch(() => null)) !== null) {
      setVersionId("");
      setReason("");
      resolve.reset();
      onClose();
    }
  }
  return (
    <Modal
      open={outcome !== null}
      title="Resolve the outcome"
      description="Link the version of the Incident Response Plan that carries the change, or close the outcome and say why the plan stays as it is."
      onClose={onClose}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={resolve.isPending}>
        <div className="modal-body">
          <FormAlert error={resolve.error ?? versions.error} />
          <SelectField
            label="Version of the plan"
            value={versionId}
            onChange={(e) => setVersionId(e.target.value)}
            error={errors.policyVersionId}
          >
            <option value="">None: close with a reason</option>
            {(versions.data?.items ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                Version {v.version}, approved {formatDate(v.approvedAt)}
              </option>
            ))}
          </SelectField>
          {!versionId && (
            <TextAreaField
              label="Reason"
              value={reason}
              rows={3}
              required
              maxLength={4000}
              onChange={(e) => setReason(e.target.value)}
              error={errors.reason}
            />
          )}
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={resolve.isPending}>
            {versionId ? "Link the version" : "Close the outcome"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function ExerciseOutcomes({
  exercise,
  canManage,
}: {
  exercise: Exercise;
  canManage: boolean;
}) {
  const [description, setDescription] = useState("");
  const [requiresPlanChange, setRequiresPlanChange] = useState(false);
  const [resolving, setResolving] = useState<ExerciseOutcome | null>(null);
  const add = useIncidentMutation(() =>
    incidentsApi.addOutcome(exercise.id, { description: description.trim(), requiresPlanChange }),
  );
  const errors = fieldErrorsOf(add.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if ((await add.mutateAsync(undefined).catch(() => null)) !== null) {
      setDescription("");
      setRequiresPlanChange(false);
    }
  }
  return (
    <section className="card section" aria-labelledby="outcomes-heading">
      <h2 className="section-title" id="outcomes-heading">
        Outcomes
      </h2>
      {exercise.outcomes.length === 0 && <p className="muted">No outcomes recorded yet.</p>}
      <ul className="incident-list">
        {exercise.outcomes.map((o) => (
          <li key={o.id}>
            <p className="incident-text">{o.description}</p>
            <OutcomeState outcome={o} />
            {o.closedReason && <span className="muted"> {o.closedReason}</span>}
            {canManage && o.state === "open" && (
              <>
                {" "}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => setResolving(o)}
                >
                  Link to a plan version or close…
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {canManage && (
        <form className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
          <h3 className="subsection-title">Add an outcome</h3>
          <FormAlert error={add.error} />
          <TextAreaField
            label="Outcome"
            value={description}
            rows={3}
            required
            maxLength={4000}
            onChange={(e) => setDescription(e.target.value)}
            error={errors.description}
          />
          <CheckboxField
            label="The Incident Response Plan must change"
            checked={requiresPlanChange}
            onChange={(e) => setRequiresPlanChange(e.target.checked)}
          />
          <div className="form-actions">
            <button type="submit" className="button button-secondary" disabled={add.isPending}>
              {add.isPending ? "Adding…" : "Add the outcome"}
            </button>
          </div>
        </form>
      )}
      {canManage && <ResolveDialog outcome={resolving} onClose={() => setResolving(null)} />}
    </section>
  );
}
