// On a confidential report, for its handler: declare an incident from it. The incident is
// linked to the report and never names the reporter.
import { useNavigate } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { useCan } from "../../ui/session";
import { incidentsApi } from "./incidents.api";
import { useIncidentMutation } from "./incidents.queries";

export function DeclareFromReport({ reportId, subject }: { reportId: string; subject: string }) {
  const can = useCan();
  const navigate = useNavigate();
  const declare = useIncidentMutation(() =>
    incidentsApi.declare({ title: subject.slice(0, 200), reportId }),
  );
  if (!can("incidents.declare")) return null;
  return (
    <section className="card section" aria-labelledby="incident-heading">
      <h2 id="incident-heading" className="section-title">
        Incident
      </h2>
      <p className="muted">
        If the report tells of an incident, declare it: the incident is linked to this report and
        never names the reporter.
      </p>
      <FormAlert error={declare.error} />
      <button
        type="button"
        className="button button-secondary"
        disabled={declare.isPending}
        onClick={async () => {
          const incident = await declare.mutateAsync(undefined).catch(() => null);
          if (incident) navigate(`/incidents/${incident.id}`);
        }}
      >
        {declare.isPending ? "Declaring…" : "Declare an incident"}
      </button>
    </section>
  );
}
