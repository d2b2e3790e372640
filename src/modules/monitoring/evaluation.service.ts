import { type Kysely, sql } from "kysely";
import { type Tx, withSystem, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { type ControlStatus, controlStatus, type TestState } from "../../domain/control-status.ts";
import { addDays, endOfDay, isoDay } from "../../domain/dates.ts";
import { catalogTests, loadCatalog } from "../../platform/catalog.ts";
import {
  evaluationInputs,
  findControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  testsReading,
} from "./registry.ts";
import { dropCachedResults } from "./results-cache.ts";
import { storedTestResults } from "./stored-results.ts";

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

/** A test's stored result, kept as it is when the change did not touch what it reads. */
type KeptResult = (controlKey: string, testKey: string) => TestEvaluation | undefined;

async function evaluateIn(
  tx: Tx,
  organizationId: string,
  asOf: Date,
  controlKeys?: ReadonlySet<string>,
  kept?: KeptResult,
): Promise<ControlEvaluation[]> {
  const settings = await evaluationInputs().settings(tx, organizationId);
  const controls =
    controlKeys?.size === 0 ? [] : await evaluationInputs().controlKeys(tx, controlKeys);
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
      const stored = kept?.(key, catalogTest.key);
      if (stored) {
        tests.push(stored);
        continue;
      }
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
  await withTenant(db, organizationId, (tx) =>
    storeIn(tx, organizationId, evaluations, options.currentResults),
  );
}

async function storeIn(
  tx: Tx,
  organizationId: string,
  evaluations: ControlEvaluation[],
  currentResults: boolean,
): Promise<void> {
  if (evaluations.length === 0) return;
  const keys = evaluations.map((e) => e.controlKey);
  // The results first, then the day's snapshots: the order every evaluation takes (a change's
  // re-evaluation locks the results before it evaluates), so no two wait on each other.
  if (currentResults) await lockResults(tx, organizationId, keys);
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
  if (!currentResults) return;
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
}

/**
 * Evaluates now and stores: the whole organization, or, after a change to some sources, only
 * the checks that read them (in the controls they serve). The other checks of those controls
 * keep their stored results, which give the control its status with the checks re-run.
 */
export async function reevaluate(
  db: Kysely<Database>,
  organizationId: string,
  sources?: readonly string[],
): Promise<ControlEvaluation[]> {
  const affected = sources ? checksAffectedBy(sources) : undefined;
  if (!affected) {
    const evaluations = await evaluateControls(db, organizationId, new Date());
    await storeEvaluations(db, organizationId, evaluations);
    return evaluations;
  }
  if (affected.size === 0) return [];
  dropCachedResults(db, organizationId);
  const evaluations = await withTenant(db, organizationId, async (tx) => {
    const keys = [...affected.keys()];
    // Locked in one order, so that concurrent re-evaluations of a control take turns and each
    // reads the results the other stored.
    await lockResults(tx, organizationId, keys);
    const stored = await storedTestResults(tx, keys);
    const kept: KeptResult = (controlKey, testKey) =>
      affected.get(controlKey)?.has(testKey) ? undefined : stored.get(controlKey)?.get(testKey);
    // A control with a check never stored (a new installation, a new check) is evaluated whole.
    const whole = keys.filter((key) =>
      catalogTests(key).some((t) => !affected.get(key)?.has(t.key) && !stored.get(key)?.has(t.key)),
    );
    const partial = new Set(keys.filter((key) => !whole.includes(key)));
    const now = new Date();
    const evaluated = [
      ...(await evaluateIn(tx, organizationId, now, partial, kept)),
      ...(whole.length > 0 ? await evaluateIn(tx, organizationId, now, new Set(whole)) : []),
    ];
    await storeIn(tx, organizationId, evaluated, true);
    return evaluated;
  });
  // Dropped again after the commit: a reader may have cached the results this replaced.
  dropCachedResults(db, organizationId);
  return evaluations;
}

/**
 * Locks the organization's current results of these controls until the transaction ends, one
 * advisory lock per control taken in one order. Not the result rows themselves: storing
 * replaces them (delete, insert), and a lock waiting on a row that is replaced is never taken,
 * so two evaluations could each hold what the other then waits for.
 */
async function lockResults(
  tx: Tx,
  organizationId: string,
  controlKeys: readonly string[],
): Promise<void> {
  if (controlKeys.length === 0) return;
  const keys = [...new Set(controlKeys)]
    .sort()
    .map((key) => `attest.results:${organizationId}:${key}`);
  // unnest yields the array's order, and each row's lock is taken as the row is produced.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${keys}::text[]) AS k`.execute(
    tx,
  );
}

/** The daily snapshot for a day in the past (or today), computed from stored data. */
export async function recordSnapshot(db: Kysely<Database>, organizationId: string, asOf: Date) {
  const evaluations = await evaluateControls(db, organizationId, asOf);
  await storeEvaluations(db, organizationId, evaluations, { currentResults: false });
  return evaluations;
}

const EVERYTHING = new Set(["settings", "organization"]);

/**
 * The checks that read any of these sources, by the controls they serve; undefined (all of
 * them) for changes every check depends on, such as the settings.
 */
function checksAffectedBy(sources: readonly string[]): Map<string, Set<string>> | undefined {
  if (sources.some((s) => EVERYTHING.has(s))) return undefined;
  const affected = new Map<string, Set<string>>();
  for (const source of sources) {
    for (const test of testsReading(source)) {
      const controls = Array.isArray(test.controls) ? test.controls : controlsListing(test.testKey);
      for (const key of controls) {
        // A catalog-wide check serves a control only where no control-specific one does.
        if (findControlTest(key, test.testKey) !== test) continue;
        const tests = affected.get(key) ?? new Set<string>();
        affected.set(key, tests.add(test.testKey));
      }
    }
  }
  return affected;
}

const listings = new Map<string, string[]>();

function controlsListing(testKey: string): string[] {
  let keys = listings.get(testKey);
  if (!keys) {
    keys = loadCatalog()
      .categories.flatMap((c) => c.controls)
      .filter((control) => control.tests.some((t) => t.key === testKey))
      .map((control) => control.key);
    listings.set(testKey, keys);
  }
  return keys;
}

/** Every organization's id, for the scheduled evaluation. */
export function organizationIds(db: Kysely<Database>): Promise<string[]> {
  return withSystem(db, async (tx) => evaluationInputs().organizationIds(tx));
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
