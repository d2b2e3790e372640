import { type Kysely, sql } from "kysely";

/**
 * Failed sign-in attempts per account, kept in the database so the backoff holds across nodes
 * and restarts. Keyed by an HMAC of the email, whether or not an account has it, so the limit
 * says nothing about which accounts exist. It belongs to no organization: the sign-in path
 * (attest_system) counts; an admin's request (attest_app) may only read and delete the row of
 * a person it can see, whose email gives the key.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sign_in_throttles (
      account_key text PRIMARY KEY,
      failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
      last_attempt_at timestamptz NOT NULL,
      locked_until timestamptz
    );
    CREATE INDEX sign_in_throttles_last_attempt_at ON sign_in_throttles (last_attempt_at);
    GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttles TO attest_system;
    GRANT SELECT, DELETE ON sign_in_throttles TO attest_app;
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE sign_in_throttles`.execute(db);
}
