import type { Tx } from "../../db/tenant.ts";
import type { TestState } from "../../domain/control-status.ts";
import type { Settings } from "../../domain/settings.ts";
import type { DataSource } from "../change.ts";

/** A record that makes a test fail or come due, with where to fix it and what to do. */
export interface Offender {
  /** What kind of record: "policy", "person", "evidence", … */
  kind: string;
  id: string;
  label: string;
  /** A path in the web app that shows the record. */
  link: string;
  /** One sentence saying what to do. */
  action: string;
  /** The deadline involved, when there is one. */
  dueAt?: string | undefined;
  state?: "failing" | "due_soon" | undefined;
}

export interface TestContext {
  tx: Tx;
  organizationId: string;
  controlKey: string;
  asOf: Date;
  settings: Settings;
  /**
   * Computes a value once per evaluation and shares it between tests: a test that serves many
   * controls (the policy tests) can answer all of them from one set-based query.
   */
  shared<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface TestOutcome {
  state: Exclude<TestState, "not_evaluated" | "error">;
  message: string;
  /** The offending records; a test may return only the first MAX_STORED_OFFENDERS… */
  offenders: Offender[];
  /** …and then says how many there are in all. */
  offenderCount?: number;
}

/**
 * A control test: a set-based query over the organization's data at a point in time. It is
 * owned by the module whose data it reads, and declares the kinds of data (sources) whose
 * change re-evaluates it.
 */
export interface ControlTest {
  testKey: string;
  /** The controls it serves; "catalog" means every control whose catalog entry lists testKey. */
  controls: readonly string[] | "catalog";
  sources: readonly DataSource[];
  run(context: TestContext): Promise<TestOutcome>;
}

const tests: ControlTest[] = [];

export function registerControlTest(test: ControlTest): void {
  tests.push(test);
}

export function findControlTest(controlKey: string, testKey: string): ControlTest | undefined {
  return (
    tests.find(
      (t) => t.testKey === testKey && Array.isArray(t.controls) && t.controls.includes(controlKey),
    ) ?? tests.find((t) => t.testKey === testKey && t.controls === "catalog")
  );
}

/** Every data source some registered test reads. */
export function testsReading(source: string): ControlTest[] {
  return tests.filter((t) => (t.sources as readonly string[]).includes(source));
}

/** Offender lists are capped where they are stored; the count keeps the full number. */
export const MAX_STORED_OFFENDERS = 100;

/** Builds an outcome from offenders: failing if any failing, due soon if any due soon. */
export function outcomeFrom(
  offenders: Offender[],
  messages: { passing: string; failing: string; dueSoon: string },
): TestOutcome {
  if (offenders.some((o) => o.state !== "due_soon")) {
    return { state: "failing", message: messages.failing, offenders };
  }
  if (offenders.length > 0) return { state: "due_soon", message: messages.dueSoon, offenders };
  return { state: "passing", message: messages.passing, offenders: [] };
}

/**
 * What the engine reads of the areas below it (the organization's settings, its controls, the
 * organizations there are), handed over by installAreas() so the engine imports no area.
 */
export interface EvaluationInputs {
  settings(tx: Tx, organizationId: string): Promise<Settings>;
  /** The organization's control keys in catalog order, only those among `keys` when given. */
  controlKeys(tx: Tx, keys?: ReadonlySet<string>): Promise<{ key: string }[]>;
  /** Every organization's id (in a system transaction). */
  organizationIds(tx: Tx): Promise<string[]>;
}

let inputs: EvaluationInputs | undefined;

export function provideEvaluationInputs(given: EvaluationInputs): void {
  inputs = given;
}

export function evaluationInputs(): EvaluationInputs {
  if (!inputs) throw new Error("installAreas() must run before the controls are evaluated");
  return inputs;
}

/** What a check that counts its records found, and what it says in each state. */
export interface Tally {
  /** The records the check judged; none makes it not applicable. */
  inScope: number;
  failing: number;
  dueSoon: number;
  /** The first offenders, failing ones first. */
  offenders: Offender[];
  say: { notApplicable: string; failing: string; dueSoon: string; passing: string };
}

/**
 * The outcome of a counting check: not applicable with nothing in scope, failing when any
 * record fails (the due-soon ones named too), due soon, or passing.
 */
export function outcomeOf(tally: Tally): TestOutcome {
  const { inScope, failing, dueSoon, offenders, say } = tally;
  if (inScope === 0) return { state: "not_applicable", message: say.notApplicable, offenders: [] };
  if (failing > 0) {
    return { state: "failing", message: say.failing, offenders, offenderCount: failing + dueSoon };
  }
  if (dueSoon > 0) {
    return { state: "due_soon", message: say.dueSoon, offenders, offenderCount: dueSoon };
  }
  return { state: "passing", message: say.passing, offenders: [] };
}
