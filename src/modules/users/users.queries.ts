// Reads of the users area's tables for other areas (only the users area names them).
import type { Tx } from "../../db/tenant.ts";
import type { Role } from "../../domain/permissions.ts";

/** The names of the given users of the organization, by id (unknown ids absent). */
export async function userNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
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
