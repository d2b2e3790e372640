import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";

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
