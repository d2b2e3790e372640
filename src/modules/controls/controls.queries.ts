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

