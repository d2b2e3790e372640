import { type Kysely, sql } from "kysely";

/**
 * Marks the systems Attest manages itself: `builtin = 'attest'` is the organization's system
 * standing for Attest (its own backups are restore-tested and its storage checked against it).
 * One per organization; not versioned, since it never changes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE systems ADD COLUMN builtin text
              CHECK (builtin IN ('attest'))`.execute(db);
  await sql`CREATE UNIQUE INDEX systems_builtin_unique ON systems (organization_id, builtin)
              WHERE builtin IS NOT NULL`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX systems_builtin_unique`.execute(db);
  await sql`ALTER TABLE systems DROP COLUMN builtin`.execute(db);
}
