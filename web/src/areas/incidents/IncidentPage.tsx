// One incident: what happened and its facts and clocks, its triage and status, the customer
// notices, its timeline, and the ways out (the PDF export, the lessons learned, marking it as
// the test of the Incident Response Plan).
import "./incidents.css";
import { Link, useNavigate, useParams } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, todayDateInput } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { IncidentNotices } from "./IncidentNotices";
import { IncidentTimeline } from "./IncidentTimeline";
import { StatusButtons, TriageForm } from "./IncidentTriage";
import { incidentsApi } from "./incidents.api";
import { ClockText, IncidentStatusBadge, SeverityBadge } from "./incidents.components";
import { useIncident, useIncidentMutation } from "./incidents.queries";
import type { Incident } from "./incidents.types";

const LESSONS_STATES = { draft: "Draft", submitted: "Submitted for approval", approved: "Shared" };

function Facts({ incident: i }: { incident: Incident }) {
  return (
    <section className="card section" aria-labelledby="facts-heading">
      <h2 className="section-title" id="facts-heading">
        Details
      </h2>
      <dl className="incident-facts">
        <dt>Status</dt>
        <dd>
          <IncidentStatusBadge status={i.status} /> <ClockText incident={i} />
        </dd>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={i.severity} />
        </dd>
        <dt>Owner</dt>
        <dd>{i.owner?.name ?? "Nobody yet"}</dd>
        <dt>Declared</dt>
        <dd>
          {formatDateTime(i.reportedAt)}
          {i.fromReport
            ? " from a confidential report"
            : i.reportedBy
              ? ` by ${i.reportedBy.name}`
              : ""}
        </dd>
        {i.triagedAt && (
          <>
            <dt>Confirmed</dt>
            <dd>{formatDateTime(i.triagedAt)}</dd>
          </>
        )}
        {i.containedAt && (
          <>
            <dt>Contained</dt>
            <dd>{formatDateTime(i.containedAt)}</dd>
          </>
        )}
        {i.resolvedAt && (
          <>
            <dt>Resolved</dt>
            <dd>{formatDateTime(i.resolvedAt)}</dd>
          </>
        )}
        {i.closedAt && (
          <>
            <dt>Closed</dt>
            <dd>{formatDateTime(i.closedAt)}</dd>
          </>
        )}
        <dt>Customers</dt>
        <dd>
          {i.customersAffected ? "Affected" : "Not affected"}
          {i.customerDataAffected ? "; customer data affected" : ""}
          {i.affectedCustomers.length > 0 ? ` (${i.affectedCustomers.join(", ")})` : ""}
        </dd>
        <dt>Systems</dt>
        <dd>{i.systems.length ? i.systems.map((s) => s.name).join(", ") : "None recorded"}</dd>
        {i.isPlanTest && (
          <>
            <dt>Plan test</dt>
            <dd>
              <Badge tone="success">The test of the Incident Response Plan</Badge>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Outcomes({ incident: i }: { incident: Incident }) {
  const can = useCan();
  const navigate = useNavigate();
  const planTest = useIncidentMutation(() =>
    incidentsApi.createExercise({
      kind: "incident",
      title: `${i.reference}: ${i.title}`,
      heldOn: todayDateInput(),
      incidentId: i.id,
    }),
  );
  const resolved = i.status === "resolved" || i.status === "closed";
  const canExport = can("incidents.read");
  const lessons = resolved || i.lessons !== null;
  const markable = i.may.manage && !i.isPlanTest;
  if (!canExport && !lessons && !markable) return null;
  return (
    <section className="card section" aria-labelledby="after-heading">
      <h2 className="section-title" id="after-heading">
        Record and learn
      </h2>
      <FormAlert error={planTest.error} />
      <ul className="incident-list">
        {canExport && (
          <li>
            <a href={incidentsApi.exportUrl(i.id)} download>
              Export PDF
            </a>{" "}
            <span className="muted">(timeline, notices, lessons learned)</span>
          </li>
        )}
        {lessons && (
          <li>
            <Link to={`/incidents/${i.id}/lessons`}>Lessons learned</Link>{" "}
            <span className="muted">
              {i.lessons ? LESSONS_STATES[i.lessons.status] : "not written yet"}
            </span>
          </li>
        )}
      </ul>
      {markable && (
        <div className="incident-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={planTest.isPending}
            onClick={async () => {
              const exercise = await planTest.mutateAsync(undefined).catch(() => null);
              if (exercise) navigate(`/ir-exercises/${exercise.id}`);
            }}
          >
            Mark as the plan's test
          </button>
        </div>
      )}
    </section>
  );
}

export function IncidentPage() {
  const { id = "" } = useParams();
  const incident = useIncident(id);
  if (incident.isPending) return <PageLoading label="Loading the incident" />;
  if (incident.isError)
    return <LoadError error={incident.error} onRetry={() => incident.refetch()} />;
  const i = incident.data;
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/incidents">Incidents</Link>}
        title={`${i.reference}: ${i.title}`}
        description={i.description || undefined}
      />
      <div className="incident-layout">
        <div>
          {i.may.manage && <StatusButtons incident={i} />}
          {i.may.manage && i.status === "reported" && <TriageForm key={i.status} incident={i} />}
          <IncidentNotices incident={i} />
          <IncidentTimeline incident={i} />
          {i.may.manage && i.status !== "reported" && i.status !== "closed" && (
            <TriageForm key={i.status} incident={i} />
          )}
        </div>
        <div>
          <Facts incident={i} />
          <Outcomes incident={i} />
        </div>
      </div>
    </>
  );
}
