/**
 * The life of a confidential report, as a pure rule: received → acknowledged → investigating
 * → closed, forward only (a step may be skipped, never undone). What a handler or the reporter
 * does to a report either moves it, with the dates it sets and the audit event it makes, or is
 * refused with the reason the person reads.
 */
export const REPORT_STATES = ["received", "acknowledged", "investigating", "closed"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Where a report may move from each state by a handler's explicit change. */
export const NEXT_REPORT_STATES: Readonly<Record<ReportState, readonly ReportState[]>> = {
  received: ["acknowledged", "investigating", "closed"],
  acknowledged: ["investigating", "closed"],
  investigating: ["closed"],
  closed: [],
};

export function mayMove(from: ReportState, to: ReportState): boolean {
  return NEXT_REPORT_STATES[from].includes(to);
}

export type ReportAction =
  /** A handler moves the report (closing it gives the outcome). */
  | { type: "move"; to: ReportState }
  /** A handler writes to the reporter. */
  | { type: "handler_message" }
  /** The reporter answers with their follow-up key. */
  | { type: "reporter_reply" };

export type ReportEvent =
  | "report.state_changed"
  | "report.message_sent"
  | "report.reporter_replied";

/** The state and the dates that the handling deadlines read. */
export interface ReportProgress {
  state: ReportState;
  acknowledgedAt: Date | null;
  feedbackAt: Date | null;
  closedAt: Date | null;
}

export type ReportTransition =
  | { allowed: true; event: ReportEvent; after: ReportProgress }
  | { allowed: false; reason: string };

function refused(reason: string): ReportTransition {
  return { allowed: false, reason };
}

/**
 * What an action does to a report at `now`. Leaving received acknowledges the report; a
 * handler's message acknowledges it too and counts as feedback; closing counts as feedback.
 * A closed report takes nothing more.
 */
export function reportTransition(
  before: ReportProgress,
  action: ReportAction,
  now: Date,
): ReportTransition {
  switch (action.type) {
    case "move": {
      if (!mayMove(before.state, action.to)) {
        return refused(
          before.state === "closed"
            ? "This report is closed; a closed report cannot be reopened."
            : `A report that is ${before.state} cannot move to ${action.to}.`,
        );
      }
      const closing = action.to === "closed";
      return {
        allowed: true,
        event: "report.state_changed",
        after: {
          state: action.to,
          acknowledgedAt: before.acknowledgedAt ?? now,
          feedbackAt: closing ? (before.feedbackAt ?? now) : before.feedbackAt,
          closedAt: closing ? now : null,
        },
      };
    }
    case "handler_message":
      if (before.state === "closed") {
        return refused("This report is closed; its thread takes no more messages.");
      }
      return {
        allowed: true,
        event: "report.message_sent",
        after: {
          state: before.state === "received" ? "acknowledged" : before.state,
          acknowledgedAt: before.acknowledgedAt ?? now,
          feedbackAt: before.feedbackAt ?? now,
          closedAt: before.closedAt,
        },
      };
    case "reporter_reply":
      if (before.state === "closed") {
        return refused("This report is closed; submit a new report to raise something else.");
      }
      return { allowed: true, event: "report.reporter_replied", after: before };
  }
}
