// Internet-facing endpoints: each with its standing by endpoints-tls, its certificate's expiry
// and when it was last probed; and the way to register one.
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate, formatDateTime, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { EndpointStatusBadge, endpointName } from "./endpoints.components";
import { useEndpoints } from "./endpoints.queries";

export function EndpointsPage() {
  const can = useCan();
  const endpoints = useEndpoints();
  const items = endpoints.data ?? [];
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="Internet-facing endpoints, probed live every day: TLS 1.2 or newer only, a valid certificate for the name not expiring within 14 days, and plain HTTP redirecting to HTTPS."
        actions={
          can("endpoints.manage") && (
            <Link className="button button-primary" to="/endpoints/new">
              <Icon name="plus" />
              Register an endpoint
            </Link>
          )
        }
      />
      {endpoints.isPending && <PageLoading label="Loading endpoints" />}
      {endpoints.isError && (
        <LoadError error={endpoints.error} onRetry={() => endpoints.refetch()} />
      )}
      {endpoints.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "endpoint")}
        </p>
      )}
      {endpoints.isSuccess && items.length === 0 && (
        <EmptyState icon="trust" title="No endpoints registered">
          <p>
            Register each host name your customers reach over the internet (your app, its API, your
            website); Attest probes its TLS every day.
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Endpoints" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Status</th>
                <th scope="col">Certificate expires</th>
                <th scope="col">Last probed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/endpoints/${e.id}`}>{endpointName(e)}</Link>
                    {e.system && <div className="cell-secondary">{e.system.name}</div>}
                  </td>
                  <td>
                    <EndpointStatusBadge status={e.status} />
                  </td>
                  <td>{formatDate(e.lastProbe?.certificateExpiresAt)}</td>
                  <td>{e.lastProbe ? formatDateTime(e.lastProbe.probedAt) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
