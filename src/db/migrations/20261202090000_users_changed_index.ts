import { type Kysely, sql } from "kysely";

/**
 * The dashboard's freshness stamp reads the latest change to the organization's accounts on
 * every request; with every employee holding an account (thousands of rows), an index on
 * (organization, updated_at) answers that max from one index entry instead of a scan.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX users_organization_updated_at ON users (organization_id, updated_at)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX users_organization_updated_at`.execute(db);
}
