import { type TrackedDeadline, trackDeadline } from "../../domain/deadlines.ts";
import type { Settings } from "../../domain/settings.ts";

/**
 * The two deadlines of a report, counted from its receipt: acknowledgement (7 days by default,
 * the organization's reportAcknowledgeDays) and feedback to the reporter (90 days,
 * reportFeedbackDays). A deadline comes due soon — the inbox marks it, the control test says
 * due_soon and the handlers get their one reminder — 2 days before an acknowledgement falls
 * due and 14 days before feedback does.
 */
export const ACKNOWLEDGE_WARN_DAYS = 2;
export const FEEDBACK_WARN_DAYS = 14;

export type DeadlineStatus = TrackedDeadline["status"];
export type Deadline = TrackedDeadline;

export interface ReportDates {
  received_at: Date;
  acknowledged_at: Date | null;
  feedback_at: Date | null;
}

/** A report's acknowledgement and feedback deadlines as they stood at the moment `asOf`. */
export function reportDeadlines(
  report: ReportDates,
  settings: Settings,
  asOf: Date,
): { acknowledgement: Deadline; feedback: Deadline } {
  return {
    acknowledgement: trackDeadline(
      report.received_at,
      settings.reportAcknowledgeDays,
      report.acknowledged_at,
      asOf,
      ACKNOWLEDGE_WARN_DAYS,
    ),
    feedback: trackDeadline(
      report.received_at,
      settings.reportFeedbackDays,
      report.feedback_at,
      asOf,
      FEEDBACK_WARN_DAYS,
    ),
  };
}
