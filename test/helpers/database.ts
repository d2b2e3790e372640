import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type DatabaseHandle, openPglite, openPostgres } from "../../src/db/database.ts";
import { postgresUrlFor, TEST_POSTGRES_URL, testEngine } from "./engines.ts";

export interface TestDatabase extends DatabaseHandle {
  /** For a child process (the CLI): DATABASE_URL, or a data directory for PGlite. */
  env: Record<string, string>;
}

/**
 * A fresh, migrated database of its own for one test file: a copy of the run's template.
 * With `onDisk`, the PGlite copy lives in a directory another process can open (after close).
 */
export async function createTestDatabase(options: { onDisk?: string } = {}): Promise<TestDatabase> {
  if (testEngine() === "pglite") {
    const template = new Blob([fs.readFileSync(inject("pgliteTemplate"))]);
    const handle = await openPglite({
      loadDataDir: template,
      ...(options.onDisk ? { dataDir: options.onDisk } : {}),
    });
    return {
      ...handle,
      env: options.onDisk ? { ATTEST_DATA_DIR: options.onDisk.replace(/\/pg$/, "") } : {},
    };
  }
  const name = `attest_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("postgresTemplate")}`);
  } finally {
    await admin.end();
  }
  const url = postgresUrlFor(name);
  const handle = openPostgres(url, 5);
  return {
    ...handle,
    env: { DATABASE_URL: url },
    close: async () => {
      await handle.close();
      await dropDatabase(name);
    },
  };
}

/**
 * An empty database, not a template copy, for a file that runs the migrations themselves:
 * PGlite in memory, or a PostgreSQL database named `prefix` and a random suffix, dropped on close.
 */
export async function createEmptyDatabase(prefix: string): Promise<DatabaseHandle> {
  if (testEngine() === "pglite") return openPglite({});
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const handle = openPostgres(postgresUrlFor(name), 2);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await dropDatabase(name);
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await cleanup.connect();
  // The pool's end() resolves before its connections have closed: give them a moment to go,
  // so FORCE does not terminate a connection still saying goodbye (bounded: 5 s).
  for (let i = 0; i < 50; i++) {
    const { rows } = await cleanup.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
      [name],
    );
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await cleanup.end();
}
