import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeFrom,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { publicationAsOf, TRUST_CENTER_SOURCE } from "../trust-center/trust-center.service.ts";
import { SOURCE } from "./reporting.channel.ts";
import { type Deadline, reportDeadlines } from "./reporting.deadlines.ts";
import { reference } from "./reporting.reports.ts";

/**
 * The reporting channel's control tests (CONTROLS.md, confidential-reporting-channel), each
 * evaluable as of any past date from stored history: the dated changes of the channel's
 * enabled flag, the trust center's publications, and each report's dates.
 */
const CONTROLS = ["confidential-reporting-channel"] as const;

/**
 * A report counts while it is open, and for a year after its receipt (the audit period)
 * once closed: a missed deadline stays visible through the period in which it happened.
 */
export const REPORT_LOOKBACK_DAYS = 365;

async function channelEnabledAsOf(context: TestContext): Promise<boolean> {
  const change = await context.tx
    .selectFrom("reporting_channel_changes")
    .select("enabled")
    .where("changed_at", "<=", context.asOf)
    .orderBy("changed_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  // The channel is on from the start until someone turns it off.
  return change?.enabled ?? true;
}

async function channelOpen(context: TestContext): Promise<TestOutcome> {
  const enabled = await channelEnabledAsOf(context);
  const publication = await publicationAsOf(context.tx, context.asOf);
  const offenders: Offender[] = [];
  if (!enabled) {
    offenders.push({
      kind: "reporting_channel",
      id: context.organizationId,
      label: "The reporting channel is turned off",
      link: "/reports",
      action: "Turn the reporting channel on in the reporting settings.",
    });
  }
  if (!publication?.online) {
    offenders.push({
      kind: "trust_center",
      id: context.organizationId,
      label: publication ? "The trust center is offline" : "The trust center is not published",
      link: "/trust-center",
      action: "Publish the trust center, so the reporting form is linked from it.",
    });
  }
  return outcomeFrom(offenders, {
    passing: "The reporting channel is enabled and linked from the published trust center.",
    failing:
      offenders.length === 2
        ? "The reporting channel is turned off and the trust center is not online."
        : enabled
          ? "The trust center is not online, so the reporting channel cannot be reached from it."
          : "The reporting channel is turned off.",
    dueSoon: "",
  });
}

interface ScopedReport {
  id: string;
  number: number;
  received_at: Date;
  acknowledged_at: Date | null;
  feedback_at: Date | null;
}

function offenderFor(
  report: ScopedReport,
  acknowledgement: Deadline,
  feedback: Deadline,
): Offender | null {
  const base = {
    kind: "report",
    id: report.id,
    label: `Report ${reference(report.number)}`,
    link: `/reports/${report.id}`,
  };
  const due = (d: Deadline) => d.dueAt.toISOString();
  if (acknowledgement.status === "overdue") {
    return {
      ...base,
      state: "failing",
      dueAt: due(acknowledgement),
      action: `Acknowledge the report now (write to the reporter or move it to acknowledged); it was due ${isoDay(acknowledgement.dueAt)}.`,
    };
  }
  if (feedback.status === "overdue") {
    return {
      ...base,
      state: "failing",
      dueAt: due(feedback),
      action: `Give the reporter feedback now (a message, or close the report with its outcome); it was due ${isoDay(feedback.dueAt)}.`,
    };
  }
  if (acknowledgement.status === "late" || feedback.status === "late") {
    const which = acknowledgement.status === "late" ? acknowledgement : feedback;
    const what = which === acknowledgement ? "acknowledged" : "given feedback";
    return {
      ...base,
      state: "failing",
      dueAt: due(which),
      action: `The report was ${what} after its deadline of ${isoDay(which.dueAt)}; find out why and answer future reports in time (it counts here until a year after its receipt).`,
    };
  }
  if (acknowledgement.status === "due_soon") {
    return {
      ...base,
      state: "due_soon",
      dueAt: due(acknowledgement),
      action: `Acknowledge the report by ${isoDay(acknowledgement.dueAt)}.`,
    };
  }
  if (feedback.status === "due_soon") {
    return {
      ...base,
      state: "due_soon",
      dueAt: due(feedback),
      action: `Give the reporter feedback by ${isoDay(feedback.dueAt)}.`,
    };
  }
  return null;
}

async function reportsHandled(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const since = addDays(asOf, -REPORT_LOOKBACK_DAYS);
  const reports = await tx
    .selectFrom("reports")
    .select(["id", "number", "received_at", "acknowledged_at", "feedback_at"])
    .where("received_at", "<=", asOf)
    .where((eb) =>
      eb.or([
        eb("received_at", ">", since),
        eb("closed_at", "is", null),
        eb("closed_at", ">", asOf),
      ]),
    )
    .orderBy("received_at")
    .orderBy("id")
    .execute();
  if (reports.length === 0) {
    return {
      state: "not_applicable",
      message: "No reports were received in the last year and none is open.",
      offenders: [],
    };
  }
  const offenders: Offender[] = [];
  for (const report of reports) {
    const { acknowledgement, feedback } = reportDeadlines(report, settings, asOf);
    const offender = offenderFor(report, acknowledgement, feedback);
    if (offender) offenders.push(offender);
  }
  // Failing first, then the nearest deadline.
  offenders.sort(
    (a, b) =>
      Number(a.state === "due_soon") - Number(b.state === "due_soon") ||
      (a.dueAt ?? "").localeCompare(b.dueAt ?? ""),
  );
  const outcome = outcomeFrom(offenders.slice(0, MAX_STORED_OFFENDERS), {
    passing: `Every report was acknowledged within ${settings.reportAcknowledgeDays} days and given feedback within ${settings.reportFeedbackDays} days.`,
    failing: `A report missed its acknowledgement (${settings.reportAcknowledgeDays} days) or feedback (${settings.reportFeedbackDays} days) deadline.`,
    dueSoon: "A report's acknowledgement or feedback deadline is near.",
  });
  return { ...outcome, offenderCount: offenders.length };
}

export const reportingChecks: readonly ControlTest[] = [
  {
    testKey: "channel-open",
    controls: CONTROLS,
    sources: [SOURCE, TRUST_CENTER_SOURCE],
    run: channelOpen,
  },
  { testKey: "reports-handled", controls: CONTROLS, sources: [SOURCE], run: reportsHandled },
];
