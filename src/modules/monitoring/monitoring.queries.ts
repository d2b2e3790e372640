import type { Tx } from "../../db/tenant.ts";

/** The keys of the controls passing now (their current result). */
export async function passingControlKeys(tx: Tx): Promise<Set<string>> {
  const rows = await tx
    .selectFrom("control_results")
    .select("control_key")
    .where("status", "=", "passing")
    .execute();
  return new Set(rows.map((r) => r.control_key));
}
