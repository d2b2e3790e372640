// Reads of the organizations area's tables for other areas (only the organizations area names them).
import type { Tx } from "../../db/tenant.ts";

/** The id of every organization (for jobs that run per organization, in a system transaction). */
export async function organizationIds(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom("organizations").select("id").execute();
  return rows.map((row) => row.id);
}
