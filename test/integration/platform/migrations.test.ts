import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../src/db/database.ts";
import {
  isMigrated,
  latestMigrationName,
  migrateDown,
  migrateToLatest,
  migrationNames,
  migrator,
} from "../../../src/db/migrate.ts";
import { createEmptyDatabase } from "../../helpers/database.ts";

// An empty database, not a template copy: this file exercises the migrations themselves.
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createEmptyDatabase("attest_migrations");
}, 60_000);
afterAll(() => handle.close());

async function tables(db: Kysely<unknown>) {
  const result = await sql<{
    relname: string;
    relrowsecurity: boolean;
    relforcerowsecurity: boolean;
    tenant: boolean;
  }>`
    select c.relname, c.relrowsecurity, c.relforcerowsecurity,
           exists (select 1 from information_schema.columns col
                   where col.table_name = c.relname and col.column_name = 'organization_id') as tenant
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'attest_migrations%'
    order by c.relname`.execute(db);
  return result.rows;
}

describe("migrations", () => {
  it("should list the migrations in the order Kysely runs them, by name", () => {
    // Backups record the applied list and restores compare it with this one, in order.
    const names = migrationNames();
    expect(names).toEqual([...names].sort());
    expect(new Set(names.map((name) => name.slice(0, 14))).size).toBe(names.length);
  });

  it("should apply, roll back and apply again", async () => {
    const db = handle.db as unknown as Kysely<unknown>;
    expect(await isMigrated(db)).toBe(false);
    await migrateToLatest(db);
    expect(await isMigrated(db)).toBe(true);
    const applied = await migrator(db).getMigrations();
    expect(applied.at(-1)?.name).toBe(latestMigrationName());
    expect((await tables(db)).map((t) => t.relname)).toContain("audit_events");

    for (let i = 0; i < applied.length; i++) await migrateDown(db);
    expect(await tables(db)).toEqual([]);
    expect(await isMigrated(db)).toBe(false);

    await migrateToLatest(db);
    expect(await isMigrated(db)).toBe(true);
  });

  it("should force row-level security on every table that holds organization data", async () => {
    const all = await tables(handle.db as unknown as Kysely<unknown>);
    const tenantTables = all.filter((t) => t.tenant || t.relname === "organizations");
    expect(tenantTables.length).toBeGreaterThanOrEqual(7);
    for (const table of tenantTables) {
      expect({
        table: table.relname,
        rls: table.relrowsecurity,
        forced: table.relforcerowsecurity,
      }).toEqual({
        table: table.relname,
        rls: true,
        forced: true,
      });
    }
  });
});
