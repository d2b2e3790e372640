import fs from "node:fs";
import type { Endpoint, ProbeTrigger } from "../../db/tables/endpoints.ts";
import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { appUrl } from "../../platform/links.ts";
import { judgeTlsProbe, probe, type TlsProbeResult } from "../../platform/tls-probe.ts";
import { evidenceEnvOf, fileGeneratedEvidence } from "../evidence/evidence.service.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import {
  ENDPOINTS_SOURCE,
  findEndpoint,
  presentProbe,
  TLS_CONTROL,
  TLS_TEST,
} from "./endpoints.core.ts";
import { endpointLabel, endpointLink } from "./endpoints.queries.ts";
import type { ProbeView } from "./endpoints.schema.ts";

/**
 * A live probe of one endpoint (src/platform/tls-probe.ts, through the outbound address policy
 * the configuration sets) and its record: the whole result filed as a JSON file in the evidence
 * library, and a row with the judged outcome that names it, in one change. A refused address or
 * a host that does not answer is a failed probe like any other, never an error of the request.
 * When the endpoint starts failing or coming due, the owners and admins are mailed once for
 * the episode (endpoints.alerted_state, cleared by a passing probe).
 */

const trusted = new Map<string, string[]>();

/** The certificates ATTEST_PROBE_CA_FILE adds to the system's roots, read once. */
function trustedCertificates(caFile: string | undefined): string[] {
  if (!caFile) return [];
  let pem = trusted.get(caFile);
  if (!pem) {
    pem = [fs.readFileSync(caFile, "utf8")];
    trusted.set(caFile, pem);
  }
  return pem;
}

/** Probes the endpoint now; never throws for what the network does. */
export function probeNow(deps: Deps, endpoint: Endpoint): Promise<TlsProbeResult> {
  const config = deps.config.probe;
  return probe(endpoint.host, {
    port: endpoint.port,
    httpPort: endpoint.http_port,
    timeoutMs: config.timeoutMs,
    ca: trustedCertificates(config.caFile),
    allowPrivate: config.allowPrivate,
    allowLoopback: config.allowLoopback,
  });
}

function fileNameOf(endpoint: Endpoint, probedAt: Date): string {
  const host = endpoint.host.replace(/[^a-z0-9.-]/g, "-");
  return `tls-probe-${host}-${endpoint.port}-${probedAt.toISOString().replace(/[:.]/g, "-")}.json`;
}

type Alert = { state: "failing" | "due_soon"; reasons: string[] } | null;

/** Records a probe's result; answers the stored probe. */
export async function recordProbe(
  ctx: Context,
  deps: Deps,
  endpoint: Endpoint,
  result: TlsProbeResult,
  trigger: ProbeTrigger,
): Promise<ProbeView> {
  const judgement = judgeTlsProbe(result);
  const probedAt = new Date(result.probedAt);
  const label = endpointLabel(endpoint);
  const cert = result.certificate;
  const { view, alert } = await fileGeneratedEvidence(
    ctx,
    evidenceEnvOf(deps),
    {
      controlKey: TLS_CONTROL,
      testKey: TLS_TEST,
      title: `TLS probe of ${label}`,
      description:
        judgement.state === "passing"
          ? `Passed: ${result.tlsVersions.join(", ")}; certificate valid until ${cert?.notAfter.slice(0, 10)}.`
          : judgement.reasons.join("\n"),
      evidenceDate: isoDay(probedAt),
      fileName: fileNameOf(endpoint, probedAt),
      contentType: "application/json",
      data: Buffer.from(`${JSON.stringify(result, null, 2)}\n`),
    },
    async ({ tx, audit }, evidence) => {
      const row = await tx
        .insertInto("endpoint_probes")
        .values({
          organization_id: ctx.organizationId,
          endpoint_id: endpoint.id,
          probed_at: probedAt,
          trigger,
          passed: judgement.state !== "failing",
          failures: judgement.reasons,
          address: result.address,
          tls_versions: result.tlsVersions,
          certificate_not_after: cert ? new Date(cert.notAfter) : null,
          certificate_subject: cert?.subject ?? null,
          certificate_issuer: cert?.issuer ?? null,
          chain_valid: cert?.chainValid ?? null,
          hostname_valid: cert?.hostnameValid ?? null,
          http_redirects_to_https: result.httpRedirectsToHttps,
          hsts_max_age: result.hsts?.maxAge ?? null,
          result: JSON.stringify(result),
          evidence_id: evidence.id,
          created_by: actorUserId(ctx.actor),
          created_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // A new episode (passing before, or never alerted) is claimed here, mailed after commit.
      const state = judgement.state === "passing" ? null : judgement.state;
      const before = await tx
        .selectFrom("endpoints")
        .select(["alerted_state", "last_probed_at"])
        .where("id", "=", endpoint.id)
        .executeTakeFirstOrThrow();
      await tx
        .updateTable("endpoints")
        .set({
          last_probed_at:
            before.last_probed_at && new Date(before.last_probed_at) > probedAt
              ? before.last_probed_at
              : probedAt,
          probe_claimed_at: null,
          alerted_state: state === null ? null : (before.alerted_state ?? state),
        })
        .where("id", "=", endpoint.id)
        .execute();
      await audit({
        action: "endpoint.probed",
        targetType: "endpoint",
        targetId: endpoint.id,
        before: null,
        after: { probeId: row.id, state: judgement.state, reasons: judgement.reasons, trigger },
      });
      const alert: Alert =
        state !== null && before.alerted_state === null
          ? { state, reasons: judgement.reasons }
          : null;
      return { view: presentProbe(row), alert };
    },
    [ENDPOINTS_SOURCE],
  );
  if (alert) await mailAlert(ctx, deps, endpoint, alert);
  return view;
}

/** Tells the owners and admins that an endpoint started failing or coming due; best effort. */
async function mailAlert(
  ctx: Context,
  deps: Deps,
  endpoint: Endpoint,
  alert: NonNullable<Alert>,
): Promise<void> {
  const mailer = deps.mailer;
  if (!mailer) return;
  const users = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    activeUsersWithRoles(tx, ["owner", "admin"]),
  );
  const label = endpointLabel(endpoint);
  const subject =
    alert.state === "failing"
      ? `Failing TLS probe: ${label}`
      : `Due soon: the certificate of ${label} expires within 14 days`;
  for (const user of users) {
    const text = [
      `Hello ${user.name},`,
      "",
      `The live TLS probe of ${label} found:`,
      ...alert.reasons.map((reason) => `- ${reason}`),
      "",
      appUrl(deps, endpointLink(endpoint.id)),
      "",
      "— Attest",
    ].join("\n");
    // Best effort: the probe is recorded whether or not the mail goes out.
    await mailer.send({ to: user.email, subject, text }).catch(() => undefined);
  }
}

/** POST /endpoints/:id/probe: probes now, records it, answers the stored probe. */
export async function probeEndpoint(ctx: Context, deps: Deps, id: string): Promise<ProbeView> {
  const endpoint = await withTenant(ctx.db, ctx.organizationId, (tx) => findEndpoint(tx, id));
  if (endpoint.archived_at) throw errors.conflict("The endpoint is archived.");
  const result = await probeNow(deps, endpoint);
  return recordProbe(ctx, deps, endpoint, result, "manual");
}
