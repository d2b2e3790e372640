import { sql } from "kysely";
import type { ScimGroup } from "../../db/tables/scim.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { provisionAccounts } from "./scim.accounts.ts";
import { provisioningChange } from "./scim.change.ts";
import { scimErrors } from "./scim.errors.ts";
import { type GroupChange, patchGroupChange, readGroup } from "./scim.group-doc.ts";
import { syncJobRoles } from "./scim.job-roles.ts";
import { type ListQuery, listPage, scimId } from "./scim.list.ts";
import { type GroupMember, groupColumns, presentGroup } from "./scim.resources.ts";
import { checkVersion, type PatchOperation } from "./scim.users.service.ts";

/**
 * SCIM Groups: each maps to a job role (its display name unless set otherwise); a member takes
 * the job role of the group they joined most recently (scim.job-roles.ts, docs/scim.md).
 */

async function findGroup(tx: Tx, id: string, lock = false): Promise<ScimGroup> {
  const uuid = scimId(id);
  if (!uuid) throw scimErrors.notFound(`Group ${id}`);
  let query = tx.selectFrom("scim_groups").selectAll().where("id", "=", uuid);
  if (lock) query = query.forUpdate();
  const group = await query.executeTakeFirst();
  if (!group) throw scimErrors.notFound(`Group ${id}`);
  return group;
}

async function membersOf(tx: Tx, groupIds: string[]): Promise<Map<string, GroupMember[]>> {
  const members = new Map<string, GroupMember[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return members;
  const rows = await tx
    .selectFrom("scim_group_members as m")
    .innerJoin("scim_users as u", "u.id", "m.user_id")
    .select(["m.group_id", "m.user_id", "u.display_name", "u.user_name"])
    .where("m.group_id", "in", groupIds)
    .orderBy("m.added_at")
    .orderBy("m.user_id")
    .execute();
  for (const row of rows) {
    members
      .get(row.group_id)
      ?.push({ value: row.user_id, display: row.display_name ?? row.user_name });
  }
  return members;
}

export async function getGroup(ctx: Context, id: string, withMembers: boolean, base: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const group = await findGroup(tx, id);
    const members = withMembers ? ((await membersOf(tx, [group.id])).get(group.id) ?? []) : null;
    return presentGroup(group, members, base);
  });
}

export async function listGroups(
  ctx: Context,
  query: ListQuery,
  withMembers: boolean,
  base: string,
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const page = await listPage(tx.selectFrom("scim_groups"), query, groupColumns);
    const rows = page.ids.length
      ? await tx.selectFrom("scim_groups").selectAll().where("id", "in", page.ids).execute()
      : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const members = withMembers ? await membersOf(tx, page.ids) : null;
    return {
      total: page.total,
      resources: page.ids.map((id) =>
        presentGroup(byId.get(id) as ScimGroup, members?.get(id) ?? null, base),
      ),
    };
  });
}

export async function createGroup(ctx: Context, body: unknown, base: string) {
  const doc = readGroup(body);
  const group = await provisioningChange(ctx, async (scope) => {
    await checkNameFree(scope.tx, doc.displayName, null);
    const created = await scope.tx
      .insertInto("scim_groups")
      .values({
        organization_id: ctx.organizationId,
        display_name: doc.displayName,
        external_id: doc.externalId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const added = await addMembers(ctx, scope, created.id, doc.members ?? []);
    await scope.audit({
      action: "scim_group.created",
      targetType: "scim_group",
      targetId: created.id,
      after: {
        displayName: created.display_name,
        externalId: created.external_id,
        members: added.length,
      },
    });
    await membershipsChanged(ctx, scope, added);
    return created;
  });
  return getGroup(ctx, group.id, true, base);
}

export async function replaceGroup(
  ctx: Context,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
  base: string,
) {
  const doc = readGroup(body);
  await changeGroup(ctx, id, ifMatch, () => ({
    ...doc,
    members: { replace: doc.members ?? [], add: [], remove: [], removeAll: false },
  }));
  return getGroup(ctx, id, true, base);
}

export async function patchGroup(
  ctx: Context,
  id: string,
  operations: PatchOperation[],
  ifMatch: string | undefined,
) {
  await changeGroup(ctx, id, ifMatch, (group) => patchGroupChange(group, operations));
}

async function changeGroup(
  ctx: Context,
  id: string,
  ifMatch: string | undefined,
  change: (group: ScimGroup) => GroupChange,
) {
  await provisioningChange(ctx, async (scope) => {
    const { tx } = scope;
    const before = await findGroup(tx, id, true);
    checkVersion(before.version, ifMatch);
    const wanted = change(before);
    if (wanted.displayName.toLowerCase() !== before.display_name.toLowerCase()) {
      await checkNameFree(tx, wanted.displayName, before.id);
    }
    const renamed = wanted.displayName !== before.display_name;
    let removed: string[] = [];
    let added: string[] = [];
    if (wanted.members.replace) {
      const keep = new Set(wanted.members.replace);
      const current = await memberIds(tx, before.id);
      removed = await removeMembers(
        tx,
        before.id,
        current.filter((u) => !keep.has(u)),
      );
      added = await addMembers(ctx, scope, before.id, wanted.members.replace);
    } else {
      if (wanted.members.removeAll) {
        removed = await removeMembers(tx, before.id, await memberIds(tx, before.id));
      }
      removed.push(...(await removeMembers(tx, before.id, wanted.members.remove)));
      added = await addMembers(ctx, scope, before.id, wanted.members.add);
    }
    await tx
      .updateTable("scim_groups")
      .set({
        display_name: wanted.displayName,
        external_id: wanted.externalId,
        version: before.version + 1,
        updated_at: new Date(),
      })
      .where("id", "=", before.id)
      .execute();
    await scope.audit({
      action: "scim_group.updated",
      targetType: "scim_group",
      targetId: before.id,
      before: { displayName: before.display_name, externalId: before.external_id },
      after: {
        displayName: wanted.displayName,
        externalId: wanted.externalId,
        membersAdded: added.length,
        membersRemoved: removed.length,
      },
    });
    const affected = new Set([...added, ...removed]);
    // A new name can change a job role (unless the group names its own) and an account's role.
    if (renamed) for (const id of await memberIds(tx, before.id)) affected.add(id);
    await membershipsChanged(ctx, scope, [...affected]);
  });
}

export async function deleteGroup(ctx: Context, id: string, ifMatch: string | undefined) {
  await provisioningChange(ctx, async (scope) => {
    const before = await findGroup(scope.tx, id, true);
    checkVersion(before.version, ifMatch);
    const members = await scope.tx
      .deleteFrom("scim_group_members")
      .where("group_id", "=", before.id)
      .returning("user_id")
      .execute();
    await scope.tx.deleteFrom("scim_groups").where("id", "=", before.id).execute();
    await scope.audit({
      action: "scim_group.deleted",
      targetType: "scim_group",
      targetId: before.id,
      before: {
        displayName: before.display_name,
        externalId: before.external_id,
        members: members.length,
      },
    });
    await membershipsChanged(
      ctx,
      scope,
      members.map((m) => m.user_id),
    );
  });
}

/** Adds members (SCIM user ids) not yet in the group; an unknown id is invalidValue. */
async function addMembers(ctx: Context, { tx }: ChangeScope, groupId: string, userIds: string[]) {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const ids = unique.map((id) => scimId(id));
  const bad = unique.find((_, i) => ids[i] === null);
  if (bad !== undefined) throw scimErrors.invalidValue(`members: no user ${bad}`);
  const known = await tx
    .selectFrom("scim_users")
    .select("id")
    .where("id", "in", ids as string[])
    .where("deleted_at", "is", null)
    .execute();
  if (known.length !== ids.length) {
    const found = new Set(known.map((k) => k.id));
    throw scimErrors.invalidValue(
      `members: no user ${unique.find((_, i) => !found.has(ids[i] as string))}`,
    );
  }
  const inserted = await tx
    .insertInto("scim_group_members")
    .values(
      (ids as string[]).map((userId) => ({
        organization_id: ctx.organizationId,
        group_id: groupId,
        user_id: userId,
      })),
    )
    .onConflict((oc) => oc.columns(["group_id", "user_id"]).doNothing())
    .returning("user_id")
    .execute();
  return inserted.map((row) => row.user_id);
}

async function removeMembers(tx: Tx, groupId: string, userIds: string[]) {
  const ids = userIds.map((id) => scimId(id)).filter((id): id is string => id !== null);
  if (ids.length === 0) return [];
  const removed = await tx
    .deleteFrom("scim_group_members")
    .where("group_id", "=", groupId)
    .where("user_id", "in", ids)
    .returning("user_id")
    .execute();
  return removed.map((row) => row.user_id);
}

async function checkNameFree(tx: Tx, displayName: string, exceptId: string | null) {
  let query = tx
    .selectFrom("scim_groups")
    .select("id")
    .where(sql`lower(display_name)`, "=", displayName.toLowerCase());
  if (exceptId) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst()) {
    throw scimErrors.uniqueness(`A group named "${displayName}" already exists.`);
  }
}

/** What a change of memberships means for the users it touched: job roles, then account roles. */
async function membershipsChanged(ctx: Context, scope: ChangeScope, scimUserIds: string[]) {
  await syncJobRoles(ctx, scope, scimUserIds);
  await provisionAccounts(ctx, scope, scimUserIds);
}

/** The SCIM ids of a group's members. */
async function memberIds(tx: Tx, groupId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom("scim_group_members")
    .select("user_id")
    .where("group_id", "=", groupId)
    .execute();
  return rows.map((row) => row.user_id);
}
