import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, DAY_MS } from "../../domain/dates.ts";
import type { TlsProbeResult } from "../../platform/tls-probe.ts";
import type { DemoContext } from "../area.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";

/**
 * The demo's internet-facing endpoints, a year of probes each: the Production API's app and
 * API (certificates of 90 days renewed every 60), the support desk's custom domain (a yearly
 * certificate that expires in 10 days: due soon), one endpoint for every other internet-facing
 * system, and the marketing site, whose plain HTTP stopped redirecting to HTTPS in today's
 * probe (failing, fixed at the CDN). Probes are stored weekly (the check wants one within 7
 * days, so the daily history stays whole) and the last one an hour before the demo was made.
 *
 * The hosts are under demo-co.example, a reserved name (RFC 2606) that resolves nowhere: a
 * server running the demo probes them again a day later, and records each probe as failed
 * ("resolve: … ENOTFOUND"), as it would for any host it cannot reach. The demo's probes have
 * their result on the row; they have no evidence file (the demo seeding holds no master key).
 */
const DOMAIN = "demo-co.example";
const REGISTERED_DAYS_AGO = 380;
const PROBE_EVERY_DAYS = 7;

interface DemoEndpoint {
  host: string;
  systemId: string | null;
  notes: string;
  /** When the certificate in force at `at` expires. */
  certificate: (at: Date) => Date;
  /** The plain HTTP port stopped redirecting this many days ago (the last probe sees it). */
  redirectBrokenDaysAgo?: number;
}

/** A 90-day certificate renewed every 60 days, the last renewal `renewedDaysAgo`. */
function renewedEvery60(now: Date, renewedDaysAgo: number) {
  const renewed = addDays(now, -renewedDaysAgo).getTime();
  return (at: Date) => {
    const cycles = Math.max(0, Math.ceil((renewed - at.getTime()) / (60 * DAY_MS)));
    return new Date(renewed - cycles * 60 * DAY_MS + 90 * DAY_MS);
  };
}

/** A yearly certificate expiring `expiresInDays` from now, renewed a year at a time. */
function yearly(now: Date, expiresInDays: number) {
  const expires = addDays(now, expiresInDays).getTime();
  return (at: Date) => {
    const years = Math.max(0, Math.floor((expires - at.getTime()) / (365 * DAY_MS)));
    return new Date(expires - years * 365 * DAY_MS);
  };
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
}

function demoEndpoints(demo: DemoContext, systems: { id: string; name: string }[]): DemoEndpoint[] {
  const now = demo.now;
  const api = systems.find((s) => s.name === "Production API")?.id ?? null;
  const support = systems.find((s) => s.name === "Support desk")?.id ?? null;
  const endpoints: DemoEndpoint[] = [
    {
      host: `app.${DOMAIN}`,
      systemId: api,
      notes: "The web app customers sign in to.",
      certificate: renewedEvery60(now, 12),
    },
    {
      host: `api.${DOMAIN}`,
      systemId: api,
      notes: "The public REST API.",
      certificate: renewedEvery60(now, 33),
    },
    {
      host: `support.${DOMAIN}`,
      systemId: support,
      notes: "The support desk's custom domain; its certificate is bought yearly.",
      certificate: yearly(now, 10),
    },
    {
      host: `www.${DOMAIN}`,
      systemId: null,
      notes: "The marketing site, behind the CDN.",
      certificate: renewedEvery60(now, 41),
      redirectBrokenDaysAgo: 1,
    },
  ];
  for (const system of systems) {
    if (system.id === api || system.id === support) continue;
    endpoints.push({
      host: `${slug(system.name)}.${DOMAIN}`,
      systemId: system.id,
      notes: `${system.name}, as customers reach it.`,
      certificate: renewedEvery60(now, 5 + (endpoints.length % 50)),
    });
  }
  return endpoints;
}

function resultOf(spec: DemoEndpoint, at: Date, redirects: boolean): TlsProbeResult {
  const notAfter = spec.certificate(at);
  return {
    host: spec.host,
    port: 443,
    address: "203.0.113.80",
    probedAt: at.toISOString(),
    tlsVersions: ["TLSv1.2", "TLSv1.3"],
    certificate: {
      subject: `CN=${spec.host}`,
      issuer: "C=US, O=Let's Encrypt, CN=R11",
      notBefore: new Date(notAfter.getTime() - 90 * DAY_MS).toISOString(),
      notAfter: notAfter.toISOString(),
      daysToExpiry: Math.floor((notAfter.getTime() - at.getTime()) / DAY_MS),
      fingerprint256: "",
      chainValid: true,
      hostnameValid: true,
      error: null,
    },
    httpRedirectsToHttps: redirects,
    hsts: { maxAge: 31536000, includeSubDomains: true, preload: false },
    errors: redirects
      ? []
      : [`HTTP GET / on port 80 answered 200, not a redirect to https://${spec.host}`],
  };
}

export async function seedDemoEndpoints(db: Kysely<Database>, demo: DemoContext): Promise<number> {
  const registered = addDays(demo.now, -REGISTERED_DAYS_AGO);
  const lastProbe = new Date(demo.now.getTime() - 3_600_000);
  const probes = await withTenant(db, demo.organizationId, async (tx) => {
    const facing = await systemsAsOf(tx, demo.now)
      .where("internet_facing", "=", true)
      .orderBy("name")
      .execute();
    const specs = demoEndpoints(demo, facing);
    demo.progress(`endpoints: ${specs.length}, probed weekly for a year`);
    const rows = await tx
      .insertInto("endpoints")
      .values(
        specs.map((spec) => ({
          organization_id: demo.organizationId,
          host: spec.host,
          system_id: spec.systemId,
          notes: spec.notes,
          created_by: demo.owner.userId,
          created_at: registered,
          updated_at: registered,
          last_probed_at: lastProbe,
        })),
      )
      .returning(["id", "host"])
      .execute();
    const idOf = new Map(rows.map((row) => [row.host, row.id]));
    const values = specs.flatMap((spec) => {
      const endpointId = idOf.get(spec.host) as string;
      demo.event({
        at: registered,
        actor: demo.owner,
        action: "endpoint.registered",
        targetType: "endpoint",
        targetId: endpointId,
        before: null,
        after: { host: spec.host, port: 443, systemId: spec.systemId },
      });
      const times: Date[] = [];
      for (let at = lastProbe; at >= registered; at = addDays(at, -PROBE_EVERY_DAYS)) {
        times.push(at);
      }
      return times.map((at) => {
        const broken =
          spec.redirectBrokenDaysAgo !== undefined &&
          at > addDays(demo.now, -spec.redirectBrokenDaysAgo);
        const result = resultOf(spec, at, !broken);
        const cert = result.certificate;
        const daysLeft = cert?.daysToExpiry ?? 0;
        const label = `${spec.host}:443`;
        const failures = [
          ...(broken ? [`${label}: plain HTTP does not redirect to HTTPS`] : []),
          ...(daysLeft < 14
            ? [
                `${label}: the certificate expires in ${daysLeft} days (${cert?.notAfter.slice(0, 10)})`,
              ]
            : []),
        ];
        return {
          organization_id: demo.organizationId,
          endpoint_id: endpointId,
          probed_at: at,
          trigger: "demo" as const,
          passed: !broken,
          failures,
          address: result.address,
          tls_versions: result.tlsVersions,
          certificate_not_after: cert ? new Date(cert.notAfter) : null,
          certificate_subject: cert?.subject ?? null,
          certificate_issuer: cert?.issuer ?? null,
          chain_valid: true,
          hostname_valid: true,
          http_redirects_to_https: !broken,
          hsts_max_age: result.hsts?.maxAge ?? null,
          result: JSON.stringify(result),
          created_at: at,
        };
      });
    });
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insertInto("endpoint_probes")
        .values(values.slice(i, i + 500))
        .execute();
    }
    return { endpoints: rows.length, probes: values.length };
  });
  demo.counts.endpoints = probes.endpoints;
  demo.counts["endpoint probes"] = probes.probes;
  await sql`analyze endpoints, endpoint_probes`.execute(db);
  return probes.endpoints;
}
