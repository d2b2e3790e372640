import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";

/** The monitoring area's reads of stored control results that other areas use. */

/**
 * A scalar SQL expression that changes whenever the set of passing controls does: the trust
 * center puts it in the freshness stamp of its cached page.
 */
export function passingControlsStamp(): RawBuilder<string> {
  return sql<string>`(select md5(coalesce(string_agg(control_key, ',' order by control_key), ''))
    from control_results where status = 'passing')`;
}

/** The keys of the controls passing now (their current result). */
export async function passingControlKeys(tx: Tx): Promise<Set<string>> {
  const rows = await tx
    .selectFrom("control_results")
    .select("control_key")
    .where("status", "=", "passing")
    .execute();
  return new Set(rows.map((r) => r.control_key));
}

/**
 * The keys of the controls passing now, by their stored results; or, given `asOf`, passing in
 * the daily snapshot of that day (UTC).
 */

/** A digest of which controls pass: part of cached answers' stamps. */
