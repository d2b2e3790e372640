import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";

// Reads of the monitoring results for other areas: monitoring owns control_results,
// test_results and control_snapshots (test/architecture).

/** The keys of the controls passing now, by their stored results. */
export async function passingControlKeys(tx: Tx): Promise<Set<string>> {
  const rows = await tx
    .selectFrom("control_results")
    .select("control_key")
    .where("status", "=", "passing")
    .execute();
  return new Set(rows.map((row) => row.control_key));
}

/** A digest of which controls pass: part of cached answers' stamps. */
export function passingControlsStamp() {
  return sql<
    string | null
  >`(select md5(coalesce(string_agg(control_key, ',' order by control_key), ''))
    from control_results where status = 'passing')`;
}
