/**
 * How test results combine into a control's status (the rules at the top of CONTROLS.md),
 * plus `not_evaluated` for a test whose automation does not exist yet: such a test never lets
 * its control pass, but a failure elsewhere still shows.
 */
export const TEST_STATES = [
  "passing",
  "failing",
  "due_soon",
  "not_applicable",
  "error",
  "not_evaluated",
] as const;
export type TestState = (typeof TEST_STATES)[number];

export const CONTROL_STATUSES = [
  "passing",
  "failing",
  "needs_attention",
  "not_applicable",
  "not_evaluated",
] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export function controlStatus(states: readonly TestState[]): ControlStatus {
  if (states.length === 0) return "not_evaluated";
  if (states.some((s) => s === "failing" || s === "error")) return "failing";
  if (states.includes("due_soon")) return "needs_attention";
  if (states.includes("not_evaluated")) return "not_evaluated";
  if (states.every((s) => s === "not_applicable")) return "not_applicable";
  return "passing";
}

/** Most urgent first: what a dashboard lists at the top. */
export function urgency(status: ControlStatus): number {
  return { failing: 0, needs_attention: 1, not_evaluated: 2, passing: 3, not_applicable: 4 }[
    status
  ];
}
