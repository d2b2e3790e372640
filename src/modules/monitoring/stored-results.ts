import { type Kysely, sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { ControlStatus, TestState } from "../../domain/control-status.ts";
import { catalogTests } from "../../platform/catalog.ts";
import type { ControlEvaluation, TestEvaluation } from "./evaluation.service.ts";
import type { Offender } from "./registry.ts";

/** The stored current results: what the dashboard and the API read, and what a change keeps. */

/** The stored current results, shaped like fresh evaluations. */
export async function storedEvaluations(
  db: Kysely<Database>,
  organizationId: string,
  controlKeys: ReadonlySet<string>,
  options: { offenderLimit?: number } = {},
): Promise<ControlEvaluation[]> {
  if (controlKeys.size === 0) return [];
  const keys = [...controlKeys];
  const limit = options.offenderLimit;
  const [controls, tests] = await withTenant(db, organizationId, async (tx) => [
    await tx.selectFrom("control_results").selectAll().where("control_key", "in", keys).execute(),
    await tx
      .selectFrom("test_results")
      .select(["control_key", "test_key", "state", "message", "offender_count"])
      // Only the first offenders when asked: the dashboard shows three, not a hundred.
      .select(
        limit === undefined
          ? sql<unknown>`offenders`.as("offenders")
          : sql<unknown>`jsonb_path_query_array(offenders, ${`$[0 to ${Math.max(0, limit - 1)}]`}::jsonpath)`.as(
              "offenders",
            ),
      )
      .where("control_key", "in", keys)
      .execute(),
  ]);
  return controls.map((c) => {
    const stored = tests.filter((t) => t.control_key === c.control_key);
    return {
      controlKey: c.control_key,
      status: c.status as ControlStatus,
      evaluatedAt: c.evaluated_at,
      tests: catalogTests(c.control_key).map((catalogTest) => {
        const row = stored.find((t) => t.test_key === catalogTest.key);
        return {
          key: catalogTest.key,
          description: catalogTest.description,
          state: (row?.state ?? "not_evaluated") as TestState,
          message: row?.message ?? "Not evaluated yet.",
          offenders: (row?.offenders as Offender[] | undefined) ?? [],
          offenderCount: row?.offender_count ?? 0,
        };
      }),
    };
  });
}

/** The stored results of these controls' checks, by control and check. */
export async function storedTestResults(
  tx: Tx,
  controlKeys: readonly string[],
): Promise<Map<string, Map<string, TestEvaluation>>> {
  const rows = await tx
    .selectFrom("test_results")
    .select(["control_key", "test_key", "state", "message", "offenders", "offender_count"])
    .where("control_key", "in", controlKeys)
    .execute();
  const byControl = new Map<string, Map<string, TestEvaluation>>();
  for (const row of rows) {
    const description =
      catalogTests(row.control_key).find((t) => t.key === row.test_key)?.description ?? "";
    const tests = byControl.get(row.control_key) ?? new Map<string, TestEvaluation>();
    byControl.set(row.control_key, tests);
    tests.set(row.test_key, {
      key: row.test_key,
      description,
      state: row.state as TestState,
      message: row.message,
      offenders: (row.offenders as Offender[] | null) ?? [],
      offenderCount: row.offender_count,
    });
  }
  return byControl;
}
