import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { PGliteDialect } from "../../src/db/pglite-dialect.ts";
import { postgresUrlFor, TEST_POSTGRES_URL, testEngine } from "./engines.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

/**
 * Migrates one database per run and lets every test file copy it: a PGlite data directory
 * dumped to a tarball, or a PostgreSQL template database (CREATE DATABASE … TEMPLATE …).
 */
export default async function setup(project: TestProject) {
  // test.env reaches the workers, not this process: read the project's own setting.
  const engine = project.config.env?.ATTEST_TEST_ENGINE ?? testEngine();
  if (engine === "pglite") {
    const pglite = await PGlite.create();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir("none");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-template-"));
    const file = path.join(dir, "template.tar");
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await db.destroy();
    project.provide("pgliteTemplate", file);
    project.provide("postgresTemplate", "");
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }

  const template = `attest_template_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at ${TEST_POSTGRES_URL} (set ATTEST_TEST_POSTGRES_URL): ${(error as Error).message}`,
    );
  }
  await admin.query(`CREATE DATABASE ${template}`);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: postgresUrlFor(template), max: 1 }),
    }),
  });
  await migrateToLatest(db);
  await db.destroy();
  project.provide("pgliteTemplate", "");
  project.provide("postgresTemplate", template);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}
