import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays, isoDay } from "../../src/domain/dates.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../factories.ts";
import { formOf } from "../helpers/app.ts";
import { factoryBody as body, ownerPersonId } from "./shared.ts";
import { system } from "./systems.ts";

/**
 * Restore tests of backups through the API (issue 15), and moving them into the past for the
 * checks' tests (backdateRestoreTest): recorded, performed and withdrawn so many days earlier.
 */

export interface RestoreTestOverrides {
  /** Days ago it was performed (the backup taken the day before); default 0. */
  performedDaysAgo?: number;
  restoredInto?: string;
  restoredIntoProduction?: boolean;
  restoredIntoSystemId?: string;
  performedById?: string;
  /** Default: one passing check. */
  checks?: { name: string; passed: boolean; detail?: string }[];
  notes?: string;
}

/** The body of POST /api/v1/continuity/restore-tests, defaults filled in. */
export async function restoreTestBody(
  org: Org,
  systemId: string,
  overrides: RestoreTestOverrides = {},
) {
  const performed = addDays(new Date(), -(overrides.performedDaysAgo ?? 0));
  return {
    systemId,
    performedOn: isoDay(performed),
    backupTakenAt: addDays(performed, -1).toISOString(),
    restoredInto: overrides.restoredInto ?? "Staging, a scratch database",
    restoredIntoProduction: overrides.restoredIntoProduction ?? false,
    ...(overrides.restoredIntoSystemId
      ? { restoredIntoSystemId: overrides.restoredIntoSystemId }
      : {}),
    performedById: overrides.performedById ?? (await ownerPersonId(org)),
    checks: overrides.checks ?? [
      { name: "Row counts per table", passed: true, detail: "Equal to production's." },
    ],
    ...(overrides.notes ? { notes: overrides.notes } : {}),
  };
}

/** A restore test recorded by the owner (of a new backed-up system unless given). */
export async function restoreTest(
  org: Org,
  systemId?: string,
  overrides: RestoreTestOverrides = {},
) {
  const target = systemId ?? (await system(org, { backedUp: true })).id;
  const created = body(
    await org.owner.client.post(
      "/api/v1/continuity/restore-tests",
      await restoreTestBody(org, target, overrides),
    ),
    "restore test",
    201,
  );
  return { id: created.id as string, systemId: target, system: created.system.name as string };
}

/** A restore test with a file of evidence attached; answers the test's and evidence's ids. */
export async function restoreTestWithEvidence(org: Org, systemId?: string) {
  const test = await restoreTest(org, systemId);
  const attached = body(
    await org.owner.client.postForm(
      `/api/v1/continuity/restore-tests/${test.id}/evidence`,
      formOf({}, { name: "restore-log.txt", type: "text/plain", content: "restored, 42 rows" }),
    ),
    "restore test evidence",
    201,
  );
  return { ...test, evidenceId: attached.evidence[0].id as string };
}

/**
 * Moves a restore test into the past as if it had been performed and recorded `days` earlier
 * (its withdrawal too, if any), and re-evaluates like the scheduled run would.
 */
export async function backdateRestoreTest(org: Org, id: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`update restore_tests set created_at = created_at - ${shift},
          performed_on = performed_on - ${days}::int,
          backup_taken_at = backup_taken_at - ${shift},
          withdrawn_at = withdrawn_at - ${shift}
        where id = ${id}`.execute(tx),
  );
  await reevaluate(org.t.deps.db, org.id);
}
