import { type ExpressionBuilder, type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database, User } from "../../db/types.ts";
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

/** The accounts as a derived table with what a principal needs: join it as `u`. */
export function principalUsers(db: QueryCreator<Database>) {
  return db
    .selectFrom("users")
    .select([
      "id",
      "organization_id",
      "name",
      "email",
      "role",
      "status",
      "access_expires_at",
      "mfa_enabled_at",
    ]);
}

/** The accounts' names as a derived table, for lists that show who did or owns something. */
export function userNameRows(db: QueryCreator<Database>) {
  return db.selectFrom("users").select(["id", "name", "status"]);
}

/** The accounts' names by id (the ones that exist in the organization). */

/** An account's status (invited, active, deactivated), if it exists in the organization. */
export async function userStatus(tx: Tx, id: string): Promise<User["status"] | undefined> {
  const row = await tx.selectFrom("users").select("status").where("id", "=", id).executeTakeFirst();
  return row?.status;
}

/** An account by id, whole (credentials included: for the auth area's checks). */
export async function userById(tx: Tx, id: string): Promise<User | undefined> {
  return tx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** An account by its email (lower case), whole. */
export async function userByEmail(tx: Tx, email: string): Promise<User | undefined> {
  return tx.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

/** The id of the account with this email (lower case), if any. */
export async function userIdByEmail(tx: Tx, email: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("users")
    .select("id")
    .where("email", "=", email)
    .executeTakeFirst();
  return row?.id;
}

/** When any account of the organization last changed: part of cached answers' stamps. */
export function usersChangedAt() {
  return sql<Date | null>`(select max(updated_at) from users)`;
}

/**
 * Counts for the getting-started checklist: active accounts (access not expired at `now`),
 * owners, owners with two-factor on, and whether `viewerId` is an owner without it.
 */
export async function activeUserCounts(tx: Tx, now: Date, viewerId: string | null) {
  return tx
    .selectFrom("users")
    .where("status", "=", "active")
    .where((eb) => eb.or([eb("access_expires_at", "is", null), eb("access_expires_at", ">", now)]))
    .select((eb) => [
      eb.fn.countAll<string>().as("active"),
      sql<string>`count(*) filter (where role = 'owner')`.as("owners"),
      sql<string>`count(*) filter (where role = 'owner' and mfa_enabled_at is not null)`.as(
        "ownersWithMfa",
      ),
      sql<boolean>`coalesce(bool_or(id = ${viewerId} and role = 'owner' and mfa_enabled_at is null), false)`.as(
        "viewerNeedsMfa",
      ),
    ])
    .executeTakeFirstOrThrow();
}

/** The name of the user `userId` references, as a subquery (null when there is none). */
export function userNameOf(
  eb: ExpressionBuilder<Database, "incidents">,
  userId: "incidents.owner_id" | "incidents.reported_by",
) {
  return eb.selectFrom("users as u").select("u.name").whereRef("u.id", "=", userId);
}
