import type { FastifyBaseLogger } from "fastify";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { allOrganizationIds } from "../organizations/organizations.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { userById } from "../users/users.queries.ts";
import { type TaskLine, taskMail } from "./access.mail.ts";
import { systemsById } from "./access.tasks.ts";

/**
 * Mail to system owners about their access tasks: each assignee gets one mail listing their
 * new tasks and the overdue ones, each task at most once a day (access_tasks.notified_at is
 * claimed before sending and given back if the mail fails). Only when SMTP is configured.
 */
export async function sendTaskMail(deps: Deps, now = new Date(), log?: FastifyBaseLogger) {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  const dayAgo = addDays(now, -1);
  let sent = 0;
  for (const organizationId of organizationIds) {
    // Claim: new tasks never mailed, and overdue ones not mailed within a day.
    const claimed = await withTenant(deps.db, organizationId, async (tx) => {
      const rows = await tx
        .updateTable("access_tasks")
        .set({ notified_at: now })
        .where("completed_at", "is", null)
        .where("cancelled_at", "is", null)
        .where("assignee_id", "is not", null)
        .where((eb) =>
          eb.or([
            eb("notified_at", "is", null),
            eb.and([eb("notified_at", "<=", dayAgo), eb("due_at", "<", now)]),
          ]),
        )
        .returning(["id", "kind", "person_id", "system_id", "assignee_id", "due_at"])
        .execute();
      const people = new Map(
        (
          await peopleByIds(tx, [
            ...new Set(rows.flatMap((r) => [r.assignee_id, r.person_id]).filter((v) => v !== null)),
          ])
        ).map((p) => [p.id, p]),
      );
      const systems = await systemsById(tx, [...new Set(rows.map((r) => r.system_id))]);
      const byAssignee = new Map<
        string,
        { email: string; name: string; ids: string[]; tasks: TaskLine[] }
      >();
      for (const row of rows) {
        const assignee = people.get(row.assignee_id as string);
        if (!assignee) continue;
        let entry = byAssignee.get(assignee.id);
        if (!entry) {
          const user = assignee.user_id ? await userById(tx, assignee.user_id) : undefined;
          entry = { email: user?.email ?? assignee.email, name: assignee.name, ids: [], tasks: [] };
          byAssignee.set(assignee.id, entry);
        }
        entry.ids.push(row.id);
        entry.tasks.push({
          kind: row.kind,
          personName: (row.person_id && people.get(row.person_id)?.name) || "someone",
          systemName: systems.get(row.system_id)?.name ?? "a system",
          dueAt: row.due_at,
        });
      }
      return [...byAssignee.values()];
    });
    for (const entry of claimed) {
      const mail = taskMail(
        { name: entry.name, link: appUrl(deps, "/access/tasks?mine=true"), tasks: entry.tasks },
        now,
      );
      try {
        await mailer.send({ to: entry.email, subject: mail.subject, text: mail.text });
        sent++;
      } catch (error) {
        log?.error({ err: error, organizationId }, "could not mail access tasks");
        // Give the claim back, so the next run tries again.
        await withTenant(deps.db, organizationId, (tx) =>
          tx
            .updateTable("access_tasks")
            .set({ notified_at: null })
            .where("id", "in", entry.ids)
            .where("notified_at", "=", now)
            .execute(),
        );
      }
    }
  }
  return sent;
}

export const accessJobs: readonly ScheduledJob[] = [
  {
    name: "access.task-mail",
    run: async (deps, now, log) => {
      await sendTaskMail(deps, now, log);
    },
  },
];
