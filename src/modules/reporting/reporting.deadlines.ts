import { addDays, DAY_MS } from "../../domain/control-status.ts";

/**
 * The two deadlines of a report, counted from its receipt: acknowledgement (7 days by default,
 * the organization's reportAcknowledgeDays) and feedback to the reporter (90 days,
 * reportFeedbackDays). A deadline comes due soon — the inbox marks it, the control test says
 * due_soon and the handlers get their one reminder — 2 days before an acknowledgement falls
 * due and 14 days before feedback does.
 */
export const ACKNOWLEDGE_WARN_DAYS = 2;
export const FEEDBACK_WARN_DAYS = 14;

export type DeadlineStatus = "met" | "late" | "open" | "due_soon" | "overdue";

export interface Deadline {
  dueAt: Date;
  status: DeadlineStatus;
  doneAt: Date | null;
}

export function deadline(
  receivedAt: Date,
  days: number,
  doneAt: Date | null,
  asOf: Date,
  warnDays: number,
): Deadline {
  const dueAt = addDays(receivedAt, days);
  const done = doneAt && doneAt.getTime() <= asOf.getTime() ? doneAt : null;
  let status: DeadlineStatus;
  if (done) status = done.getTime() <= dueAt.getTime() ? "met" : "late";
  else if (asOf.getTime() > dueAt.getTime()) status = "overdue";
  else if (dueAt.getTime() - asOf.getTime() <= warnDays * DAY_MS) status = "due_soon";
  else status = "open";
  return { dueAt, status, doneAt: done };
}

export function reference(number: number): string {
  return `R-${String(number).padStart(4, "0")}`;
}
