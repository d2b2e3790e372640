import type { QueryCreator } from "kysely";
import type { Database } from "../../db/types.ts";

/** The people area's reads that other areas use. */

/**
 * The people active on `day` ('YYYY-MM-DD': started, not yet left), as a subquery other
 * areas join set-based (e.g. policies, for who must acknowledge): alias it with `.as(...)`.
 */
export function activePeopleOn(db: QueryCreator<Database>, day: string) {
  return db
    .selectFrom("people")
    .select(["id", "name", "email", "job_role", "start_date"])
    .where("start_date", "<=", day)
    .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">", day)]));
}
