import { type RawBuilder, sql } from "kysely";

/** The monitoring area's reads of stored control results that other areas use. */

/**
 * A scalar SQL expression that changes whenever the set of passing controls does: the trust
 * center puts it in the freshness stamp of its cached page.
 */
export function passingControlsStamp(): RawBuilder<string> {
  return sql<string>`(select md5(coalesce(string_agg(control_key, ',' order by control_key), ''))
    from control_results where status = 'passing')`;
}
