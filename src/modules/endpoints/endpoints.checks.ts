import { sql } from "kysely";
import { addDays, dayText } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { systemLink, systemsAsOf } from "../systems/systems.queries.ts";
import {
  ENDPOINTS_SOURCE,
  EXPIRY_DUE_SOON_DAYS,
  PROBE_VALID_DAYS,
  TLS_CONTROL,
  TLS_TEST,
} from "./endpoints.core.ts";
import { endpointLabel, endpointLink } from "./endpoints.queries.ts";

/**
 * encryption-in-transit (CONTROLS.md) `endpoints-tls`: every internet-facing endpoint passed a
 * live probe within 7 days (TLS 1.2 or newer only, a chain that validates for the host name,
 * plain HTTP redirecting to HTTPS), its certificate not expiring within 14 days (due soon);
 * and every system marked internet-facing has an endpoint registered. Answered as of asOf from
 * the endpoints registered and not archived then and the newest probe of each by then, judged
 * when it was made; the certificate's expiry counts from asOf. The same rules as statusAsOf.
 */

type Judged = "not_probed" | "stale" | "failed" | "expired" | "expiring" | "unregistered";

interface Row {
  endpoints: string;
  facing: string;
  failing: string;
  due_soon: string;
  kind: "endpoint" | "system" | null;
  id: string;
  host: string;
  port: number;
  name: string | null;
  judged: Judged;
  probed_at: Date | null;
  failures: string[] | null;
  not_after: Date | null;
}

function actionOf(row: Row): string {
  const label = endpointLabel(row);
  const probed = row.probed_at ? dayText(new Date(row.probed_at)) : "";
  const expiry = row.not_after ? dayText(new Date(row.not_after)) : "";
  switch (row.judged) {
    case "not_probed":
      return `${label} has no probe yet: probe it now.`;
    case "stale":
      return `${label} was last probed on ${probed}, more than ${PROBE_VALID_DAYS} days ago: probe it now.`;
    case "failed":
      return `The probe of ${probed} failed: ${(row.failures ?? []).join("; ")}. Fix the endpoint and probe it again.`;
    case "expired":
      return `The certificate of ${label} expired on ${expiry}: renew it and probe again.`;
    case "expiring":
      return `The certificate of ${label} expires on ${expiry}: renew it before then.`;
    case "unregistered":
      return `${row.name} is marked internet-facing: register its endpoints.`;
  }
}

function offenderOf(row: Row): Offender {
  if (row.kind === "system") {
    return {
      kind: "system",
      id: row.id,
      label: row.name ?? "system",
      link: systemLink(row.id),
      state: "failing",
      action: actionOf(row),
    };
  }
  return {
    kind: "endpoint",
    id: row.id,
    label: endpointLabel(row),
    link: endpointLink(row.id),
    state: row.judged === "expiring" ? "due_soon" : "failing",
    dueAt:
      row.judged === "expiring" && row.not_after
        ? new Date(row.not_after).toISOString()
        : undefined,
    action: actionOf(row),
  };
}

async function endpointsTls(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf } = context;
  const validSince = addDays(asOf, -PROBE_VALID_DAYS);
  const dueSoonBefore = addDays(asOf, EXPIRY_DUE_SOON_DAYS);
  const result = await sql<Row>`
    with registered as materialized (
      select e.id, e.host, e.port, e.system_id, p.probed_at, p.passed, p.failures,
        p.certificate_not_after as not_after
      from endpoints e
      left join lateral (
        select probed_at, passed, failures, certificate_not_after
        from endpoint_probes
        where endpoint_id = e.id and probed_at <= ${asOf}
        order by probed_at desc, created_at desc
        limit 1
      ) p on true
      where e.created_at <= ${asOf} and (e.archived_at is null or e.archived_at > ${asOf})
    ),
    facing as materialized (
      select sy.id, sy.name from (${systemsAsOf(tx, asOf)}) sy where sy.internet_facing
    ),
    judged as (
      select 'endpoint' as kind, r.id, r.host, r.port, null::text as name, r.probed_at,
        r.failures, r.not_after,
        case
          when r.probed_at is null then 'not_probed'
          when r.probed_at <= ${validSince} then 'stale'
          when not r.passed then 'failed'
          when r.not_after is null or r.not_after <= ${asOf} then 'expired'
          when r.not_after < ${dueSoonBefore} then 'expiring'
        end as judged
      from registered r
      union all
      select 'system', f.id, '', 0, f.name, null, null, null, 'unregistered'
      from facing f
      where not exists (select 1 from registered r where r.system_id = f.id)
    ),
    found as (select * from judged where judged is not null)
    select (select count(*) from registered) as endpoints,
      (select count(*) from facing) as facing,
      (select count(*) from found where judged <> 'expiring') as failing,
      (select count(*) from found where judged = 'expiring') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select * from found
      order by judged = 'expiring', kind, host, port, name, id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const endpoints = Number(first?.endpoints ?? 0);
  const facing = Number(first?.facing ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders = result.rows.filter((row) => row.kind !== null).map(offenderOf);
  return outcomeOf({
    inScope: endpoints + facing,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable:
        "No internet-facing endpoint is registered and no system is marked internet-facing.",
      failing: `${failing} of ${endpoints} ${endpoints === 1 ? "endpoint" : "endpoints"} and internet-facing systems ${failing === 1 ? "fails" : "fail"}: each endpoint needs a passing live TLS probe within ${PROBE_VALID_DAYS} days, each internet-facing system its endpoints registered.`,
      dueSoon: `${dueSoon} ${dueSoon === 1 ? "certificate expires" : "certificates expire"} within ${EXPIRY_DUE_SOON_DAYS} days.`,
      passing: `Every internet-facing endpoint (${endpoints}) passed a live TLS probe within ${PROBE_VALID_DAYS} days: TLS 1.2 or newer only, a valid certificate for its name, HTTP redirecting to HTTPS.`,
    },
  });
}

export const endpointChecks: ControlTest[] = [
  {
    testKey: TLS_TEST,
    controls: [TLS_CONTROL],
    sources: [ENDPOINTS_SOURCE, "systems"],
    run: endpointsTls,
  },
];
