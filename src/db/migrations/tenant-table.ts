import { type Kysely, sql } from "kysely";

/**
 * Puts a tenant table under row-level security, the same way in every migration: enabled and
 * forced (so the owner is bound too), attest_app sees the rows of the transaction's
 * organization (`attest.organization_id`), attest_system sees all. Grants are the caller's:
 * tables differ in what the application may do to them.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function isolateTenantTable(db: Kysely<any>, table: string): Promise<void> {
  await sql`
    ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON ${sql.table(table)} TO attest_app
      USING (organization_id = nullif(current_setting('attest.organization_id', true), '')::uuid);
    CREATE POLICY system_access ON ${sql.table(table)} TO attest_system
      USING (true) WITH CHECK (true);
  `.execute(db);
}
