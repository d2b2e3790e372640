import { type Kysely, sql } from "kysely";
import { type Tx, withSystem, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { type ControlStatus, controlStatus, type TestState } from "../../domain/control-status.ts";
import { addDays, endOfDay, isoDay } from "../../domain/dates.ts";
import { resolveSettings } from "../../domain/settings.ts";
import { catalogTests, loadCatalog } from "../controls/catalog.ts";
import {
  findControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  testsReading,
} from "./registry.ts";
import { dropCachedResults } from "./results-cache.ts";

export interface TestEvaluation {
  key: string;
  description: string;
  state: TestState;
  message: string;
  offenders: Offender[];
  offenderCount: number;
}

export interface ControlEvaluation {
  controlKey: string;
  status: ControlStatus;
  tests: TestEvaluation[];
  evaluatedAt: Date;
}

/**
 * Evaluates an organization's controls as of a moment, from stored data only: any past date
 * works. With `controlKeys`, only those controls. Read-only; see storeEvaluations.
 */
export async function evaluateControls(
  db: Kysely<Database>,
  organizationId: string,
  asOf: Date,
  controlKeys?: ReadonlySet<string>,
): Promise<ControlEvaluation[]> {
  return withTenant(db, organizationId, (tx) => evaluateIn(tx, organizationId, asOf, controlKeys));
}

async function evaluateIn(
  tx: Tx,
  organizationId: string,
  asOf: Date,
  controlKeys?: ReadonlySet<string>,
): Promise<ControlEvaluation[]> {
  const organization = await tx
    .selectFrom("organizations")
    .select("settings")
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  const settings = resolveSettings(organization.settings);
  const controls = await tx
    .selectFrom("controls")
    .select("key")
    .orderBy("category_position")
    .orderBy("position")
    .execute();
  const memo = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, compute());
    return memo.get(key) as Promise<T>;
  };
  const evaluations: ControlEvaluation[] = [];
  for (const { key } of controls) {
    if (controlKeys && !controlKeys.has(key)) continue;
    const tests: TestEvaluation[] = [];
    for (const catalogTest of catalogTests(key)) {
      tests.push({
        key: catalogTest.key,
        description: catalogTest.description,
        ...(await runTest(tx, {
          organizationId,
          controlKey: key,
          testKey: catalogTest.key,
          asOf,
          settings,
          shared,
        })),
      });
    }
    evaluations.push({
      controlKey: key,
      status: controlStatus(tests.map((t) => t.state)),
      tests,
      evaluatedAt: asOf,
    });
  }
  return evaluations;
}

async function runTest(
  tx: Tx,
  input: Omit<TestContext, "tx"> & { testKey: string },
): Promise<Omit<TestEvaluation, "key" | "description">> {
  const test = findControlTest(input.controlKey, input.testKey);
  if (!test) {
    return {
      state: "not_evaluated",
      message: "This test is not automated yet; the control cannot pass until it is.",
      offenders: [],
      offenderCount: 0,
    };
  }
  // A savepoint keeps one broken test from aborting the others' shared transaction.
  const savepoint = `test_${input.testKey.replaceAll("-", "_")}`;
  await sql.raw(`savepoint ${savepoint}`).execute(tx);
  try {
    const outcome = await test.run({ tx, ...input });
    await sql.raw(`release savepoint ${savepoint}`).execute(tx);
    return { ...outcome, offenderCount: outcome.offenderCount ?? outcome.offenders.length };
  } catch (error) {
    await sql.raw(`rollback to savepoint ${savepoint}`).execute(tx);
    return {
      state: "error",
      message: `The test could not run: ${(error as Error).message}`,
      offenders: [],
      offenderCount: 0,
    };
  }
}

/**
 * Stores evaluations as the organization's current results and as the day's snapshot.
 * With `currentResults: false` (a past day's evaluation), only the snapshot is written.
 */
export async function storeEvaluations(
  db: Kysely<Database>,
  organizationId: string,
  evaluations: ControlEvaluation[],
  options: { currentResults: boolean } = { currentResults: true },
): Promise<void> {
  if (evaluations.length === 0) return;
  dropCachedResults(db, organizationId);
  await withTenant(db, organizationId, async (tx) => {
    const snapshots = evaluations.map((e) => ({
      organization_id: organizationId,
      control_key: e.controlKey,
      day: isoDay(e.evaluatedAt),
      status: e.status,
      evaluated_at: e.evaluatedAt,
    }));
    await tx
      .insertInto("control_snapshots")
      .values(snapshots)
      .onConflict((oc) =>
        oc.columns(["organization_id", "control_key", "day"]).doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
        })),
      )
      .execute();
    if (!options.currentResults) return;
    const keys = evaluations.map((e) => e.controlKey);
    await tx.deleteFrom("control_results").where("control_key", "in", keys).execute();
    await tx.deleteFrom("test_results").where("control_key", "in", keys).execute();
    await tx
      .insertInto("control_results")
      .values(
        evaluations.map((e) => ({
          organization_id: organizationId,
          control_key: e.controlKey,
          status: e.status,
          evaluated_at: e.evaluatedAt,
        })),
      )
      .execute();
    const testRows = evaluations.flatMap((e) =>
      e.tests.map((t) => ({
        organization_id: organizationId,
        control_key: e.controlKey,
        test_key: t.key,
        state: t.state,
        message: t.message,
        offenders: JSON.stringify(t.offenders.slice(0, MAX_STORED_OFFENDERS)),
        offender_count: t.offenderCount,
        evaluated_at: e.evaluatedAt,
      })),
    );
    if (testRows.length > 0) await tx.insertInto("test_results").values(testRows).execute();
  });
}

/** Evaluates now and stores: the whole organization, or the controls some sources affect. */
export async function reevaluate(
  db: Kysely<Database>,
  organizationId: string,
  sources?: readonly string[],
): Promise<ControlEvaluation[]> {
  const keys = sources ? controlsAffectedBy(sources) : undefined;
  if (keys && keys.size === 0) return [];
  const evaluations = await evaluateControls(db, organizationId, new Date(), keys);
  await storeEvaluations(db, organizationId, evaluations);
  return evaluations;
}

/** The daily snapshot for a day in the past (or today), computed from stored data. */
export async function recordSnapshot(db: Kysely<Database>, organizationId: string, asOf: Date) {
  const evaluations = await evaluateControls(db, organizationId, asOf);
  await storeEvaluations(db, organizationId, evaluations, { currentResults: false });
  return evaluations;
}

const EVERYTHING = new Set(["settings", "organization"]);

/** The controls whose tests read any of these sources; all of them for settings changes. */
function controlsAffectedBy(sources: readonly string[]): Set<string> | undefined {
  if (sources.some((s) => EVERYTHING.has(s))) return undefined;
  const keys = new Set<string>();
  for (const source of sources) {
    for (const test of testsReading(source)) {
      if (Array.isArray(test.controls)) for (const key of test.controls) keys.add(key);
      else for (const key of controlsListing(test.testKey)) keys.add(key);
    }
  }
  return keys;
}

function controlsListing(testKey: string): string[] {
  return loadCatalog()
    .categories.flatMap((c) => c.controls)
    .filter((control) => control.tests.some((t) => t.key === testKey))
    .map((control) => control.key);
}

/** Every organization's id, for the scheduled evaluation. */
export function organizationIds(db: Kysely<Database>): Promise<string[]> {
  return withSystem(db, async (tx) =>
    (await tx.selectFrom("organizations").select("id").execute()).map((o) => o.id),
  );
}

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

export interface DailyStatus {
  day: string;
  status: ControlStatus;
}

export async function controlHistory(
  db: Kysely<Database>,
  organizationId: string,
  input: { controlKey?: string; from: string; to: string },
): Promise<(DailyStatus & { controlKey: string })[]> {
  return withTenant(db, organizationId, async (tx) => {
    let query = tx
      .selectFrom("control_snapshots")
      .select(["control_key", "day", "status"])
      .where("day", ">=", input.from)
      .where("day", "<=", input.to);
    if (input.controlKey) query = query.where("control_key", "=", input.controlKey);
    const rows = await query.orderBy("day").orderBy("control_key").execute();
    return rows.map((r) => ({
      controlKey: r.control_key,
      day: r.day,
      status: r.status as ControlStatus,
    }));
  });
}

/**
 * Writes the daily snapshots of the past `days` days that are missing, each evaluated from the
 * data as it stood at the end of that day (for a new installation or a loaded demo).
 */
export async function backfillSnapshots(
  db: Kysely<Database>,
  organizationId: string,
  days: number,
  now = new Date(),
) {
  const existing = new Set(
    (
      await withTenant(db, organizationId, (tx) =>
        tx
          .selectFrom("control_snapshots")
          .select("day")
          .distinct()
          .where("day", ">=", isoDay(addDays(now, -days)))
          .execute(),
      )
    ).map((r) => r.day),
  );
  let written = 0;
  for (let ago = days; ago >= 1; ago--) {
    const day = isoDay(addDays(now, -ago));
    if (existing.has(day)) continue;
    await recordSnapshot(db, organizationId, endOfDay(day));
    written++;
  }
  return written;
}
