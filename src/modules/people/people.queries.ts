import type { QueryCreator } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database, Person } from "../../db/types.ts";

// Reads of the people table for other areas: the people area owns it (test/architecture).

/** The people as a derived table: join it as `pe`. */
export function peopleRows(db: QueryCreator<Database>) {
  return db
    .selectFrom("people")
    .select(["id", "user_id", "name", "email", "job_role", "start_date", "end_date"]);
}

/** The person listed for an account, if any. */
export async function personOfUser(tx: Tx, userId: string): Promise<Person | undefined> {
  return tx.selectFrom("people").selectAll().where("user_id", "=", userId).executeTakeFirst();
}
