// One audit event: its sentence, when, the action and a link to its target; expandable to its
// before/after state and chain data.
import { Link } from "react-router";
import { formatDateTime } from "../../ui/format";
import { useCan } from "../../ui/session";
import { type AuditEvent, pagePermission } from "./queries";

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="json-block">
      <p className="json-label">{label}</p>
      {value === null || value === undefined ? (
        <p className="muted">Nothing</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: long JSON scrolls; keyboard users must reach it
        <pre className="json" tabIndex={0}>
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}

function words(code: string): string {
  return code.replace(/_/g, " ");
}

/** The target by name, linked to its page when it has one the viewer may open. */
function Target({ event }: { event: AuditEvent }) {
  const can = useCan();
  const { target } = event;
  if (!target.id && !target.name) return null;
  const name = target.name ?? `${words(target.type)} ${target.id}`;
  if (target.deleted) {
    return (
      <span className="audit-target">
        {name} <span className="muted">(deleted)</span>
      </span>
    );
  }
  const permission = target.path ? pagePermission(target.path) : null;
  if (target.path && (permission === null || can(permission))) {
    return (
      <Link className="audit-target" to={target.path}>
        {name}
      </Link>
    );
  }
  return <span className="audit-target">{name}</span>;
}

export function AuditEventItem({ event }: { event: AuditEvent }) {
  return (
    <li className="audit-event" data-audit-seq={event.seq}>
      <p className="audit-sentence">{event.summary}</p>
      <p className="audit-meta">
        <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
        <span className="audit-action" title={event.action}>
          {event.actionLabel}
        </span>
        <Target event={event} />
      </p>
      <details className="audit-details">
        <summary>Details</summary>
        <div className="event-body">
          <div className="json-grid">
            <Json label="Before" value={event.before} />
            <Json label="After" value={event.after} />
          </div>
          <dl className="facts facts-inline event-meta">
            <div>
              <dt>Action code</dt>
              <dd className="mono">{event.action}</dd>
            </div>
            <div>
              <dt>Sequence</dt>
              <dd className="mono">{event.seq}</dd>
            </div>
            <div>
              <dt>Request ID</dt>
              <dd className="mono break">{event.requestId ?? "—"}</dd>
            </div>
            <div>
              <dt>Event ID</dt>
              <dd className="mono break">{event.id}</dd>
            </div>
            <div>
              <dt>Previous hash</dt>
              <dd className="mono break">{event.prevHash}</dd>
            </div>
            <div>
              <dt>Hash</dt>
              <dd className="mono break">{event.hash}</dd>
            </div>
          </dl>
        </div>
      </details>
    </li>
  );
}
