import { type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Control, Database } from "../../db/types.ts";
import { userNameRows } from "../users/users.queries.ts";

// Reads of the controls table for other areas: the controls area owns it (test/architecture).

// The catalog of controls and their tests, as the controls area ships it.
export { catalogTests, loadCatalog } from "./catalog.ts";

/** The controls as a derived table (key, title, category, owner): join it as `c`. */
export function controlRows(db: QueryCreator<Database>) {
  return db
    .selectFrom("controls")
    .select(["organization_id", "key", "title", "category", "owner_user_id", "updated_at"]);
}

/** The organization's controls by key (all of them, or those of `keys`). */
export async function controlsByKey(
  tx: Tx,
  keys?: readonly string[],
): Promise<Map<string, Control>> {
  if (keys?.length === 0) return new Map();
  let query = tx.selectFrom("controls").selectAll();
  if (keys) query = query.where("key", "in", [...new Set(keys)]);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.key, row]));
}

/** Whether the organization has a control with this key. */
export async function controlExists(tx: Tx, key: string): Promise<boolean> {
  const row = await tx
    .selectFrom("controls")
    .select("key")
    .where("key", "=", key)
    .executeTakeFirst();
  return row !== undefined;
}

/** When any control of the organization last changed: part of cached answers' stamps. */
export function controlsChangedAt() {
  return sql<Date | null>`(select max(updated_at) from controls)`;
}

/** How many controls there are, and how many have an owner who is not deactivated. */
export async function controlOwnerCounts(tx: Tx) {
  const owners = userNameRows(tx).where("status", "<>", "deactivated");
  return tx
    .selectFrom("controls as c")
    .leftJoin(owners.as("u"), "u.id", "c.owner_user_id")
    .select((eb) => [eb.fn.countAll<string>().as("total"), eb.fn.count<string>("u.id").as("owned")])
    .executeTakeFirstOrThrow();
}
