import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { addDays, dayText, isoDay } from "../../domain/dates.ts";
import { ROLES } from "../../domain/permissions.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { MailMessage } from "../../platform/mail.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import { incidentReference } from "./incidents.core.ts";
import { lessonsLink, mailEach } from "./incidents.lessons-items.ts";

/**
 * Reminders of lessons learned, each sent once (claimed by an update before the mail goes, so
 * two nodes never both send): (1) the owner of a resolved incident whose lessons learned are
 * not yet approved, incidentLessonsWarnDays before they are due (incidents.lessons_reminded_at,
 * set again when the incident is resolved again later); (2) the owner of an open action item
 * due within incidentLessonsWarnDays (due_soon_reminded_at), and again once it is overdue
 * (overdue_reminded_at). A new owner or due day starts an item's reminders afresh.
 */

interface ClaimedIncident {
  id: string;
  number: number;
  title: string;
  owner_id: string;
  due_at: Date;
}

/** Reminds incident owners of lessons learned coming due (or already due), once each. */
export async function sendLessonsReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  if (!deps.mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  const mails: MailMessage[] = [];
  for (const organizationId of organizationIds) {
    const batch = await withTenant(deps.db, organizationId, async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      const days = settings.incidentLessonsDays;
      const edge = addDays(now, settings.incidentLessonsWarnDays - days);
      const claimed = await sql<ClaimedIncident>`
        update incidents i set lessons_reminded_at = ${now}
        where i.status in ('resolved', 'closed') and i.resolved_at is not null
          and i.owner_id is not null and i.resolved_at <= ${edge}
          and (i.lessons_reminded_at is null or i.lessons_reminded_at < i.resolved_at)
          and not exists (select 1 from incident_lessons l
            where l.incident_id = i.id and l.status = 'approved')
        returning i.id, i.number, i.title, i.owner_id,
          i.resolved_at + make_interval(days => ${days}) as due_at`.execute(tx);
      if (claimed.rows.length === 0) return [];
      const owners = await activeUsersWithRoles(tx, ROLES, [
        ...new Set(claimed.rows.map((r) => r.owner_id)),
      ]);
      return claimed.rows.flatMap((incident) => {
        const owner = owners.find((u) => u.userId === incident.owner_id);
        if (!owner) return [];
        const name = `${incidentReference(incident.number)} ${incident.title}`;
        const due = new Date(incident.due_at);
        const overdue = due < now;
        return [
          {
            to: owner.email,
            subject: `${overdue ? "Overdue" : "Due soon"}: the lessons learned of ${name}`,
            text: [
              `Hello ${owner.name},`,
              "",
              `${name} is resolved. Its lessons learned ${overdue ? "were" : "are"} due by ${isoDay(due)}: write them, submit them, and have an owner or admin other than their author approve them, which shares them with the team.`,
              "",
              appUrl(deps, lessonsLink(incident.id)),
              "",
              "— Attest",
            ].join("\n"),
          },
        ];
      });
    });
    mails.push(...batch);
  }
  return mailEach(deps, mails, log, "could not mail a lessons-learned reminder");
}

interface ClaimedItem {
  id: string;
  title: string;
  owner_id: string;
  due_on: string | Date;
  incident_id: string;
  number: number;
  incident_title: string;
}

/** Reminds owners of action items due soon, and again once overdue, once each. */
export async function sendActionItemReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  if (!deps.mailer) return 0;
  const today = isoDay(now);
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  const mails: MailMessage[] = [];
  for (const organizationId of organizationIds) {
    const batch = await withTenant(deps.db, organizationId, async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      const soonEdge = isoDay(addDays(now, settings.incidentLessonsWarnDays));
      const overdue = await sql<ClaimedItem>`
        update incident_action_items a set overdue_reminded_at = ${now},
          due_soon_reminded_at = coalesce(a.due_soon_reminded_at, ${now})
        from incidents i
        where i.id = a.incident_id and a.completed_at is null
          and a.due_on < ${today}::date and a.overdue_reminded_at is null
        returning a.id, a.title, a.owner_id, a.due_on, i.id as incident_id, i.number,
          i.title as incident_title`.execute(tx);
      const soon = await sql<ClaimedItem>`
        update incident_action_items a set due_soon_reminded_at = ${now}
        from incidents i
        where i.id = a.incident_id and a.completed_at is null
          and a.due_on >= ${today}::date and a.due_on <= ${soonEdge}::date
          and a.due_soon_reminded_at is null
        returning a.id, a.title, a.owner_id, a.due_on, i.id as incident_id, i.number,
          i.title as incident_title`.execute(tx);
      const items = [...overdue.rows, ...soon.rows];
      if (items.length === 0) return [];
      const owners = await activeUsersWithRoles(tx, ROLES, [
        ...new Set(items.map((r) => r.owner_id)),
      ]);
      return owners.map((owner) => {
        const mine = items.filter((item) => item.owner_id === owner.userId);
        const late = mine.filter((item) => dayText(item.due_on) < today).length;
        const count = `${mine.length} action item${mine.length === 1 ? "" : "s"}`;
        return {
          to: owner.email,
          subject: late > 0 ? `Overdue: ${count} of yours` : `Due soon: ${count} of yours`,
          text: [
            `Hello ${owner.name},`,
            "",
            "These action items from lessons learned are yours to complete:",
            ...mine.map(
              (item) =>
                `- ${item.title} (${incidentReference(item.number)} ${item.incident_title}): due ${dayText(item.due_on)}${dayText(item.due_on) < today ? " (overdue)" : ""} ${appUrl(deps, lessonsLink(item.incident_id))}`,
            ),
            "",
            `Your action items: ${appUrl(deps, "/my/action-items")}`,
            "",
            "— Attest",
          ].join("\n"),
        };
      });
    });
    mails.push(...batch);
  }
  return mailEach(deps, mails, log, "could not mail a lessons-learned reminder");
}

export const lessonsJobs: readonly ScheduledJob[] = [
  {
    name: "incidents.lessons-reminders",
    run: async (deps, now, log) => {
      await sendLessonsReminders(deps, now, log);
    },
  },
  {
    name: "incidents.action-item-reminders",
    run: async (deps, now, log) => {
      await sendActionItemReminders(deps, now, log);
    },
  },
];
