import { type Kysely, sql } from "kysely";

/**
 * `attest keys rotate` re-wraps every evidence file's data key under the new master key, as
 * attest_system; evidence rows are otherwise immutable but for their deletion, so it gets the
 * one column it rewrites (the file itself is never touched).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`GRANT UPDATE (wrapped_key) ON evidence TO attest_system`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE UPDATE (wrapped_key) ON evidence FROM attest_system`.execute(db);
}
