import type { FastifyBaseLogger } from "fastify";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { dueAt, isOverdue, latestStartDueSoon } from "../../domain/deadlines.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { currentHandlers } from "./reporting.channel.ts";
import { ACKNOWLEDGE_WARN_DAYS, FEEDBACK_WARN_DAYS } from "./reporting.deadlines.ts";
import { type HandlerMail, handlerMailText } from "./reporting.mail.ts";
import { reference } from "./reporting.reports.ts";

/**
 * Scheduled work of the reporting module: remind the handlers, once per report and deadline,
 * when an acknowledgement (2 days before its 7-day deadline, i.e. at day 5) or feedback
 * (14 days before its 90-day deadline) comes due and has not been given; and forget the spent
 * proof-of-work challenges once they have expired. The reminder is claimed in report_reminders
 * before it is sent, so two runs or two nodes never send it twice.
 */
type Kind = "acknowledge" | "feedback";

interface Due {
  id: string;
  number: number;
  due_at: Date;
}

async function dueReports(deps: Deps, organizationId: string, kind: Kind, now: Date) {
  return withTenant(deps.db, organizationId, async (tx) => {
    const settings = await organizationSettings(tx, organizationId);
    const days =
      kind === "acknowledge" ? settings.reportAcknowledgeDays : settings.reportFeedbackDays;
    const warn = kind === "acknowledge" ? ACKNOWLEDGE_WARN_DAYS : FEEDBACK_WARN_DAYS;
    // Received before this moment, the deadline is within the warning window (or past).
    const receivedBefore = latestStartDueSoon(now, days, warn);
    const rows = await tx
      .selectFrom("reports as r")
      .leftJoin("report_reminders as m", (join) =>
        join.onRef("m.report_id", "=", "r.id").on("m.kind", "=", kind),
      )
      .select(["r.id", "r.number", "r.received_at"])
      .where("r.state", "<>", "closed")
      .where(kind === "acknowledge" ? "r.acknowledged_at" : "r.feedback_at", "is", null)
      .where("r.received_at", "<=", receivedBefore)
      .where("m.report_id", "is", null)
      .orderBy("r.received_at")
      .execute();
    return rows.map(
      (r): Due => ({ id: r.id, number: r.number, due_at: dueAt(r.received_at, days) }),
    );
  });
}

function reminderText(deps: Deps, kind: Kind, report: Due, now: Date): HandlerMail {
  const ref = reference(report.number);
  const overdue = isOverdue(report.due_at, now);
  const what = kind === "acknowledge" ? "acknowledged" : "given feedback";
  return {
    subject: `${overdue ? "Overdue" : "Reminder"}: report ${ref} must be ${what} by ${isoDay(report.due_at)}`,
    lines: [
      overdue
        ? `Report ${ref} on the confidential reporting channel was due to be ${what} on ${isoDay(report.due_at)}.`
        : `Report ${ref} on the confidential reporting channel must be ${what} by ${isoDay(report.due_at)}.`,
      kind === "acknowledge"
        ? "Acknowledge it by writing to the reporter or moving it to acknowledged:"
        : "Give the reporter feedback with a message, or close the report with its outcome:",
      "",
      appUrl(deps, `/reports/${report.id}`),
    ],
  };
}

/** Sends the reminders due now; returns how many reports were reminded about. */
export async function sendReportReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let sent = 0;
  for (const organizationId of organizationIds) {
    for (const kind of ["acknowledge", "feedback"] as const) {
      for (const report of await dueReports(deps, organizationId, kind, now)) {
        const claim = await withTenant(deps.db, organizationId, async (tx) => {
          const claimed = await tx
            .insertInto("report_reminders")
            .values({ organization_id: organizationId, report_id: report.id, kind })
            .onConflict((oc) => oc.doNothing())
            .returning("report_id")
            .executeTakeFirst();
          return claimed ? (await currentHandlers(tx)).users : null;
        });
        if (!claim) continue;
        const message = reminderText(deps, kind, report, now);
        // One handler's failed mail neither resends to the others (the claim stands once any
        // got it) nor stops the reminders of other reports and organizations.
        let delivered = 0;
        for (const handler of claim) {
          try {
            await mailer.send({
              to: handler.email,
              subject: message.subject,
              text: handlerMailText(handler.name, message),
            });
            delivered++;
          } catch (error) {
            log?.error({ err: error, reportId: report.id, kind }, "could not send a reminder");
          }
        }
        if (delivered > 0) {
          sent++;
          continue;
        }
        // Nobody got it: release the claim, so the next run tries again.
        await withTenant(deps.db, organizationId, (tx) =>
          tx
            .deleteFrom("report_reminders")
            .where("report_id", "=", report.id)
            .where("kind", "=", kind)
            .execute(),
        );
      }
    }
  }
  return sent;
}

/** Forgets spent proof-of-work challenges that have expired (they cannot be replayed). */
export async function sweepSpentChallenges(deps: Deps, now = new Date()): Promise<number> {
  const deleted = await withSystem(deps.db, (tx) =>
    tx.deleteFrom("report_spent_challenges").where("expires_at", "<", now).executeTakeFirst(),
  );
  return Number(deleted.numDeletedRows);
}

export const reportingJobs: readonly ScheduledJob[] = [
  {
    name: "reporting.reminders",
    run: async (deps, now, log) => {
      await sendReportReminders(deps, now, log);
    },
  },
  {
    name: "reporting.sweep-challenges",
    run: async (deps, now) => {
      await sweepSpentChallenges(deps, now);
    },
  },
];
