import { sql } from "kysely";
import { z } from "zod";
import { withTenant } from "../../db/tenant.ts";
import { addDays, isoDay, startOfDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { decodeCursor, encodeCursor, idSchema } from "../../platform/http/schemas.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { RESTORE_DUE_SOON_DAYS, RESTORE_VALID_DAYS } from "./continuity.core.ts";
import { presentSummaries } from "./continuity.present.ts";
import type {
  BackedUpSystem,
  RestoreTestListQuery,
  RestoreTestSummary,
} from "./continuity.schema.ts";

/**
 * The restore tests list, the latest performed first, paged by (performed_on, id) along
 * restore_tests_list_idx; and the backed-up systems with where each stands today.
 */

const restoreCursor = z.object({ performedOn: z.iso.date(), id: idSchema });

export async function listRestoreTests(
  ctx: Context,
  query: RestoreTestListQuery,
): Promise<{ items: RestoreTestSummary[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, restoreCursor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    // The organization is stated although row-level security implies it, for the index.
    let rows = tx
      .selectFrom("restore_tests as t")
      .selectAll("t")
      .where("t.organization_id", "=", ctx.organizationId);
    if (query.systemId) rows = rows.where("t.system_id", "=", query.systemId);
    if (query.withdrawn === "false") rows = rows.where("t.withdrawn_at", "is", null);
    const hasChecks = sql<boolean>`exists (select 1 from restore_test_checks c where c.restore_test_id = t.id)`;
    if (query.result === "passed") rows = rows.where("t.successful", "=", true);
    if (query.result === "failed") {
      rows = rows.where("t.successful", "=", false).where(hasChecks);
    }
    if (query.result === "unverified") rows = rows.where((eb) => eb.not(hasChecks));
    if (after) {
      rows = rows.where((eb) =>
        eb.or([
          eb("t.performed_on", "<", after.performedOn),
          eb.and([eb("t.performed_on", "=", after.performedOn), eb("t.id", "<", after.id)]),
        ]),
      );
    }
    const found = await rows
      .orderBy("t.performed_on", "desc")
      .orderBy("t.id", "desc")
      .limit(query.limit + 1)
      .execute();
    const page = found.slice(0, query.limit);
    const last = found.length > query.limit ? page.at(-1) : undefined;
    return {
      items: await presentSummaries(tx, page),
      nextCursor: last
        ? encodeCursor({ performedOn: String(last.performed_on).slice(0, 10), id: last.id })
        : null,
    };
  });
}

interface StandingRow {
  id: string;
  name: string;
  last_ok: string | null;
  last_on: string | null;
  last_id: string | null;
}

/**
 * Every system backed up now (not archived), by name, with its last successful restore test
 * (withdrawn ones do not count), its last test of any result, and where it stands: the same
 * rule as restore-tested (continuity.checks.ts).
 */
export async function backedUpSystemsStanding(
  ctx: Context,
  now = new Date(),
): Promise<{ items: BackedUpSystem[] }> {
  const today = isoDay(now);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const result = await sql<StandingRow>`
      select sy.id, sy.name, ok.last_ok::text as last_ok, lt.performed_on::text as last_on,
        lt.id as last_id
      from (${systemsAsOf(tx, now)}) sy
      left join lateral (
        select max(r.performed_on) as last_ok from restore_tests r
        where r.system_id = sy.id and r.successful and r.withdrawn_at is null
      ) ok on true
      left join lateral (
        select r.id, r.performed_on from restore_tests r
        where r.system_id = sy.id and r.withdrawn_at is null
        order by r.performed_on desc, r.created_at desc limit 1
      ) lt on true
      where sy.backed_up
      order by sy.name, sy.id`.execute(tx);
    return {
      items: result.rows.map((row) => {
        const due = row.last_ok
          ? isoDay(addDays(startOfDay(row.last_ok), RESTORE_VALID_DAYS))
          : null;
        const soon = due ? isoDay(addDays(startOfDay(due), -RESTORE_DUE_SOON_DAYS)) : null;
        const reason = !row.last_ok
          ? row.last_on
            ? "failed"
            : "none"
          : (due as string) < today
            ? "old"
            : null;
        return {
          system: { id: row.id, name: row.name },
          status: reason ? "failing" : (soon as string) <= today ? "due_soon" : "passing",
          reason,
          lastSuccessfulOn: row.last_ok,
          nextDueOn: due,
          lastTestOn: row.last_on,
          lastTestId: row.last_id,
        };
      }),
    };
  });
}
