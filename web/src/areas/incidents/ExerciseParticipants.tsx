// Who took part in an exercise of the plan: people with their role, attendance recorded; the
// whole list is saved at once.
import { type FormEvent, useState } from "react";
import { CheckboxField, SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { useActivePeople } from "../systems/queries";
import { incidentsApi } from "./incidents.api";
import { useIncidentMutation } from "./incidents.queries";
import type { Exercise } from "./incidents.types";

/** A participant as edited: who, their role, whether they attended. */
interface Row {
  personId: string;
  name: string;
  role: string;
  attended: boolean;
}

export function ExerciseParticipants({
  exercise,
  canManage,
}: {
  exercise: Exercise;
  canManage: boolean;
}) {
  const people = useActivePeople();
  const [list, setList] = useState<Row[]>(() =>
    exercise.participants.map((p) => ({
      personId: p.person.id,
      name: p.person.name,
      role: p.role,
      attended: p.attended,
    })),
  );
  const [adding, setAdding] = useState("");
  const [saved, setSaved] = useState(false);
  const save = useIncidentMutation(() =>
    incidentsApi.setParticipants(
      exercise.id,
      list.map((p) => ({ personId: p.personId, role: p.role, attended: p.attended })),
    ),
  );
  const chosen = new Set(list.map((p) => p.personId));
  const edit = (personId: string, change: Partial<Row>) => {
    setList(list.map((p) => (p.personId === personId ? { ...p, ...change } : p)));
    setSaved(false);
  };
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await save.mutateAsync(undefined).catch(() => null)) setSaved(true);
  }
  const attended = exercise.participants.filter((p) => p.attended).length;
  return (
    <section className="card section" aria-labelledby="participants-heading">
      <h2 className="section-title" id="participants-heading">
        Participants
      </h2>
      <p className="muted">
        {plural(exercise.participants.length, "participant")}, {attended} attended.
      </p>
      {!canManage && (
        <ul className="incident-list">
          {exercise.participants.map((p) => (
            <li key={p.person.id}>
              {p.person.name}
              {p.role ? ` (${p.role})` : ""}: {p.attended ? "attended" : "did not attend"}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
          <FormAlert error={save.error ?? people.error} />
          {list.map((p) => (
            <fieldset key={p.personId} className="incident-fieldset">
              <legend className="field-label">{p.name}</legend>
              <TextField
                label={`Role of ${p.name} (optional)`}
                value={p.role}
                maxLength={200}
                onChange={(e) => edit(p.personId, { role: e.target.value })}
              />
              <CheckboxField
                label={`${p.name} attended`}
                checked={p.attended}
                onChange={(e) => edit(p.personId, { attended: e.target.checked })}
              />
              <div>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => {
                    setList(list.filter((x) => x.personId !== p.personId));
                    setSaved(false);
                  }}
                >
                  Remove {p.name}
                </button>
              </div>
            </fieldset>
          ))}
          <SelectField
            label="Add a participant"
            value={adding}
            onChange={(e) => {
              const person = (people.data ?? []).find((x) => x.id === e.target.value);
              if (person) {
                setList([
                  ...list,
                  { personId: person.id, name: person.name, role: "", attended: true },
                ]);
                setSaved(false);
              }
              setAdding("");
            }}
          >
            <option value="">Choose a person</option>
            {(people.data ?? [])
              .filter((p) => !chosen.has(p.id))
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save participants"}
            </button>
            <span className="form-status" role="status">
              {saved ? "Saved." : ""}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
