import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import type { Endpoint } from "../../db/tables/endpoints.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { allOrganizationIds } from "../organizations/organizations.queries.ts";
import { probeNow, recordProbe } from "./endpoints.probing.ts";

/**
 * The scheduled prober: on each scheduled run, every endpoint not archived whose last probe is
 * older than ATTEST_PROBE_INTERVAL_HOURS (or that was never probed) is claimed
 * (endpoints.probe_claimed_at, so one node probes it; a claim older than CLAIM_MINUTES is a
 * node that died and is taken over), then probed, ATTEST_PROBE_CONCURRENCY at a time, and
 * recorded by the system actor. A probe that could not be recorded releases its claim.
 */
const SCHEDULE = { type: "system", name: "TLS probe schedule" } as const;
const CLAIM_MINUTES = 15;

/** Claims the endpoints due a probe in one organization. */
function claimDue(deps: Deps, organizationId: string, now: Date): Promise<Endpoint[]> {
  const dueBefore = new Date(now.getTime() - deps.config.probe.intervalHours * 3_600_000);
  const staleClaim = new Date(now.getTime() - CLAIM_MINUTES * 60_000);
  return withTenant(deps.db, organizationId, (tx) =>
    tx
      .updateTable("endpoints")
      .set({ probe_claimed_at: now })
      .where("archived_at", "is", null)
      .where((eb) =>
        eb.or([eb("last_probed_at", "is", null), eb("last_probed_at", "<=", dueBefore)]),
      )
      .where((eb) =>
        eb.or([eb("probe_claimed_at", "is", null), eb("probe_claimed_at", "<=", staleClaim)]),
      )
      .returningAll()
      .execute(),
  );
}

async function release(deps: Deps, endpoint: Endpoint): Promise<void> {
  await withTenant(deps.db, endpoint.organization_id, (tx) =>
    tx
      .updateTable("endpoints")
      .set({ probe_claimed_at: sql<Date | null>`null` })
      .where("id", "=", endpoint.id)
      .execute(),
  );
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Probes every endpoint due; answers how many probes were recorded. */
export async function probeDueEndpoints(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  const due: Endpoint[] = [];
  for (const organizationId of organizationIds)
    due.push(...(await claimDue(deps, organizationId, now)));
  let recorded = 0;
  await eachBounded(due, deps.config.probe.concurrency, async (endpoint) => {
    const ctx: Context = {
      db: deps.db,
      organizationId: endpoint.organization_id,
      actor: SCHEDULE,
      requestId: null,
    };
    try {
      await recordProbe(ctx, deps, endpoint, await probeNow(deps, endpoint), "scheduled");
      recorded++;
    } catch (error) {
      log?.error({ err: error, endpointId: endpoint.id }, "could not record a TLS probe");
      await release(deps, endpoint).catch(() => {});
    }
  });
  return recorded;
}

export const endpointJobs: ScheduledJob[] = [
  {
    name: "endpoints.probe",
    run: async (deps, now, log) => {
      await probeDueEndpoints(deps, now, log);
    },
  },
];
