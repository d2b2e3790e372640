import { type QueryCreator, type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { userNameRows } from "../users/users.queries.ts";

/** The controls area's reads that other areas use. */

/**
 * A scalar SQL expression that changes whenever a control (its title, its text) does: the
 * trust center puts it in the freshness stamp of its cached page.
 */
export function controlsStamp(): RawBuilder<string> {
  return sql<string>`(select coalesce(max(updated_at)::text, '') from controls)`;
}

/** The organization's controls in catalog order (category, then position). */
export async function controlCatalog(tx: Tx) {
  return tx
    .selectFrom("controls")
    .select(["key", "title", "description", "category"])
    .orderBy("category_position")
    .orderBy("position")
    .execute();
}

/** The audit log's labels of controls: named by key, shown on their page. */
export const controlsAuditTargets = {
  control: {
    byKey: true,
    find: async (tx: Tx, keys: string[]) =>
      (
        await tx.selectFrom("controls").select(["key", "title"]).where("key", "in", keys).execute()
      ).map((r) => ({ id: r.key, name: r.title, path: `/controls/${encodeURIComponent(r.key)}` })),
  },
};

/** The controls as a derived table (key, title, category, owner): join it as `c`. */
export function controlRows(db: QueryCreator<Database>) {
  return db
    .selectFrom("controls")
    .select(["organization_id", "key", "title", "category", "owner_user_id", "updated_at"]);
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

/** The organization's controls in catalog order (only those among `keys` when given). */
export async function controlKeysInOrder(
  tx: Tx,
  keys?: ReadonlySet<string>,
): Promise<{ key: string }[]> {
  let query = tx
    .selectFrom("controls")
    .select("key")
    .orderBy("category_position")
    .orderBy("position");
  if (keys) query = query.where("key", "in", [...keys]);
  return query.execute();
}
