// One exercise of the Incident Response Plan: its scenario, date and facilitator (or the
// incident it was), participants with attendance, outcomes, and completing it.
import "./incidents.css";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, formatDay } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { ExerciseOutcomes } from "./ExerciseOutcomes";
import { ExerciseParticipants } from "./ExerciseParticipants";
import { incidentsApi } from "./incidents.api";
import { useExercise, useIncidentMutation } from "./incidents.queries";
import type { Exercise } from "./incidents.types";

function CompleteForm({ exercise }: { exercise: Exercise }) {
  const [summary, setSummary] = useState(exercise.summary);
  const complete = useIncidentMutation(() =>
    incidentsApi.completeExercise(exercise.id, summary.trim()),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    complete.mutate(undefined);
  }
  return (
    <section className="card section" aria-labelledby="complete-heading">
      <h2 className="section-title" id="complete-heading">
        Complete the exercise
      </h2>
      <p className="muted">
        A completed exercise counts as the test of the plan on its date; record the participants and
        outcomes first.
      </p>
      <form className="form" onSubmit={onSubmit} aria-busy={complete.isPending}>
        <FormAlert error={complete.error} />
        <TextAreaField
          label="Summary (optional)"
          value={summary}
          rows={4}
          maxLength={20000}
          onChange={(e) => setSummary(e.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={complete.isPending}>
            {complete.isPending ? "Completing…" : "Mark completed"}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ExercisePage() {
  const { id = "" } = useParams();
  const can = useCan();
  const canManage = can("incidents.manage");
  const exercise = useExercise(id);
  if (exercise.isPending) return <PageLoading label="Loading the exercise" />;
  if (exercise.isError)
    return <LoadError error={exercise.error} onRetry={() => exercise.refetch()} />;
  const e = exercise.data;
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/ir-exercises">Exercises of the plan</Link>}
        title={e.title}
        description={
          e.kind === "tabletop" ? "Tabletop exercise" : "A real incident, as the plan's test"
        }
      />
      <section className="card section" aria-labelledby="exercise-heading">
        <h2 className="section-title" id="exercise-heading">
          Details
        </h2>
        <dl className="incident-facts">
          <dt>Status</dt>
          <dd>
            {e.status === "completed" ? (
              <Badge tone="success">Completed {formatDateTime(e.completedAt)}</Badge>
            ) : (
              <Badge tone="info">Planned</Badge>
            )}
          </dd>
          <dt>Held on</dt>
          <dd>{formatDay(e.heldOn)}</dd>
          <dt>Facilitator</dt>
          <dd>{e.facilitator?.name ?? "Nobody named"}</dd>
          {e.incident && (
            <>
              <dt>Incident</dt>
              <dd>
                <Link to={`/incidents/${e.incident.id}`}>
                  {e.incident.reference}: {e.incident.title}
                </Link>
              </dd>
            </>
          )}
          {e.scenario && (
            <>
              <dt>Scenario</dt>
              <dd className="incident-text">{e.scenario}</dd>
            </>
          )}
          {e.summary && (
            <>
              <dt>Summary</dt>
              <dd className="incident-text">{e.summary}</dd>
            </>
          )}
        </dl>
      </section>
      <ExerciseParticipants key={e.participants.length} exercise={e} canManage={canManage} />
      <ExerciseOutcomes exercise={e} canManage={canManage} />
      {canManage && e.status !== "completed" && <CompleteForm exercise={e} />}
    </>
  );
}
