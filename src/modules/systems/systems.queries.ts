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
