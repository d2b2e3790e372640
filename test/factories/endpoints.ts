import { sql } from "kysely";
import type { ProbeTrigger } from "../../src/db/tables/endpoints.ts";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays } from "../../src/domain/dates.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../factories.ts";
import { factoryBody as body } from "./shared.ts";

/**
 * Internet-facing endpoints (issue 15): registered through the API, and probes stored straight
 * into the database as if they had been made so many days ago (the history endpoints-tls reads
 * as of any date). The default host is an address of the documentation range (203.0.113.0/24),
 * which the probe refuses without touching the network: a probe of it is a recorded failure.
 */
let sequence = 0;

/** An endpoint registered by the owner; answers the API's Endpoint. */
export async function endpoint(org: Org, fields: Record<string, unknown> = {}) {
  sequence++;
  return body(
    await org.owner.client.post("/api/v1/endpoints", {
      host: `203.0.113.${(sequence % 250) + 1}`,
      port: 8000 + sequence,
      ...fields,
    }),
    "register endpoint",
    201,
  );
}

export interface StoredProbeOptions {
  /** Days ago it was probed; default 1. */
  daysAgo?: number;
  /** Days from the probe to the certificate's expiry; default 90. */
  certificateDays?: number;
  /** What failed (none: passed). */
  failures?: string[];
  trigger?: ProbeTrigger;
}

/** A probe of the endpoint stored as made `daysAgo`, then the controls re-evaluated. */
export async function storedProbe(org: Org, endpointId: string, options: StoredProbeOptions = {}) {
  const probedAt = addDays(new Date(), -(options.daysAgo ?? 1));
  const notAfter = addDays(probedAt, options.certificateDays ?? 90);
  const failures = options.failures ?? [];
  const row = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const endpoint = await tx
      .selectFrom("endpoints")
      .select(["host", "port"])
      .where("id", "=", endpointId)
      .executeTakeFirstOrThrow();
    const result = {
      host: endpoint.host,
      port: endpoint.port,
      address: "203.0.113.1",
      probedAt: probedAt.toISOString(),
      tlsVersions: ["TLSv1.2", "TLSv1.3"],
      certificate: { notAfter: notAfter.toISOString(), chainValid: true, hostnameValid: true },
      httpRedirectsToHttps: true,
      hsts: null,
      errors: [],
    };
    await sql`update endpoints
      set last_probed_at = greatest(coalesce(last_probed_at, ${probedAt}), ${probedAt})
      where id = ${endpointId}`.execute(tx);
    return tx
      .insertInto("endpoint_probes")
      .values({
        organization_id: org.id,
        endpoint_id: endpointId,
        probed_at: probedAt,
        trigger: options.trigger ?? "scheduled",
        passed: failures.length === 0,
        failures,
        address: result.address,
        tls_versions: result.tlsVersions,
        certificate_not_after: notAfter,
        certificate_subject: `CN=${endpoint.host}`,
        certificate_issuer: "CN=Test CA",
        chain_valid: true,
        hostname_valid: true,
        http_redirects_to_https: true,
        result: JSON.stringify(result),
        created_at: probedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  });
  await reevaluate(org.t.deps.db, org.id);
  return row.id;
}

/** Moves the endpoint's registration `days` into the past (as if registered then). */
export async function backdateEndpoint(org: Org, endpointId: string, days: number) {
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`update endpoints set created_at = created_at - make_interval(days => ${days})
        where id = ${endpointId}`.execute(tx),
  );
  await reevaluate(org.t.deps.db, org.id);
}
