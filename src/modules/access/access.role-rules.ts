import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { systemOwner, systemsNow } from "../systems/systems.queries.ts";
import type { NewRoleRule, RoleRulesQuery } from "./access.schema.ts";

/**
 * Role rules: a job role implies a system role on a system (as admin or not). Removing a rule
 * dates its end; it stays as history, so the checks read the rules in force on any day.
 */
export interface RoleRuleView {
  id: string;
  jobRole: string;
  system: { id: string; name: string };
  systemRole: string;
  admin: boolean;
  createdAt: Date;
  removedAt: Date | null;
}

type Cursor = { jobRole: string; id: string };

export async function listRoleRules(ctx: Context, query: RoleRulesQuery, after?: Cursor) {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let q = tx
      .selectFrom("role_rules as r")
      .innerJoin(systemsNow(tx).as("s"), "s.id", "r.system_id")
      .select([
        "r.id",
        "r.job_role",
        "r.system_id",
        "s.name as system_name",
        "r.system_role",
        "r.admin",
        "r.created_at",
        "r.removed_at",
      ]);
    if (!query.includeRemoved) q = q.where("r.removed_at", "is", null);
    if (query.jobRole) q = q.where("r.job_role", "=", query.jobRole);
    if (query.systemId) q = q.where("r.system_id", "=", query.systemId);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb("r.job_role", ">", after.jobRole),
          eb.and([eb("r.job_role", "=", after.jobRole), eb("r.id", ">", after.id)]),
        ]),
      );
    }
    return q
      .orderBy("r.job_role")
      .orderBy("r.id")
      .limit(query.limit + 1)
      .execute();
  });
  const items = rows.slice(0, query.limit).map(present);
  const last = rows.length > query.limit ? items.at(-1) : undefined;
  return { items, next: last ? { jobRole: last.jobRole, id: last.id } : null };
}

function present(row: {
  id: string;
  job_role: string;
  system_id: string;
  system_name: string;
  system_role: string;
  admin: boolean;
  created_at: Date;
  removed_at: Date | null;
}): RoleRuleView {
  return {
    id: row.id,
    jobRole: row.job_role,
    system: { id: row.system_id, name: row.system_name },
    systemRole: row.system_role,
    admin: row.admin,
    createdAt: row.created_at,
    removedAt: row.removed_at,
  };
}

export async function createRoleRule(ctx: Context, input: NewRoleRule): Promise<RoleRuleView> {
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const system = await systemOwner(tx, input.systemId);
    if (!system) throw errors.validation("systemId", "names no system of this organization");
    if (system.archived) throw errors.invalidState("This system is archived.");
    const taken = await tx
      .selectFrom("role_rules")
      .select("id")
      .where("job_role", "=", input.jobRole)
      .where("system_id", "=", input.systemId)
      .where("system_role", "=", input.systemRole)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (taken) {
      throw errors.conflict(
        "A rule already gives this job role this system role; remove it first to change it.",
        "systemRole",
      );
    }
    const row = await tx
      .insertInto("role_rules")
      .values({
        organization_id: ctx.organizationId,
        job_role: input.jobRole,
        system_id: input.systemId,
        system_role: input.systemRole,
        admin: input.admin,
        created_by: actorUserId(ctx.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "role_rule.created",
      targetType: "role_rule",
      targetId: row.id,
      after: {
        jobRole: row.job_role,
        systemId: row.system_id,
        systemRole: row.system_role,
        admin: row.admin,
      },
    });
    return present({ ...row, system_name: system.name });
  });
}

export async function removeRoleRule(ctx: Context, id: string): Promise<RoleRuleView> {
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const row = await tx
      .updateTable("role_rules")
      .set({ removed_at: new Date(), removed_by: actorUserId(ctx.actor) })
      .where("id", "=", id)
      .where("removed_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const exists = await tx.selectFrom("role_rules").select("id").where("id", "=", id).execute();
      if (exists.length === 0) throw errors.notFound("Role rule");
      throw errors.invalidState("This role rule was removed already.");
    }
    await audit({
      action: "role_rule.removed",
      targetType: "role_rule",
      targetId: id,
      before: { jobRole: row.job_role, systemRole: row.system_role, admin: row.admin },
    });
    const system = await systemOwner(tx, row.system_id);
    return present({ ...row, system_name: system?.name ?? "" });
  });
}
