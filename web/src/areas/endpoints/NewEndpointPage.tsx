// Register an internet-facing endpoint: host name, ports, the system it belongs to, notes.
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf } from "../../ui/forms";
import { PageHeader } from "../../ui/PageHeader";
import { endpointsApi } from "./endpoints.api";
import { useEndpointMutation, useSystemChoices } from "./endpoints.queries";

export function NewEndpointPage() {
  const navigate = useNavigate();
  const systems = useSystemChoices();
  const [host, setHost] = useState("");
  const [port, setPort] = useState("443");
  const [httpPort, setHttpPort] = useState("80");
  const [systemId, setSystemId] = useState("");
  const [notes, setNotes] = useState("");
  const register = useEndpointMutation(() =>
    endpointsApi.register({
      host: host.trim(),
      port: Number(port),
      httpPort: Number(httpPort),
      systemId: systemId || null,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    }),
  );
  const errors = fieldErrorsOf(register.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await register.mutateAsync(undefined).catch(() => null);
    if (created) navigate(`/endpoints/${created.id}`);
  }

  return (
    <>
      <PageHeader
        title="Register an endpoint"
        description="A host name your customers reach over the internet. Attest probes it every day and when you ask."
      />
      <form className="form card section" onSubmit={onSubmit} aria-busy={register.isPending}>
        <FormAlert error={register.error} />
        <TextField
          label="Host name"
          value={host}
          required
          maxLength={253}
          placeholder="api.example.com"
          hint="A DNS name or an IP address, without https:// or a path."
          onChange={(e) => setHost(e.target.value)}
          error={errors.host}
        />
        <TextField
          label="HTTPS port"
          type="number"
          min={1}
          max={65535}
          value={port}
          required
          onChange={(e) => setPort(e.target.value)}
          error={errors.port}
        />
        <TextField
          label="Plain HTTP port"
          type="number"
          min={1}
          max={65535}
          value={httpPort}
          required
          hint="Where plain HTTP must redirect to HTTPS."
          onChange={(e) => setHttpPort(e.target.value)}
          error={errors.httpPort}
        />
        <SelectField
          label="System (optional)"
          value={systemId}
          onChange={(e) => setSystemId(e.target.value)}
          error={errors.systemId}
        >
          <option value="">None</option>
          {(systems.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Notes (optional)"
          value={notes}
          rows={3}
          onChange={(e) => setNotes(e.target.value)}
          error={errors.notes}
        />
        <div className="form-actions">
          <Link className="button button-secondary" to="/endpoints">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register the endpoint"}
          </button>
        </div>
      </form>
    </>
  );
}
