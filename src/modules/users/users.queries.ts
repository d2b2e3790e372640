import type { Tx } from "../../db/tenant.ts";
import type { Role } from "../../domain/permissions.ts";
// Read functions of the users area for other areas: who the organization's accounts are.

export interface ActiveUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

/**
 * The organization's active users holding one of `roles`, by name (then id); only those among
 * `ids` when given.
 */
export async function activeUsersWithRoles(
  tx: Tx,
  roles: readonly Role[],
  ids?: readonly string[],
): Promise<ActiveUser[]> {
  if (roles.length === 0 || ids?.length === 0) return [];
  let query = tx
    .selectFrom("users")
    .select(["id as userId", "name", "email", "role"])
    .where("status", "=", "active")
    .where("role", "in", [...roles]);
  if (ids) query = query.where("id", "in", [...ids]);
  return query.orderBy("name").orderBy("id").execute();
}

/** The names of the given users that exist, by id (a deleted user is missing). */
export async function userNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** How many active users hold one of the roles (e.g. how many may approve a policy). */
export async function activeUserCount(tx: Tx, roles: readonly Role[]): Promise<number> {
  const row = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("role", "in", [...roles])
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The name and email of each active user holding one of the roles, by email. */
export async function activeUsersInRoles(
  tx: Tx,
  roles: readonly Role[],
): Promise<{ name: string; email: string }[]> {
  if (roles.length === 0) return [];
  return tx
    .selectFrom("users")
    .select(["name", "email"])
    .where("status", "=", "active")
    .where("role", "in", [...roles])
    .orderBy("email")
    .execute();
}
