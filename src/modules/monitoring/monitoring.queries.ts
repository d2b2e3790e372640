import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { isoDay } from "../../domain/control-status.ts";

// Reads of the monitoring results for other areas: monitoring owns control_results,
// test_results and control_snapshots (test/architecture).

/**
 * The keys of the controls passing now, by their stored results; or, given `asOf`, passing in
 * the daily snapshot of that day (UTC).
 */
export async function passingControlKeys(tx: Tx, asOf?: Date): Promise<Set<string>> {
  const rows = asOf
    ? await tx
        .selectFrom("control_snapshots")
        .select("control_key")
        .where("day", "=", isoDay(asOf))
        .where("status", "=", "passing")
        .execute()
    : await tx
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
