import { sql } from "kysely";
import type { Person } from "../../db/types.ts";
import { addDays, isoDay, startOfDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { revokeGrant } from "./access.changes.ts";
import { openLeaverKeyTasks } from "./access.keys.tasks.ts";
import { openTask } from "./access.tasks.ts";

/**
 * Joiners and leavers: called by the people area inside its change, with the person before
 * and after. A start date opens the grants the role rules imply (tasks for each system owner
 * to confirm); an end date opens one revocation task per grant and account; a job role change
 * does nothing by itself (access.proposals.ts proposes the grants to add and remove).
 * A leaver's access keys get revocation tasks the same way (access.keys.tasks.ts).
 */
export async function personChanged(
  ctx: Context,
  scope: ChangeScope,
  before: Person | null,
  after: Person,
): Promise<void> {
  const settings = await organizationSettings(scope.tx, ctx.organizationId);
  const left = after.end_date !== null && after.end_date <= isoDay(new Date());
  const joined = before === null || before.start_date !== after.start_date;
  if (joined && after.job_role && !left) {
    const start = startOfDay(after.start_date);
    const from = start > new Date() ? start : new Date();
    await openJoinerGrants(ctx, scope, after, addDays(from, settings.accessProvisionDays));
  }
  const endBefore = before?.end_date ?? null;
  if (after.end_date !== null && after.end_date !== endBefore) {
    const dueAt = addDays(startOfDay(after.end_date), settings.accessRevocationDays);
    if (endBefore !== null) {
      await scope.tx
        .updateTable("access_tasks")
        .set({ due_at: dueAt, notified_at: null })
        .where("person_id", "=", after.id)
        .where("reason", "=", "leaver")
        .where("completed_at", "is", null)
        .where("cancelled_at", "is", null)
        .execute();
    }
    await openLeaverTasks(ctx, scope, after.id, dueAt);
  } else if (after.end_date === null && endBefore !== null) {
    const cancelled = await scope.tx
      .updateTable("access_tasks")
      .set({
        cancelled_at: new Date(),
        cancelled_by: actorUserId(ctx.actor),
        cancel_reason: "the end date was cleared",
      })
      .where("person_id", "=", after.id)
      .where("reason", "=", "leaver")
      .where("completed_at", "is", null)
      .where("cancelled_at", "is", null)
      .returning("id")
      .execute();
    if (cancelled.length > 0) {
      await scope.audit({
        action: "access_task.leaver_cancelled",
        targetType: "person",
        targetId: after.id,
        after: { tasks: cancelled.map((t) => t.id) },
      });
    }
  }
}

/** For each role rule of the person's job role they lack: a pending grant and its task. */
async function openJoinerGrants(ctx: Context, scope: ChangeScope, person: Person, dueAt: Date) {
  const rules = await scope.tx
    .selectFrom("role_rules as r")
    .innerJoin(systemsAsOf(scope.tx, new Date()).as("s"), "s.id", "r.system_id")
    .select(["r.id", "r.system_id", "r.system_role", "r.admin"])
    .where("r.job_role", "=", person.job_role)
    .where("r.removed_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("access_grants as g")
            .select("g.id")
            .whereRef("g.system_id", "=", "r.system_id")
            .whereRef("g.system_role", "=", "r.system_role")
            .where("g.person_id", "=", person.id)
            .where("g.revoked_at", "is", null)
            .where("g.cancelled_at", "is", null),
        ),
      ),
    )
    .execute();
  for (const rule of rules) {
    const grant = await scope.tx
      .insertInto("access_grants")
      .values({
        organization_id: ctx.organizationId,
        system_id: rule.system_id,
        person_id: person.id,
        system_role: rule.system_role,
        admin: rule.admin,
        basis: "role_rule",
        role_rule_id: rule.id,
        created_by: actorUserId(ctx.actor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await openTask(ctx, scope, {
      kind: "grant",
      reason: "joiner",
      systemId: rule.system_id,
      personId: person.id,
      grantId: grant.id,
      dueAt,
    });
  }
}

/**
 * One revocation task per active grant, per account linked to the person (service
 * accounts they own stay theirs to hand over) and per unrevoked access key, skipping what already has an open one; grants
 * never carried out are cancelled directly.
 */
async function openLeaverTasks(ctx: Context, scope: ChangeScope, personId: string, dueAt: Date) {
  const by = actorUserId(ctx.actor);
  const grants = await scope.tx
    .selectFrom("access_grants as g")
    .select(["g.id", "g.system_id", "g.granted_at"])
    .where("g.person_id", "=", personId)
    .where("g.revoked_at", "is", null)
    .where("g.cancelled_at", "is", null)
    .where(sql<boolean>`not exists (select 1 from access_tasks t where t.grant_id = g.id
      and t.kind = 'revoke' and t.completed_at is null and t.cancelled_at is null)`)
    .execute();
  for (const grant of grants) {
    if (grant.granted_at === null) {
      await revokeGrant(scope, grant.id, { at: new Date(), by, reason: "the person is leaving" });
      continue;
    }
    await openTask(ctx, scope, {
      kind: "revoke",
      reason: "leaver",
      systemId: grant.system_id,
      personId,
      grantId: grant.id,
      dueAt,
    });
  }
  const accounts = await scope.tx
    .selectFrom("accounts as a")
    .select(["a.id", "a.system_id"])
    .where("a.person_id", "=", personId)
    .where("a.service", "=", false)
    .where("a.removed_at", "is", null)
    .where(sql<boolean>`not exists (select 1 from access_tasks t where t.account_id = a.id
      and t.kind = 'revoke' and t.completed_at is null and t.cancelled_at is null)`)
    .execute();
  for (const account of accounts) {
    await openTask(ctx, scope, {
      kind: "revoke",
      reason: "leaver",
      systemId: account.system_id,
      personId,
      accountId: account.id,
      dueAt,
    });
  }
  await openLeaverKeyTasks(ctx, scope, personId, dueAt);
}
