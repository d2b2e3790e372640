// An incident's timeline, oldest first: what was declared, every change of status, severity,
// owner and customer impact, the notes and actions written, the files attached, the notices
// published; and, for whoever works the incident, the ways to add to it.
import { type FormEvent, useRef, useState } from "react";
import { Link } from "react-router";
import { SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { LoadError } from "../../ui/Loading";
import { useCan } from "../../ui/session";
import { evidenceApi } from "../evidence/api";
import { useAllUsers } from "../users/queries";
import { incidentsApi } from "./incidents.api";
import { severityLabel, statusLabel } from "./incidents.components";
import { useEntries, useIncidentMutation } from "./incidents.queries";
import type { Incident, IncidentEntry } from "./incidents.types";

function change(what: string, entry: IncidentEntry, label: (v: string | null) => string) {
  return entry.from
    ? `${what} changed from ${label(entry.from)} to ${label(entry.to)}`
    : `${what} set to ${label(entry.to)}`;
}

function EntryText({ entry, names }: { entry: IncidentEntry; names: Map<string, string> }) {
  switch (entry.kind) {
    case "declared":
      return <>Declared</>;
    case "note":
      return <>Note</>;
    case "action":
      return <>Action taken</>;
    case "status":
      return <>{change("Status", entry, statusLabel)}</>;
    case "severity":
      return <>{change("Severity", entry, severityLabel)}</>;
    case "owner":
      return <>{change("Owner", entry, (id) => (id ? (names.get(id) ?? "someone") : "nobody"))}</>;
    case "customers":
      return (
        <>
          {entry.to === "true"
            ? "Marked as affecting customers"
            : "No longer marked as affecting customers"}
        </>
      );
    case "attachment":
      return entry.evidence ? (
        <>
          Attached{" "}
          <a href={evidenceApi.evidenceDownloadUrl(entry.evidence.id)} download>
            {entry.evidence.fileName ?? "a file"}
          </a>
        </>
      ) : (
        <>Attached a file (since removed)</>
      );
    case "notice":
      return entry.notice ? (
        <>
          Notice <Link to={`/notices/${entry.notice.id}`}>{entry.notice.title}</Link>
        </>
      ) : (
        <>Notice</>
      );
    case "lessons":
      return <>Lessons learned</>;
    case "plan_test":
      return <>Marked as the test of the Incident Response Plan</>;
    default:
      return <>{entry.kind}</>;
  }
}

function AddEntryForm({ incident }: { incident: Incident }) {
  const [kind, setKind] = useState<"note" | "action">("note");
  const [body, setBody] = useState("");
  const add = useIncidentMutation(() =>
    incidentsApi.addEntry(incident.id, { kind, body: body.trim() }),
  );
  const file = useRef<HTMLInputElement>(null);
  const attach = useIncidentMutation((chosen: File) => incidentsApi.attach(incident.id, chosen));
  const errors = fieldErrorsOf(add.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const added = await add.mutateAsync(undefined).catch(() => null);
    if (added) setBody("");
  }
  return (
    <>
      <form className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
        <FormAlert error={add.error} />
        <SelectField
          label="Kind of entry"
          value={kind}
          onChange={(e) => setKind(e.target.value as "note" | "action")}
        >
          <option value="note">Note (what we know)</option>
          <option value="action">Action taken</option>
        </SelectField>
        <TextAreaField
          label="Entry"
          value={body}
          rows={3}
          required
          maxLength={20000}
          onChange={(e) => setBody(e.target.value)}
          error={errors.body}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add to the timeline"}
          </button>
        </div>
      </form>
      <div className="field">
        <FormAlert error={attach.error} />
        <label className="field-label" htmlFor="incident-attachment">
          Attach a file (kept encrypted as evidence)
        </label>
        <input
          id="incident-attachment"
          ref={file}
          className="input"
          type="file"
          disabled={attach.isPending}
          onChange={async (e) => {
            const chosen = e.target.files?.[0];
            if (!chosen) return;
            await attach.mutateAsync(chosen).catch(() => null);
            if (file.current) file.current.value = "";
          }}
        />
        {attach.isPending && <p className="muted">Uploading…</p>}
      </div>
    </>
  );
}

export function IncidentTimeline({ incident }: { incident: Incident }) {
  const can = useCan();
  const entries = useEntries(incident.id);
  const users = useAllUsers(can("users.read"));
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  if (incident.owner) names.set(incident.owner.id, incident.owner.name);
  const items = entries.data?.items ?? [];
  return (
    <section className="card section" aria-labelledby="timeline-heading">
      <h2 className="section-title" id="timeline-heading">
        Timeline
      </h2>
      {entries.isError && <LoadError error={entries.error} onRetry={() => entries.refetch()} />}
      {items.length > 0 && (
        <ol className="incident-timeline">
          {items.map((entry) => (
            <li key={entry.id}>
              <p className="incident-entry-meta">
                {formatDateTime(entry.occurredAt)}
                {entry.author ? ` · ${entry.author.name}` : ""}
              </p>
              <p className="incident-entry-what">
                <EntryText entry={entry} names={names} />
              </p>
              {entry.body && entry.body !== entry.notice?.title && (
                <p className="incident-text">{entry.body}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {incident.may.manage && <AddEntryForm incident={incident} />}
    </section>
  );
}
