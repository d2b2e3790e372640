// An incident's lessons learned: written once it is resolved (what happened, impact, root
// cause, timeline, what went well, what to improve), submitted, approved by a manager other
// than its author and so shared with every member; its action items tracked to completion.
import "./incidents.css";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useSession } from "../../ui/session";
import { ActionItemsTable, AddActionItemForm } from "./ActionItems";
import { incidentsApi } from "./incidents.api";
import { incidentKeys, useIncident, useIncidentMutation, useLessons } from "./incidents.queries";
import type { Incident, Lessons, LessonsText } from "./incidents.types";

export const LESSONS_FIELDS: { name: keyof LessonsText; label: string; hint: string }[] = [
  { name: "whatHappened", label: "What happened", hint: "The incident in a few sentences." },
  { name: "impact", label: "Impact", hint: "Who and what was affected, for how long." },
  { name: "rootCause", label: "Root cause", hint: "Why it happened, not only how." },
  { name: "timeline", label: "Timeline", hint: "The key moments, from the first sign to the end." },
  { name: "wentWell", label: "What went well", hint: "What to keep doing." },
  { name: "toImprove", label: "What to improve", hint: "Each improvement as an action item too." },
];

const EMPTY: LessonsText = {
  whatHappened: "",
  impact: "",
  rootCause: "",
  timeline: "",
  wentWell: "",
  toImprove: "",
};

function LessonsForm({ incident, lessons }: { incident: Incident; lessons: Lessons | null }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<LessonsText>(() => {
    const text = { ...EMPTY };
    if (lessons) for (const f of LESSONS_FIELDS) text[f.name] = lessons[f.name];
    return text;
  });
  const [saved, setSaved] = useState(false);
  const client = useQueryClient();
  // The first save creates the document: cached at once, so the refetch that follows finds it
  // and the form stays (a refetch of the query that had answered 404 would start over).
  const save = useIncidentMutation(async () => {
    const written = await incidentsApi.saveLessons(incident.id, values);
    client.setQueryData(incidentKeys.lessons(incident.id), written);
    return written;
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if (await save.mutateAsync(undefined).catch(() => null)) setSaved(true);
  }
  return (
    <form
      ref={formRef}
      className="form card section"
      onSubmit={onSubmit}
      aria-busy={save.isPending}
    >
      <FormAlert error={save.error} />
      {LESSONS_FIELDS.map((f) => (
        <TextAreaField
          key={f.name}
          label={f.label}
          name={f.name}
          hint={f.hint}
          rows={4}
          maxLength={20000}
          value={values[f.name]}
          onChange={(e) => {
            setValues({ ...values, [f.name]: e.target.value });
            setSaved(false);
          }}
          error={errors[f.name]}
        />
      ))}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save the lessons learned"}
        </button>
        <span className="form-status" role="status">
          {saved ? "Saved." : ""}
        </span>
      </div>
    </form>
  );
}

function LessonsDocument({ lessons }: { lessons: Lessons }) {
  return (
    <section className="card section" aria-labelledby="lessons-heading">
      <h2 className="section-title" id="lessons-heading">
        The lessons learned
      </h2>
      {LESSONS_FIELDS.map((f) => (
        <div key={f.name}>
          <h3 className="subsection-title">{f.label}</h3>
          <p className="incident-text">{lessons[f.name] || "—"}</p>
        </div>
      ))}
    </section>
  );
}

function Workflow({ incident, lessons }: { incident: Incident; lessons: Lessons }) {
  const { user } = useSession();
  const submit = useIncidentMutation(() => incidentsApi.submitLessons(incident.id));
  const approve = useIncidentMutation(() => incidentsApi.approveLessons(incident.id));
  const author = lessons.author?.id === user.id;
  return (
    <section className="card section" aria-labelledby="workflow-heading">
      <h2 className="section-title" id="workflow-heading">
        Approval
      </h2>
      <FormAlert error={submit.error ?? approve.error} />
      {lessons.status === "draft" && (
        <p>
          <Badge tone="neutral">Draft</Badge> Submit it when it is complete: a manager other than
          its author approves it, and every member is told and can read it.
        </p>
      )}
      {lessons.status === "submitted" && (
        <p>
          <Badge tone="warning">Awaiting approval</Badge> Submitted{" "}
          {formatDateTime(lessons.submittedAt)}.
        </p>
      )}
      {lessons.status === "approved" && (
        <p>
          <Badge tone="success">Approved and shared</Badge> by {lessons.approvedBy?.name} on{" "}
          {formatDateTime(lessons.approvedAt)}.
        </p>
      )}
      <div className="incident-actions">
        {incident.may.manage && lessons.status === "draft" && (
          <button
            type="button"
            className="button button-primary"
            disabled={submit.isPending}
            onClick={() => submit.mutate(undefined)}
          >
            Submit for approval
          </button>
        )}
        {incident.may.approve && lessons.status !== "approved" && !author && (
          <button
            type="button"
            className="button button-primary"
            disabled={approve.isPending}
            onClick={() => approve.mutate(undefined)}
          >
            Approve and share with the team
          </button>
        )}
      </div>
      {incident.may.approve && author && lessons.status !== "approved" && (
        <p className="muted">You wrote it: another owner or admin approves it.</p>
      )}
    </section>
  );
}

function LessonsView({ incident }: { incident: Incident }) {
  const lessons = useLessons(incident.id);
  const missing = lessons.error instanceof ApiError && lessons.error.status === 404;
  const resolved = incident.status === "resolved" || incident.status === "closed";
  if (lessons.isPending) return <PageLoading label="Loading the lessons learned" />;
  if (lessons.isError && !missing)
    return <LoadError error={lessons.error} onRetry={() => lessons.refetch()} />;
  const current = lessons.data ?? null;
  const editable = incident.may.manage && resolved && current?.status !== "approved";
  return (
    <>
      {!current && !resolved && (
        <Callout tone="info" title="Not resolved yet">
          <p>The lessons learned are written once the incident is resolved.</p>
        </Callout>
      )}
      {!current && resolved && !incident.may.manage && (
        <p className="muted">The lessons learned have not been written yet.</p>
      )}
      {editable ? (
        <LessonsForm incident={incident} lessons={current} />
      ) : (
        current && <LessonsDocument lessons={current} />
      )}
      {current && <Workflow incident={incident} lessons={current} />}
      {current && (
        <section className="card section" aria-labelledby="items-heading">
          <h2 className="section-title" id="items-heading">
            Action items
          </h2>
          {current.actionItems.length === 0 ? (
            <p className="muted">No action items yet.</p>
          ) : (
            <ActionItemsTable
              items={current.actionItems}
              canManage={incident.may.manage}
              label="Action items"
            />
          )}
          {incident.may.manage && <AddActionItemForm incidentId={incident.id} />}
        </section>
      )}
    </>
  );
}

/** Shared lessons of an incident the reader may not open (a member): the document alone. */
function SharedOnly({ id }: { id: string }) {
  const lessons = useLessons(id);
  if (lessons.isPending) return <PageLoading label="Loading the lessons learned" />;
  if (lessons.isError) return <LoadError error={lessons.error} onRetry={() => lessons.refetch()} />;
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/lessons">Lessons learned</Link>}
        title="Lessons learned"
        description="Shared with the whole team."
      />
      <LessonsDocument lessons={lessons.data} />
    </>
  );
}

export function LessonsPage() {
  const { id = "" } = useParams();
  const incident = useIncident(id);
  const hidden = incident.error instanceof ApiError && [403, 404].includes(incident.error.status);
  if (incident.isPending) return <PageLoading label="Loading the incident" />;
  if (hidden) return <SharedOnly id={id} />;
  if (incident.isError)
    return <LoadError error={incident.error} onRetry={() => incident.refetch()} />;
  const i = incident.data;
  return (
    <>
      <PageHeader
        eyebrow={<Link to={`/incidents/${i.id}`}>{i.reference}</Link>}
        title={`Lessons learned: ${i.title}`}
        description="What the incident taught, approved by a manager and shared with the whole team."
      />
      <LessonsView incident={i} />
    </>
  );
}
