// One audit event: a summary line, expandable to its before/after state and chain data.
import { formatDateTime } from "../format";
import type { AuditEvent } from "../types";

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

export function AuditEventItem({ event }: { event: AuditEvent }) {
  const target = event.targetType
    ? `${event.targetType}${event.targetId ? ` ${event.targetId}` : ""}`
    : "—";
  return (
    <li className="event" data-audit-seq={event.seq}>
      <details>
        <summary className="event-summary">
          <time className="event-time" dateTime={event.createdAt}>
            {formatDateTime(event.createdAt)}
          </time>
          <span className="event-action mono">{event.action}</span>
          <span className="event-actor">
            {event.actor?.name ?? event.actorName ?? <span className="muted">System</span>}
          </span>
          <span className="event-target mono">{target}</span>
        </summary>
        <div className="event-body">
          <div className="json-grid">
            <Json label="Before" value={event.before} />
            <Json label="After" value={event.after} />
          </div>
          <dl className="facts facts-inline event-meta">
            <div>
              <dt>Sequence</dt>
              <dd className="mono">{event.seq}</dd>
            </div>
            <div>
              <dt>Request ID</dt>
              <dd className="mono">{event.requestId ?? "—"}</dd>
            </div>
            <div>
              <dt>Event ID</dt>
              <dd className="mono">{event.id}</dd>
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
