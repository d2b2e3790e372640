import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openPglite, openPostgres } from "../../src/db/database.ts";
import {
  isMigrated,
  latestMigrationName,
  migrateDown,
  migrateToLatest,
  migrator,
} from "../../src/db/migrate.ts";
import { postgresUrlFor, TEST_POSTGRES_URL, testEngine } from "../helpers/engines.ts";

// An empty database, not a template copy: this file exercises the migrations themselves.
let handle: DatabaseHandle;
let dropDatabase = async () => {};
beforeAll(async () => {
  if (testEngine() === "pglite") {
    handle = await openPglite({});
    return;
  }
  const name = `attest_migrations_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  handle = openPostgres(postgresUrlFor(name), 2);
  dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
}, 60_000);
afterAll(async () => {
  await handle.close();
  await dropDatabase();
});

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
