import type { Tx } from "../../db/tenant.ts";

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
