// Working an incident: its triage (severity and owner: the incident is confirmed), its impact
// (customers, their data, systems), and the buttons that move its status forward (or reopen
// a resolved one).
import { type FormEvent, useRef, useState } from "react";
import { SelectField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { useAllUsers } from "../users/queries";
import { incidentsApi } from "./incidents.api";
import { SeverityChoice } from "./incidents.components";
import { customerList, ImpactFields, type ImpactValues } from "./incidents.fields";
import { useIncidentMutation, useSeverities } from "./incidents.queries";
import type { Incident, IncidentChanges, IncidentStatus, Severity } from "./incidents.types";

/** The moves a status offers: forward, and reopening a resolved incident. */
const MOVES: Record<IncidentStatus, { to: IncidentStatus; label: string }[]> = {
  reported: [],
  triaged: [
    { to: "contained", label: "Mark contained" },
    { to: "resolved", label: "Mark resolved" },
  ],
  contained: [{ to: "resolved", label: "Mark resolved" }],
  resolved: [
    { to: "closed", label: "Close the incident" },
    { to: "contained", label: "Reopen" },
  ],
  closed: [],
};

export function StatusButtons({ incident }: { incident: Incident }) {
  const move = useIncidentMutation((status: IncidentStatus) =>
    incidentsApi.update(incident.id, { status }),
  );
  const moves = MOVES[incident.status];
  if (moves.length === 0) return null;
  return (
    <>
      <FormAlert error={move.error} />
      <div className="incident-actions">
        {moves.map((m) => (
          <button
            key={m.to}
            type="button"
            className={m.to === "resolved" ? "button button-primary" : "button button-secondary"}
            disabled={move.isPending}
            onClick={() => move.mutate(m.to)}
          >
            {m.label}
          </button>
        ))}
      </div>
    </>
  );
}

export function TriageForm({ incident }: { incident: Incident }) {
  const formRef = useRef<HTMLFormElement>(null);
  const severities = useSeverities();
  const users = useAllUsers();
  const managers = (users.data ?? []).filter(
    (u) => u.status === "active" && ["owner", "admin", "editor"].includes(u.role),
  );
  const [severity, setSeverity] = useState<Severity | "">(incident.severity ?? "");
  const [ownerId, setOwnerId] = useState(incident.owner?.id ?? "");
  const [impact, setImpact] = useState<ImpactValues>({
    customersAffected: incident.customersAffected,
    customerDataAffected: incident.customerDataAffected,
    affectedCustomers: incident.affectedCustomers.join(", "),
    systemIds: incident.systems.map((s) => s.id),
  });
  const [saved, setSaved] = useState(false);
  const save = useIncidentMutation((changes: IncidentChanges) =>
    incidentsApi.update(incident.id, changes),
  );
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);
  const triaging = incident.status === "reported";

  function changes(): IncidentChanges {
    const out: IncidentChanges = {};
    if (severity && severity !== incident.severity) out.severity = severity;
    if (ownerId && ownerId !== incident.owner?.id) out.ownerId = ownerId;
    if (impact.customersAffected !== incident.customersAffected)
      out.customersAffected = impact.customersAffected;
    if (impact.customerDataAffected !== incident.customerDataAffected)
      out.customerDataAffected = impact.customerDataAffected;
    const customers = customerList(impact.affectedCustomers);
    if (customers.join("\n") !== incident.affectedCustomers.join("\n"))
      out.affectedCustomers = customers;
    const systems = [...impact.systemIds].sort();
    if (
      systems.join() !==
      incident.systems
        .map((s) => s.id)
        .sort()
        .join()
    )
      out.systemIds = systems;
    if (triaging) out.status = "triaged";
    return out;
  }
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const done = await save.mutateAsync(changes()).catch(() => null);
    if (done) setSaved(true);
  }

  return (
    <section className="card section" aria-labelledby="triage-heading">
      <h2 className="section-title" id="triage-heading">
        {triaging ? "Triage" : "Severity, owner and impact"}
      </h2>
      {triaging && (
        <p className="muted">
          Setting the severity and the owner confirms the incident; its clocks then follow the
          severity.
        </p>
      )}
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error ?? users.error} />
        <SeverityChoice
          value={severity}
          onChange={setSeverity}
          severities={severities.data}
          error={errors.severity}
        />
        <SelectField
          label="Owner"
          value={ownerId}
          required={triaging}
          onChange={(e) => setOwnerId(e.target.value)}
          error={errors.ownerId}
        >
          <option value="">Choose the owner</option>
          {managers.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <ImpactFields values={impact} onChange={setImpact} errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : triaging ? "Triage the incident" : "Save changes"}
          </button>
          <span className="form-status" role="status">
            {saved && !save.isPending ? "Saved." : ""}
          </span>
        </div>
      </form>
    </section>
  );
}
