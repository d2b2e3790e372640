import type { Tx } from "../../db/tenant.ts";
import type { Role } from "../../domain/permissions.ts";

/** The users area's reads that other areas use. */

/** Names of the given users by id (one query; ids of no user are left out). */
export async function userNamesById(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
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
