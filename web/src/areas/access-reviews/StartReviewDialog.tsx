// Start a campaign: pick the systems (those in scope, production or holding customer data,
// first), a name and a due date.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { endOfDayIso, plural } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { fetchAll } from "../../ui/pager";
import type { System } from "../systems/types";
import { accessReviewsApi } from "./access-reviews.api";
import { useReviewMutation } from "./access-reviews.queries";

const inScope = (s: System) => s.production || s.customerData;

function SystemChecks({
  legend,
  systems,
  chosen,
  onToggle,
}: {
  legend: string;
  systems: System[];
  chosen: Set<string>;
  onToggle: (id: string, on: boolean) => void;
}) {
  if (systems.length === 0) return null;
  return (
    <fieldset className="review-systems">
      <legend className="field-label">{legend}</legend>
      <ul className="review-system-list">
        {systems.map((s) => (
          <li key={s.id}>
            <label className="review-check">
              <input
                type="checkbox"
                className="checkbox"
                checked={chosen.has(s.id)}
                onChange={(e) => onToggle(s.id, e.target.checked)}
              />
              <span>
                {s.name}
                {s.ownerName ? <span className="muted"> · {s.ownerName}</span> : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function StartReviewDialog({
  open,
  initialSystemId,
  onClose,
}: {
  open: boolean;
  initialSystemId?: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const systems = useQuery({
    queryKey: ["systems", "list", "active-all"],
    queryFn: () => fetchAll<System>("/systems", { archived: "false", limit: 100 }, 20),
    enabled: open,
  });
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(initialSystemId ? [initialSystemId] : []),
  );
  const [name, setName] = useState("");
  const [due, setDue] = useState("");
  const start = useReviewMutation(() =>
    accessReviewsApi.start({
      systemIds: [...chosen],
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(due ? { dueAt: endOfDayIso(due) } : {}),
    }),
  );
  const all = systems.data ?? [];
  const errors = fieldErrorsOf(start.error);

  function toggle(id: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  }
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await start.mutateAsync(undefined).catch(() => null);
    // The campaign's page replaces this one (closing first would let the list page's own
    // address change win over this navigation).
    if (created) navigate(`/access/reviews/${created.id}`);
  }

  return (
    <Modal
      open={open}
      title="Start an access review"
      description="The access to the chosen systems is frozen as it stands now; each system's owner reviews it."
      onClose={onClose}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={start.isPending}>
        <div className="modal-body">
          <FormAlert error={start.error ?? systems.error} />
          {systems.isPending && <p className="muted">Loading systems…</p>}
          <SystemChecks
            legend="Systems in scope (production or customer data)"
            systems={all.filter(inScope)}
            chosen={chosen}
            onToggle={toggle}
          />
          <SystemChecks
            legend="Other systems"
            systems={all.filter((s) => !inScope(s))}
            chosen={chosen}
            onToggle={toggle}
          />
          {errors.systemIds && (
            <p className="field-error" role="alert">
              {errors.systemIds}
            </p>
          )}
          <p className="field-hint" aria-live="polite">
            {plural(chosen.size, "system")} chosen.
          </p>
          <TextField
            label="Name (optional)"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            error={errors.name}
          />
          <TextField
            label="Due date (optional)"
            type="date"
            value={due}
            onChange={(e) => setDue(e.target.value)}
            hint="Absent: the organization's default."
            error={errors.dueAt}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={start.isPending || chosen.size === 0}
          >
            {start.isPending ? "Starting…" : "Start the review"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
