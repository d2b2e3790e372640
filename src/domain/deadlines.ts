import { addDays, DAY_MS, knownAsOf } from "./dates.ts";

/**
 * Deadlines as every area counts them: a deadline falls a number of days after a start
 * moment; it is due soon within a warning window before it (the window's edge included), and
 * overdue once the moment has passed it (the deadline's own instant is still in time).
 */
export type DueState = "open" | "due_soon" | "overdue";

export function dueAt(start: Date, days: number): Date {
  return addDays(start, days);
}

export function isOverdue(deadline: Date, asOf: Date): boolean {
  return asOf.getTime() > deadline.getTime();
}

/** Within `warnDays` of the deadline and not past it. */
export function isDueSoon(deadline: Date, asOf: Date, warnDays: number): boolean {
  return !isOverdue(deadline, asOf) && deadline.getTime() - asOf.getTime() <= warnDays * DAY_MS;
}

export function dueState(deadline: Date, asOf: Date, warnDays: number): DueState {
  if (isOverdue(deadline, asOf)) return "overdue";
  if (isDueSoon(deadline, asOf, warnDays)) return "due_soon";
  return "open";
}

/**
 * For deadlines `days` after their start: the latest start whose deadline is due soon or
 * overdue at `asOf` (within `warnDays`). A query selects what needs attention with
 * "started at or before this", in agreement with dueState.
 */
export function latestStartDueSoon(asOf: Date, days: number, warnDays: number): Date {
  return addDays(asOf, warnDays - days);
}

/**
 * The state of a deadline at a moment, as a control test reads it: failing once it has
 * passed, due soon within the warning window before it, passing before that.
 */
export function deadlineState(
  deadline: Date,
  asOf: Date,
  warnDays: number,
): "passing" | "due_soon" | "failing" {
  return { open: "passing" as const, due_soon: "due_soon" as const, overdue: "failing" as const }[
    dueState(deadline, asOf, warnDays)
  ];
}

/** A deadline for something that gets done: met or late once done, else still running. */
export type TrackedStatus = "met" | "late" | DueState;

export interface TrackedDeadline {
  dueAt: Date;
  status: TrackedStatus;
  /** When it was done, if it was by the moment asked about. */
  doneAt: Date | null;
}

/**
 * A deadline `days` after `start` for something done at `doneAt` (or not yet), as it stood at
 * the moment `asOf`: something done after that moment was not done yet then.
 */
export function trackDeadline(
  start: Date,
  days: number,
  doneAt: Date | null,
  asOf: Date,
  warnDays: number,
): TrackedDeadline {
  const deadline = dueAt(start, days);
  const done = knownAsOf(doneAt, asOf);
  const status: TrackedStatus = done
    ? done.getTime() <= deadline.getTime()
      ? "met"
      : "late"
    : dueState(deadline, asOf, warnDays);
  return { dueAt: deadline, status, doneAt: done };
}

/** Days allowed per severity, e.g. `{ critical: 7, high: 30, medium: 90, low: 180 }`. */
export type DaysBySeverity<Severity extends string> = Readonly<Record<Severity, number>>;

function daysFor<Severity extends string>(
  severity: Severity,
  days: DaysBySeverity<Severity>,
): number {
  const allowed = days[severity];
  if (!Number.isFinite(allowed))
    throw new RangeError(`No deadline is set for severity ${severity}.`);
  return allowed;
}

/** The deadline of something of a severity, started at `start`, under a table of days. */
export function deadlineForSeverity<Severity extends string>(
  start: Date,
  severity: Severity,
  days: DaysBySeverity<Severity>,
): Date {
  return dueAt(start, daysFor(severity, days));
}

/** The tracked deadline of something of a severity, as of a moment (see trackDeadline). */
export function trackSeverityDeadline<Severity extends string>(
  start: Date,
  severity: Severity,
  days: DaysBySeverity<Severity>,
  doneAt: Date | null,
  asOf: Date,
  warnDays: number,
): TrackedDeadline {
  return trackDeadline(start, daysFor(severity, days), doneAt, asOf, warnDays);
}
