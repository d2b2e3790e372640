import { type RawBuilder, sql } from "kysely";

/** The controls area's reads that other areas use. */

/**
 * A scalar SQL expression that changes whenever a control (its title, its text) does: the
 * trust center puts it in the freshness stamp of its cached page.
 */
export function controlsStamp(): RawBuilder<string> {
  return sql<string>`(select coalesce(max(updated_at)::text, '') from controls)`;
}
