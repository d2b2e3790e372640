import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./types.ts";

export type Tx = Transaction<Database>;

/**
 * Runs `work` in a transaction as the attest_app role, scoped to one organization: row-level
 * security hides every other organization's rows even from a query that forgets to filter.
 */
export function withTenant<T>(
  db: Kysely<Database>,
  organizationId: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', 'attest_app', true),
                     set_config('attest.organization_id', ${organizationId}, true)`.execute(tx);
    return work(tx);
  });
}

/**
 * Runs `work` as attest_system, which sees every organization. Only for the paths that must
 * look across organizations before one is known: setup, sign-in, session and token lookup,
 * audit verification, scheduled jobs.
 */
export function withSystem<T>(db: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', 'attest_system', true)`.execute(tx);
    return work(tx);
  });
}
