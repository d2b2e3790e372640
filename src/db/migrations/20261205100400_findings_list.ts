import { type Kysely, sql } from "kysely";

/**
 * Findings (issue 13, helper 4): the list's order as an index — deadline (none last), severity
 * (most severe first), id — so a page of 500,000 findings is read from the index, filtered or
 * not; and `reminded_for`, what the last reminder to the assignee was about (the state and the
 * deadline), so each finding is reminded once per state.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX findings_order_idx ON findings (organization_id,
      coalesce(deadline_at, 'infinity'::timestamptz),
      (CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END),
      id);
    ALTER TABLE findings ADD COLUMN reminded_for text;
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS findings_order_idx; ALTER TABLE findings DROP COLUMN IF EXISTS reminded_for`.execute(
    db,
  );
}
