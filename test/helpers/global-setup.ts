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

/** One template per engine and run, whatever the number of projects on that engine. */
interface Template {
  name: string;
  users: number;
  teardown: () => Promise<void>;
}
// Kept on globalThis: each project may load this module afresh.
const shared = globalThis as { attestTestTemplates?: Map<string, Promise<Template>> };
shared.attestTestTemplates ??= new Map();
const templates = shared.attestTestTemplates;

/**
 * Migrates one database per engine and run and lets every test file copy it: a PGlite data
 * directory dumped to a tarball, or a PostgreSQL template database (CREATE DATABASE … TEMPLATE
 * …). The projects of an engine share it: the last to finish removes it.
 */
export default async function setup(project: TestProject) {
  // test.env reaches the workers, not this process: read the project's own setting.
  const engine = project.config.env?.ATTEST_TEST_ENGINE ?? testEngine();
  let made = templates.get(engine);
  if (!made) {
    made = engine === "pglite" ? pgliteTemplate() : postgresTemplate();
    templates.set(engine, made);
  }
  const template = await made;
  template.users += 1;
  project.provide("pgliteTemplate", engine === "pglite" ? template.name : "");
  project.provide("postgresTemplate", engine === "pglite" ? "" : template.name);
  return async () => {
    template.users -= 1;
    if (template.users > 0) return;
    templates.delete(engine);
    await template.teardown();
  };
}

async function pgliteTemplate(): Promise<Template> {
  const pglite = await PGlite.create();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir("none");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-template-"));
  const file = path.join(dir, "template.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  return {
    name: file,
    users: 0,
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTemplate(): Promise<Template> {
  const name = `attest_template_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at ${TEST_POSTGRES_URL} (set ATTEST_TEST_POSTGRES_URL): ${(error as Error).message}`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: postgresUrlFor(name), max: 1 }),
    }),
  });
  await migrateToLatest(db);
  await db.destroy();
  return {
    name,
    users: 0,
    teardown: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
