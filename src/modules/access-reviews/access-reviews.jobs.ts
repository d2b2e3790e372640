import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import { applyChange } from "../change.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { userById } from "../users/users.queries.ts";
import { type ReminderLine, reminderMail } from "./access-reviews.mail.ts";
import { startCampaign } from "./access-reviews.service.ts";

/**
 * Scheduled work: (1) campaigns started by each in-scope system's review period, one per
 * organization covering every system whose next review falls due within the due days;
 * (2) reminders by mail to reviewers with undecided items (when a campaign starts, 3 days
 * before it is due, and daily once overdue).
 */

const SCHEDULER = { type: "system", name: "Access review schedule" } as const;

/**
 * The in-scope systems (production or customer data, not archived) whose next review is due
 * by `now` + settings.accessReviewDueDays and that no open campaign holds: next review = the
 * last review of the system completed (its campaign not cancelled) + its period; never: now.
 */
export async function systemsDueForReview(deps: Deps, organizationId: string, now: Date) {
  return withTenant(deps.db, organizationId, async (tx) => {
    const settings = await organizationSettings(tx, organizationId);
    const horizon = addDays(now, settings.accessReviewDueDays);
    const rows = await tx
      .selectFrom(systemsAsOf(tx, now).as("s"))
      .leftJoin(
        (eb) =>
          eb
            .selectFrom("access_review_systems as rs")
            .innerJoin("access_reviews as r", "r.id", "rs.review_id")
            .select(["rs.system_id", sql<Date>`max(rs.completed_at)`.as("last_completed")])
            .where("r.cancelled_at", "is", null)
            .where("rs.completed_at", "is not", null)
            .groupBy("rs.system_id")
            .as("last"),
        (join) => join.onRef("last.system_id", "=", "s.id"),
      )
      .select(["s.id", "s.name"])
      .where((eb) => eb.or([eb("s.production", "=", true), eb("s.customer_data", "=", true)]))
      .where(
        sql<boolean>`(last.last_completed is null or last.last_completed
          + make_interval(days => coalesce(s.review_period_days, ${settings.accessReviewPeriodDays}))
          <= ${horizon})`,
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("access_review_systems as o")
              .innerJoin("access_reviews as orv", "orv.id", "o.review_id")
              .select("o.system_id")
              .whereRef("o.system_id", "=", "s.id")
              .where("orv.completed_at", "is", null)
              .where("orv.cancelled_at", "is", null),
          ),
        ),
      )
      .orderBy("s.name")
      .execute();
    return rows;
  });
}

/** Starts the scheduled campaigns; answers how many were started. */
export async function startScheduledReviews(deps: Deps, now = new Date()) {
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let started = 0;
  for (const organizationId of organizationIds) {
    const due = await systemsDueForReview(deps, organizationId, now);
    if (due.length === 0) continue;
    const ctx: Context = { db: deps.db, organizationId, actor: SCHEDULER, requestId: null };
    for (let i = 0; i < due.length; i += 500) {
      await applyChange(ctx, "access_reviews", (scope) =>
        startCampaign(
          ctx,
          scope,
          {
            name: `Scheduled access review of ${isoDay(now)}${due.length > 500 ? ` (${i / 500 + 1})` : ""}`,
            systemIds: due.slice(i, i + 500).map((s) => s.id),
            scheduled: true,
          },
          now,
        ),
      );
      started++;
    }
  }
  return started;
}

/**
 * Mails each reviewer with undecided items in the open campaigns due a reminder: never
 * reminded (just started), 3 days before due (not reminded since), or overdue and not
 * reminded for a day. A campaign is claimed (reminded_at) before the mail goes; a reviewer
 * gets one mail a run, listing every claimed campaign they have items in. Only with SMTP.
 */
export async function sendReviewReminders(deps: Deps, now = new Date(), log?: FastifyBaseLogger) {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  const soon = addDays(now, 3);
  const dayAgo = addDays(now, -1);
  let sent = 0;
  for (const organizationId of organizationIds) {
    const reviewers = await withTenant(deps.db, organizationId, async (tx) => {
      const claimed = await tx
        .updateTable("access_reviews")
        .set({ reminded_at: now })
        .where("completed_at", "is", null)
        .where("cancelled_at", "is", null)
        .where((eb) =>
          eb.or([
            eb("reminded_at", "is", null),
            eb.and([
              eb("due_at", "<=", soon),
              eb("reminded_at", "<", sql<Date>`due_at - interval '3 days'`),
            ]),
            eb.and([eb("due_at", "<", now), eb("reminded_at", "<=", dayAgo)]),
          ]),
        )
        .returning(["id", "name", "due_at"])
        .execute();
      if (claimed.length === 0) return [];
      const counts = await tx
        .selectFrom("access_review_items")
        .select(["review_id", "reviewer_id", sql<number>`count(*)::int`.as("undecided")])
        .where(
          "review_id",
          "in",
          claimed.map((c) => c.id),
        )
        .where("decision", "is", null)
        .where("reviewer_id", "is not", null)
        .groupBy(["review_id", "reviewer_id"])
        .execute();
      const people = new Map(
        (await peopleByIds(tx, [...new Set(counts.map((c) => c.reviewer_id as string))])).map(
          (p) => [p.id, p],
        ),
      );
      const byReviewer = new Map<
        string,
        { email: string; name: string; campaigns: ReminderLine[] }
      >();
      for (const count of counts) {
        const person = people.get(count.reviewer_id as string);
        const review = claimed.find((c) => c.id === count.review_id);
        if (!person || !review) continue;
        let entry = byReviewer.get(person.id);
        if (!entry) {
          const user = person.user_id ? await userById(tx, person.user_id) : undefined;
          entry = { email: user?.email ?? person.email, name: person.name, campaigns: [] };
          byReviewer.set(person.id, entry);
        }
        entry.campaigns.push({
          name: review.name,
          dueAt: review.due_at,
          undecided: count.undecided,
        });
      }
      return [...byReviewer.values()];
    });
    for (const entry of reviewers) {
      const mail = reminderMail(
        { name: entry.name, link: appUrl(deps, "/access/reviews"), campaigns: entry.campaigns },
        now,
      );
      try {
        await mailer.send({ to: entry.email, subject: mail.subject, text: mail.text });
        sent++;
      } catch (error) {
        log?.error({ err: error, organizationId }, "could not mail an access review reminder");
      }
    }
  }
  return sent;
}

export const accessReviewJobs: readonly ScheduledJob[] = [
  {
    name: "access-reviews.schedule",
    run: async (deps, now) => {
      await startScheduledReviews(deps, now);
    },
  },
  {
    name: "access-reviews.reminders",
    run: async (deps, now, log) => {
      await sendReviewReminders(deps, now, log);
    },
  },
];
