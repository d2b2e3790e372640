import type { QueryCreator } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";

/** The systems area's reads that other areas use. */

/**
 * The inventory as it stood at `asOf`: each system that existed and was not archived then,
 * with the attributes it had then (from system_versions). A derived table other areas join
 * set-based (the access checks): alias it with `.as(...)`. `id` is the system's id.
 */
export function systemsAsOf(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("system_versions")
    .select([
      "system_id as id",
      "name",
      "kind",
      "owner_id",
      "production",
      "classification",
      "customer_data",
      "backed_up",
      "scanned",
      "internet_facing",
      "allowed_roles",
      "admin_roles",
      "review_period_days",
    ])
    .where("valid_from", "<=", asOf)
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", asOf)]))
    .where("archived", "=", false);
}

/**
 * For each system in scope of the access reviews (production or holding customer data, not
 * archived) in some version valid from at or before `asOf`: when its first such version began
 * (`since`). A derived table to join on `id` (alias it with `.as(...)`): a system never
 * reviewed is due from then.
 */
export function systemsInReviewScopeSince(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("system_versions")
    .select((eb) => ["system_id as id", eb.fn.min("valid_from").as("since")])
    .where("valid_from", "<=", asOf)
    .where("archived", "=", false)
    .where((eb) => eb.or([eb("production", "=", true), eb("customer_data", "=", true)]))
    .groupBy("system_id");
}

/**
 * For each system marked scanned (not archived) in some version valid from at or before
 * `asOf`: when its first such version began (`since`). A derived table to join on `id`
 * (alias it with `.as(...)`): a system never scanned is due a scan from then (scans-recent).
 */
export function systemsScannedSince(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("system_versions")
    .select((eb) => ["system_id as id", eb.fn.min("valid_from").as("since")])
    .where("valid_from", "<=", asOf)
    .where("archived", "=", false)
    .where("scanned", "=", true)
    .groupBy("system_id");
}

/** The web app's page of a system. */
export function systemLink(id: string): string {
  return `/systems/${encodeURIComponent(id)}`;
}

/**
 * The systems as they are now, archived ones included (`archived`), as a derived table other
 * areas join set-based for names and owners: alias it with `.as(...)`. `id` is the system's id.
 */
export function systemsNow(db: QueryCreator<Database>) {
  return db
    .selectFrom("systems")
    .select((eb) => [
      "id",
      "name",
      "kind",
      "owner_id",
      "production",
      "classification",
      "customer_data",
      "allowed_roles",
      "admin_roles",
      "review_period_days",
      eb("archived_at", "is not", null).as("archived"),
    ]);
}

/** A system's name and owner (a person's id), for who may act on it; undefined if none. */
export async function systemOwner(db: QueryCreator<Database>, id: string) {
  const row = await systemsNow(db).where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, name: row.name, ownerId: row.owner_id, archived: row.archived };
}

/** The names of systems, by id (archived ones too). */
export async function systemNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("systems")
    .select(["id", "name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** How the audit log labels the inventory's records. */
export const systemsAuditTargets = {
  system: {
    find: async (tx: Tx, ids: string[]) =>
      [...(await systemNames(tx, ids))].map(([id, name]) => ({ id, name, path: systemLink(id) })),
  },
  inventory_review: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("inventory_reviews")
          .select(["id", "signed_at"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `Inventory sign-off of ${r.signed_at.toISOString().slice(0, 10)}`,
        path: "/systems/review",
      })),
  },
};
