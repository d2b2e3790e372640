// Declare an incident: what happened, and if known its severity (with what each one means
// here) and what it affects. Whoever triages it sets the rest.
import "./incidents.css";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { PageHeader } from "../../ui/PageHeader";
import { incidentsApi } from "./incidents.api";
import { SeverityChoice } from "./incidents.components";
import { customerList, ImpactFields, type ImpactValues } from "./incidents.fields";
import { useIncidentMutation, useSeverities } from "./incidents.queries";
import type { Severity } from "./incidents.types";

export function NewIncidentPage() {
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const severities = useSeverities();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [severity, setSeverity] = useState<Severity | "">("");
  const [impact, setImpact] = useState<ImpactValues>({
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: "",
    systemIds: [],
  });
  const declare = useIncidentMutation(() =>
    incidentsApi.declare({
      title: title.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(severity ? { severity } : {}),
      customersAffected: impact.customersAffected,
      customerDataAffected: impact.customerDataAffected,
      affectedCustomers: customerList(impact.affectedCustomers),
      ...(impact.systemIds.length ? { systemIds: impact.systemIds } : {}),
    }),
  );
  const errors = fieldErrorsOf(declare.error);
  useFocusFirstInvalid(formRef, declare.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await declare.mutateAsync(undefined).catch(() => null);
    if (created) navigate(`/incidents/${created.id}`);
  }

  return (
    <>
      <PageHeader
        eyebrow={<Link to="/incidents">Incidents</Link>}
        title="Declare an incident"
        description="Say what happened as soon as you notice it; you can add what you learn later. The security team is told at once."
      />
      <form
        ref={formRef}
        className="form card section"
        onSubmit={onSubmit}
        aria-busy={declare.isPending}
      >
        <FormAlert error={declare.error ?? severities.error} />
        <TextField
          label="Title"
          value={title}
          required
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title}
        />
        <TextAreaField
          label="What happened (optional)"
          value={description}
          rows={5}
          maxLength={20000}
          hint="When and how you noticed it, what you saw, what you did already."
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
        />
        <SeverityChoice
          value={severity}
          onChange={setSeverity}
          severities={severities.data}
          error={errors.severity}
          optional
        />
        <ImpactFields values={impact} onChange={setImpact} errors={errors} />
        <div className="form-actions">
          <Link className="button button-secondary" to="/incidents">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={declare.isPending}>
            {declare.isPending ? "Declaring…" : "Declare the incident"}
          </button>
        </div>
      </form>
    </>
  );
}
