import { sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { openTask, presentTasks } from "./access.tasks.ts";

/**
 * A change of job role changes nothing by itself: the person's page proposes the grants the new
 * role's rules imply that the person lacks, and the role-rule grants the new role no longer
 * implies (those backed by a request or an exception stay). Opening the proposal's tasks is a
 * decision an admin takes.
 */

/** Days a role change's revocation is due in. */
export const ROLE_CHANGE_REVOKE_DAYS = 7;

async function proposal(tx: Tx, personId: string) {
  const [person] = await peopleByIds(tx, [personId]);
  if (!person) throw errors.notFound("Person");
  const systems = systemsAsOf(tx, new Date()).as("s");
  const add = await tx
    .selectFrom("role_rules as r")
    .innerJoin(systems, "s.id", "r.system_id")
    .select(["r.id", "r.system_id", "s.name as system_name", "r.system_role", "r.admin"])
    .where("r.job_role", "=", person.job_role)
    .where("r.removed_at", "is", null)
    .where(sql<boolean>`not exists (select 1 from access_grants g where g.person_id = ${personId}
      and g.system_id = r.system_id and g.system_role = r.system_role
      and g.revoked_at is null and g.cancelled_at is null)`)
    .orderBy("s.name")
    .orderBy("r.system_role")
    .execute();
  const remove = await tx
    .selectFrom("access_grants as g")
    .innerJoin(systemsAsOf(tx, new Date()).as("s"), "s.id", "g.system_id")
    .select([
      "g.id",
      "g.system_id",
      "s.name as system_name",
      "g.system_role",
      "g.admin",
      "g.role_rule_id",
    ])
    .where("g.person_id", "=", personId)
    .where("g.basis", "=", "role_rule")
    .where("g.granted_at", "is not", null)
    .where("g.revoked_at", "is", null)
    .where(sql<boolean>`not exists (select 1 from role_rules r where r.job_role is not distinct
      from ${person.job_role} and r.removed_at is null and r.system_id = g.system_id
      and r.system_role = g.system_role)`)
    .where(sql<boolean>`not exists (select 1 from access_tasks t where t.grant_id = g.id
      and t.kind = 'revoke' and t.completed_at is null and t.cancelled_at is null)`)
    .orderBy("s.name")
    .orderBy("g.system_role")
    .execute();
  return { person, add, remove };
}

export async function getProposal(ctx: Context, personId: string) {
  const { person, add, remove } = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    proposal(tx, personId),
  );
  return {
    jobRole: person.job_role,
    add: add.map((r) => ({
      id: r.id,
      system: { id: r.system_id, name: r.system_name },
      systemRole: r.system_role,
      admin: r.admin,
    })),
    remove: remove.map((g) => ({
      id: g.id,
      system: { id: g.system_id, name: g.system_name },
      systemRole: g.system_role,
      admin: g.admin,
      roleRuleId: g.role_rule_id,
    })),
  };
}

/** Opens the tasks for the chosen part of the proposal: grants to give, grants to take away. */
export async function applyProposal(
  ctx: Context,
  personId: string,
  input: { add: string[]; remove: string[] },
) {
  return applyChange(ctx, "access", async (scope) => {
    const { add, remove } = await proposal(scope.tx, personId);
    const rules = new Map(add.map((r) => [r.id, r]));
    const grants = new Map(remove.map((g) => [g.id, g]));
    const unknownRule = input.add.find((id) => !rules.has(id));
    if (unknownRule) throw errors.validation("add", `rule ${unknownRule} is not proposed`);
    const unknownGrant = input.remove.find((id) => !grants.has(id));
    if (unknownGrant) throw errors.validation("remove", `grant ${unknownGrant} is not proposed`);
    const settings = await organizationSettings(scope.tx, ctx.organizationId);
    const now = new Date();
    const opened = [];
    for (const id of new Set(input.add)) {
      const rule = rules.get(id) as (typeof add)[number];
      const grant = await scope.tx
        .insertInto("access_grants")
        .values({
          organization_id: ctx.organizationId,
          system_id: rule.system_id,
          person_id: personId,
          system_role: rule.system_role,
          admin: rule.admin,
          basis: "role_rule",
          role_rule_id: rule.id,
          created_by: actorUserId(ctx.actor),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      opened.push(
        await openTask(ctx, scope, {
          kind: "grant",
          reason: "role_change",
          systemId: rule.system_id,
          personId,
          grantId: grant.id,
          dueAt: addDays(now, settings.accessProvisionDays),
        }),
      );
    }
    for (const id of new Set(input.remove)) {
      const grant = grants.get(id) as (typeof remove)[number];
      opened.push(
        await openTask(ctx, scope, {
          kind: "revoke",
          reason: "role_change",
          systemId: grant.system_id,
          personId,
          grantId: grant.id,
          dueAt: addDays(now, ROLE_CHANGE_REVOKE_DAYS),
        }),
      );
    }
    return { tasks: await presentTasks(ctx, scope.tx, opened) };
  });
}
