import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { syncJobRoles } from "./scim.job-roles.ts";

/**
 * The job role each SCIM group gives its members, as owners see and set it: the group's
 * display name unless a job role is set for it (an identity provider's group names are seldom
 * the organization's job roles: "okta-eng-all" → "Engineer").
 */
export interface GroupRoleView {
  id: string;
  displayName: string;
  externalId: string | null;
  /** The job role set for the group; null when its display name is used. */
  jobRole: string | null;
  /** What its members take: the job role set, else the display name. */
  effectiveJobRole: string;
  members: number;
}

export async function listGroupRoles(ctx: Context): Promise<GroupRoleView[]> {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("scim_groups as g")
      .leftJoin("scim_group_members as m", "m.group_id", "g.id")
      .select((eb) => [
        "g.id",
        "g.display_name",
        "g.external_id",
        "g.job_role",
        eb.fn.count<number>("m.user_id").as("members"),
      ])
      .groupBy("g.id")
      .orderBy((eb) => eb.fn("lower", ["g.display_name"]))
      .orderBy("g.id")
      .execute(),
  );
  return rows.map(present);
}

/**
 * Sets (or, with null, clears) the job role a group gives; its members whose job role comes
 * from this group move to it at once, through the people area, with their dated history.
 */
export async function setGroupRole(
  ctx: Context,
  id: string,
  jobRole: string | null,
): Promise<GroupRoleView> {
  return applyChange(ctx, ["people", "access"], async (scope) => {
    const { tx } = scope;
    const before = await tx
      .selectFrom("scim_groups")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw errors.notFound("SCIM group");
    await tx
      .updateTable("scim_groups")
      .set({ job_role: jobRole, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    const members = await tx
      .selectFrom("scim_group_members")
      .select("user_id")
      .where("group_id", "=", id)
      .execute();
    if (before.job_role !== jobRole) {
      await scope.audit({
        action: "scim_group.job_role_set",
        targetType: "scim_group",
        targetId: id,
        before: { displayName: before.display_name, jobRole: before.job_role },
        after: { displayName: before.display_name, jobRole },
      });
      await syncJobRoles(
        ctx,
        scope,
        members.map((m) => m.user_id),
      );
    }
    return present({
      id,
      display_name: before.display_name,
      external_id: before.external_id,
      job_role: jobRole,
      members: members.length,
    });
  });
}

function present(row: {
  id: string;
  display_name: string;
  external_id: string | null;
  job_role: string | null;
  members: number | string | bigint;
}): GroupRoleView {
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    jobRole: row.job_role,
    effectiveJobRole: (row.job_role ?? row.display_name).slice(0, 200),
    members: Number(row.members),
  };
}
