// One endpoint: its standing, its last probe in detail (versions, certificate, redirect, HSTS),
// "Probe now", and every probe before, each with its evidence file.
import "./endpoints.css";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime } from "../../ui/format";
import { BASE, seg } from "../../ui/http";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { endpointsApi } from "./endpoints.api";
import { EndpointStatusBadge, endpointName, ProbeBadge } from "./endpoints.components";
import { useEndpoint, useEndpointMutation, useProbes } from "./endpoints.queries";
import type { Probe } from "./endpoints.types";

const yesNo = (value: boolean | null, unknown = "Not known") =>
  value === null ? unknown : value ? "Yes" : "No";

function Reasons({ probe }: { probe: Probe }) {
  if (probe.reasons.length === 0) return null;
  return (
    <ul className="endpoint-reasons">
      {probe.reasons.map((reason) => (
        <li key={reason}>{reason}</li>
      ))}
    </ul>
  );
}

function evidenceUrl(id: string): string {
  return `${BASE}/evidence/${seg(id)}/download`;
}

function LastProbe({ probe }: { probe: Probe }) {
  return (
    <dl className="endpoint-facts">
      <dt>Outcome</dt>
      <dd>
        <ProbeBadge state={probe.state} />
        <Reasons probe={probe} />
      </dd>
      <dt>Probed</dt>
      <dd>
        {formatDateTime(probe.probedAt)}
        {probe.address ? ` at ${probe.address}` : ""}
      </dd>
      <dt>TLS versions</dt>
      <dd>{probe.tlsVersions.length > 0 ? probe.tlsVersions.join(", ") : "None"}</dd>
      <dt>Certificate</dt>
      <dd>
        {probe.certificateSubject
          ? `${probe.certificateSubject}, issued by ${probe.certificateIssuer}; expires ${formatDate(probe.certificateExpiresAt)}`
          : "None presented"}
      </dd>
      <dt>Chain valid for the name</dt>
      <dd>
        {probe.chainValid === null
          ? "Not known"
          : yesNo(Boolean(probe.chainValid && probe.hostnameValid))}
      </dd>
      <dt>HTTP redirects to HTTPS</dt>
      <dd>{yesNo(probe.httpRedirectsToHttps, "No answer on plain HTTP")}</dd>
      <dt>HSTS</dt>
      <dd>{probe.hstsMaxAge === null ? "Not sent" : `max-age ${probe.hstsMaxAge} seconds`}</dd>
      {probe.errors.length > 0 && (
        <>
          <dt>Network</dt>
          <dd>{probe.errors.join("; ")}</dd>
        </>
      )}
      {probe.evidenceId && (
        <>
          <dt>Evidence</dt>
          <dd>
            <a href={evidenceUrl(probe.evidenceId)} download>
              The probe's result (JSON)
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}

function History({ probes }: { probes: Probe[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Probe history" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Probed</th>
            <th scope="col">Outcome</th>
            <th scope="col">Certificate expires</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {probes.map((p) => (
            <tr key={p.id}>
              <td>
                {formatDateTime(p.probedAt)}
                <div className="cell-secondary">
                  {p.trigger === "manual" ? "On demand" : "Scheduled"}
                </div>
              </td>
              <td>
                <ProbeBadge state={p.state} />
                <Reasons probe={p} />
              </td>
              <td>{formatDate(p.certificateExpiresAt)}</td>
              <td>{p.evidenceId ? <a href={evidenceUrl(p.evidenceId)}>JSON</a> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function EndpointPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const endpoint = useEndpoint(id);
  const probes = useProbes(id);
  const probeNow = useEndpointMutation(() => endpointsApi.probe(id));
  const archive = useEndpointMutation(() => endpointsApi.archive(id));

  if (endpoint.isPending) return <PageLoading label="Loading the endpoint" />;
  if (endpoint.isError)
    return <LoadError error={endpoint.error} onRetry={() => endpoint.refetch()} />;
  const e = endpoint.data;
  const canManage = can("endpoints.manage") && e.archivedAt === null;

  return (
    <>
      <PageHeader
        eyebrow={<Link to="/endpoints">Endpoints</Link>}
        title={endpointName(e)}
        description={e.notes || undefined}
      />
      <section className="card section" aria-labelledby="endpoint-heading">
        <h2 className="section-title" id="endpoint-heading">
          Status
        </h2>
        <FormAlert error={probeNow.error ?? archive.error} />
        {canManage && (
          <div className="endpoint-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={probeNow.isPending}
              onClick={() => probeNow.mutate(undefined)}
            >
              {probeNow.isPending ? "Probing…" : "Probe now"}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={archive.isPending}
              onClick={() => archive.mutate(undefined)}
            >
              Archive
            </button>
          </div>
        )}
        {probeNow.isSuccess && (
          <p className="field-hint" role="status">
            Probed: {probeNow.data.state === "failing" ? "it failed" : "it passed"}.
          </p>
        )}
        <dl className="endpoint-facts">
          <dt>Standing</dt>
          <dd>
            <EndpointStatusBadge status={e.status} />
          </dd>
          <dt>System</dt>
          <dd>{e.system ? <Link to={`/systems/${e.system.id}`}>{e.system.name}</Link> : "None"}</dd>
          <dt>Plain HTTP port</dt>
          <dd>{e.httpPort}</dd>
          <dt>Registered</dt>
          <dd>{formatDate(e.createdAt)}</dd>
          {e.archivedAt && (
            <>
              <dt>Archived</dt>
              <dd>{formatDate(e.archivedAt)}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card section" aria-labelledby="last-probe-heading">
        <h2 className="section-title" id="last-probe-heading">
          Last probe
        </h2>
        {e.lastProbe ? <LastProbe probe={e.lastProbe} /> : <p className="muted">Not probed yet.</p>}
      </section>
      <section className="card section" aria-labelledby="history-heading">
        <h2 className="section-title" id="history-heading">
          Probe history
        </h2>
        {probes.isError && <LoadError error={probes.error} onRetry={() => probes.refetch()} />}
        {probes.isSuccess && probes.data.length === 0 && (
          <EmptyState icon="trust" title="No probes yet">
            <p>Attest probes each endpoint every day; "Probe now" probes it at once.</p>
          </EmptyState>
        )}
        {probes.isSuccess && probes.data.length > 0 && <History probes={probes.data} />}
      </section>
    </>
  );
}
