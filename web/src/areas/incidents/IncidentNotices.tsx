// The customer notices about an incident: each with its state, the time from the incident's
// confirmation to the first one published, and, for whoever manages notices, a draft
// prefilled from the incident, opened in the notice editor.
import { Link, useNavigate } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { incidentsApi } from "./incidents.api";
import { formatHours } from "./incidents.components";
import { useIncidentMutation } from "./incidents.queries";
import type { Incident } from "./incidents.types";

export function IncidentNotices({ incident }: { incident: Incident }) {
  const can = useCan();
  const navigate = useNavigate();
  const draft = useIncidentMutation(() => incidentsApi.draftNotice(incident.id));
  const published = incident.notices.some((n) => n.publishedAt);
  if (!incident.customersAffected && incident.notices.length === 0) return null;
  return (
    <section className="card section" aria-labelledby="notices-heading">
      <h2 className="section-title" id="notices-heading">
        Customer notices
      </h2>
      {incident.customersAffected && !published && (
        <p>
          <Badge tone="warning">Customers not yet told</Badge> The incident affects customers: a
          notice must be published within the set hours of its confirmation.
        </p>
      )}
      {incident.timeToNoticeHours !== null && (
        <p>
          Customers were told {formatHours(incident.timeToNoticeHours)} after the incident was
          confirmed.
        </p>
      )}
      {incident.notices.length > 0 && (
        <ul className="incident-list">
          {incident.notices.map((n) => (
            <li key={n.id}>
              {can("notices.read") ? <Link to={`/notices/${n.id}`}>{n.title}</Link> : n.title}{" "}
              <span className="muted">
                {n.publishedAt ? `published ${formatDateTime(n.publishedAt)}` : "draft"}
              </span>
            </li>
          ))}
        </ul>
      )}
      {can("notices.manage") && (
        <>
          <FormAlert error={draft.error} />
          <div className="incident-actions">
            <button
              type="button"
              className="button button-secondary"
              disabled={draft.isPending}
              onClick={async () => {
                const notice = await draft.mutateAsync(undefined).catch(() => null);
                if (notice) navigate(`/notices/${notice.id}`);
              }}
            >
              {draft.isPending ? "Drafting…" : "Draft a customer notice"}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
