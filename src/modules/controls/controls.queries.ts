import { type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Control, Database } from "../../db/types.ts";

// Reads of the controls table for other areas: the controls area owns it (test/architecture).

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
