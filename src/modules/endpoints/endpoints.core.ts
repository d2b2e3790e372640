import type { Endpoint, EndpointProbe } from "../../db/tables/endpoints.ts";
import type { Tx } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import { errors } from "../../platform/errors.ts";
import { systemNames } from "../systems/systems.queries.ts";
import type { EndpointStatus, EndpointView, ProbeView } from "./endpoints.schema.ts";

/** What the endpoints area shares between its services, checks and jobs. */

export const ENDPOINTS_SOURCE = "endpoints" as const;
export const TLS_CONTROL = "encryption-in-transit";
export const TLS_TEST = "endpoints-tls";
/** A probe counts for this long (CONTROLS.md: "passed a live probe within 7 days"). */
export const PROBE_VALID_DAYS = 7;
/** A certificate expiring within this many days is due soon. */
export const EXPIRY_DUE_SOON_DAYS = 14;

export function presentProbe(row: EndpointProbe): ProbeView {
  const result = row.result as { errors?: string[] };
  return {
    id: row.id,
    probedAt: new Date(row.probed_at),
    trigger: row.trigger,
    passed: row.passed,
    state: !row.passed ? "failing" : row.failures.length > 0 ? "due_soon" : "passing",
    reasons: row.failures,
    address: row.address,
    tlsVersions: row.tls_versions,
    certificateExpiresAt: row.certificate_not_after && new Date(row.certificate_not_after),
    certificateSubject: row.certificate_subject,
    certificateIssuer: row.certificate_issuer,
    chainValid: row.chain_valid,
    hostnameValid: row.hostname_valid,
    httpRedirectsToHttps: row.http_redirects_to_https,
    hstsMaxAge: row.hsts_max_age,
    errors: Array.isArray(result?.errors) ? result.errors : [],
    evidenceId: row.evidence_id,
  };
}

/**
 * An endpoint's standing by endpoints-tls at `asOf`, from its newest probe by then: the same
 * rules as the check's query (endpoints.checks.ts).
 */
export function statusAsOf(probe: EndpointProbe | undefined, asOf: Date): EndpointStatus {
  if (!probe) return "not_probed";
  if (new Date(probe.probed_at) <= addDays(asOf, -PROBE_VALID_DAYS)) return "stale";
  if (!probe.passed) return "failing";
  const expiry = probe.certificate_not_after && new Date(probe.certificate_not_after);
  if (!expiry || expiry <= asOf) return "failing";
  if (expiry < addDays(asOf, EXPIRY_DUE_SOON_DAYS)) return "due_soon";
  return "passing";
}

/** The newest probe of each endpoint. */
export async function lastProbes(
  tx: Tx,
  endpointIds: readonly string[],
): Promise<Map<string, EndpointProbe>> {
  if (endpointIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom("endpoint_probes")
    .selectAll()
    .distinctOn("endpoint_id")
    .where("endpoint_id", "in", [...endpointIds])
    .orderBy("endpoint_id")
    .orderBy("probed_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  return new Map(rows.map((row) => [row.endpoint_id, row]));
}

/** Endpoints as the API shows them, each with its last probe and standing now. */
export async function presentEndpoints(
  tx: Tx,
  rows: Endpoint[],
  now = new Date(),
): Promise<EndpointView[]> {
  const ids = rows.map((row) => row.id);
  const [probes, names] = await Promise.all([
    lastProbes(tx, ids),
    systemNames(
      tx,
      rows.flatMap((row) => (row.system_id ? [row.system_id] : [])),
    ),
  ]);
  return rows.map((row) => {
    const probe = probes.get(row.id);
    return {
      id: row.id,
      host: row.host,
      port: row.port,
      httpPort: row.http_port,
      system: row.system_id
        ? { id: row.system_id, name: names.get(row.system_id) ?? "(unknown system)" }
        : null,
      notes: row.notes,
      createdAt: new Date(row.created_at),
      archivedAt: row.archived_at && new Date(row.archived_at),
      status: statusAsOf(probe, now),
      lastProbe: probe ? presentProbe(probe) : null,
    };
  });
}

export async function findEndpoint(tx: Tx, id: string): Promise<Endpoint> {
  const row = await tx.selectFrom("endpoints").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Endpoint");
  return row;
}
