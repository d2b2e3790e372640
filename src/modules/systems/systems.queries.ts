import type { QueryCreator } from "kysely";
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

/** The web app's page of a system. */
export function systemLink(id: string): string {
  return `/systems/${encodeURIComponent(id)}`;
}

/**
 * The systems as they are now, archived ones included (a grant on an archived system keeps
 * its name): a derived table other areas join for labels. Alias it with `.as(...)`.
 */
export function systemsNow(db: QueryCreator<Database>) {
  return db.selectFrom("systems").select(["id", "name", "owner_id", "archived_at"]);
}

/** A system's name and owner (a person's id), for who may act on it; undefined if none. */
export async function systemOwner(db: QueryCreator<Database>, id: string) {
  const row = await systemsNow(db).where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, name: row.name, ownerId: row.owner_id, archived: !!row.archived_at };
}
