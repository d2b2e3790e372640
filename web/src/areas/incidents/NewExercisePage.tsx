// Plan a tabletop exercise of the Incident Response Plan: title, scenario, date, facilitator.
import "./incidents.css";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { PageHeader } from "../../ui/PageHeader";
import { useActivePeople } from "../systems/queries";
import { incidentsApi } from "./incidents.api";
import { useIncidentMutation } from "./incidents.queries";

export function NewExercisePage() {
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const people = useActivePeople();
  const [title, setTitle] = useState("");
  const [scenario, setScenario] = useState("");
  const [heldOn, setHeldOn] = useState("");
  const [facilitatorId, setFacilitatorId] = useState("");
  const create = useIncidentMutation(() =>
    incidentsApi.createExercise({
      kind: "tabletop",
      title: title.trim(),
      heldOn,
      ...(scenario.trim() ? { scenario: scenario.trim() } : {}),
      ...(facilitatorId ? { facilitatorId } : {}),
    }),
  );
  const errors = fieldErrorsOf(create.error);
  useFocusFirstInvalid(formRef, create.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await create.mutateAsync(undefined).catch(() => null);
    if (created) navigate(`/ir-exercises/${created.id}`);
  }
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/ir-exercises">Exercises of the plan</Link>}
        title="New tabletop exercise"
        description="Walk the team through a scenario with the Incident Response Plan in hand; record who took part and what the plan must change."
      />
      <form
        ref={formRef}
        className="form card section"
        onSubmit={onSubmit}
        aria-busy={create.isPending}
      >
        <FormAlert error={create.error ?? people.error} />
        <TextField
          label="Title"
          value={title}
          required
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title}
        />
        <TextAreaField
          label="Scenario (optional)"
          value={scenario}
          rows={5}
          maxLength={20000}
          onChange={(e) => setScenario(e.target.value)}
          error={errors.scenario}
        />
        <TextField
          label="Held on"
          type="date"
          value={heldOn}
          required
          onChange={(e) => setHeldOn(e.target.value)}
          error={errors.heldOn}
        />
        <SelectField
          label="Facilitator (optional)"
          value={facilitatorId}
          onChange={(e) => setFacilitatorId(e.target.value)}
          error={errors.facilitatorId}
        >
          <option value="">Nobody named</option>
          {(people.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <Link className="button button-secondary" to="/ir-exercises">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Plan the exercise"}
          </button>
        </div>
      </form>
    </>
  );
}
