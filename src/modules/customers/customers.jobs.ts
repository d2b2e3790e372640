import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import { customerLink } from "./customers.core.ts";

/**
 * Reminders of disposal deadlines, by mail to the organization's owners and admins, when
 * disposal-on-time would say due soon (or overdue) for a task without a disposal record: once
 * per task and deadline (customer_disposal_reminders, claimed before the mail goes out; a
 * claim whose every mail failed is released for the next run).
 */
const MANAGERS = ["owner", "admin"] as const;

interface Claimed {
  customer_id: string;
  customer_name: string;
  system_id: string;
  system_name: string | null;
  deadline: string;
}

export async function sendDisposalReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  if (!deps.mailer) return 0;
  const today = isoDay(now);
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let sent = 0;
  for (const organizationId of organizationIds) {
    const { claimed, users } = await withTenant(deps.db, organizationId, async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      const claimed = await sql<Claimed>`
        with due as (
          select c.id as customer_id, c.name as customer_name, s.system_id,
            c.contract_end + c.retention_days as deadline
          from customers c cross join lateral unnest(c.system_ids) s(system_id)
          where c.archived_at is null and c.retention_days is not null
            and c.contract_end < ${today}::date
            and c.contract_end + c.retention_days - ${settings.customerDisposalWarnDays}::int <= ${today}::date
            and not exists (select 1 from customer_disposals d
              where d.customer_id = c.id and d.system_id = s.system_id)
        ),
        claimed as (
          insert into customer_disposal_reminders (organization_id, customer_id, system_id, deadline, sent_at)
          select ${organizationId}::uuid, customer_id, system_id, deadline, ${now} from due
          on conflict do nothing
          returning customer_id, system_id, deadline
        )
        select cl.customer_id, d.customer_name, cl.system_id, sv.name as system_name,
          cl.deadline::text as deadline
        from claimed cl
        join due d on d.customer_id = cl.customer_id and d.system_id = cl.system_id
        left join (${systemsNow(tx)}) sv on sv.id = cl.system_id
        order by cl.deadline, d.customer_name`.execute(tx);
      if (claimed.rows.length === 0) return { claimed: [], users: [] };
      return { claimed: claimed.rows, users: await activeUsersWithRoles(tx, MANAGERS) };
    });
    if (claimed.length === 0) continue;
    let told = false;
    const overdue = claimed.some((c) => c.deadline < today);
    for (const user of users) {
      const lines = [
        `Hello ${user.name},`,
        "",
        "The data of these customers whose contract ended must be disposed of by its deadline, and the disposal recorded:",
        ...claimed.map(
          (c) =>
            `- ${c.customer_name}, ${c.system_name ?? "a data store"}: by ${c.deadline}${c.deadline < today ? " (overdue)" : ""} ${appUrl(deps, customerLink(c.customer_id))}`,
        ),
        "",
        "— Attest",
      ];
      const subject = `${overdue ? "Overdue" : "Due soon"}: disposal of customer data (${claimed.length})`;
      try {
        await deps.mailer.send({ to: user.email, subject, text: lines.join("\n") });
        sent++;
        told = true;
      } catch (error) {
        log?.error({ err: error }, "could not mail a disposal reminder");
      }
    }
    if (!told && users.length > 0) {
      await withTenant(deps.db, organizationId, (tx) =>
        tx.deleteFrom("customer_disposal_reminders").where("sent_at", "=", now).execute(),
      );
    }
  }
  return sent;
}

export const customerJobs: readonly ScheduledJob[] = [
  {
    name: "customers.disposal-reminders",
    run: (deps, now, log) => sendDisposalReminders(deps, now, log).then(() => {}),
  },
];
