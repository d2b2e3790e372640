import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { takeBackup } from "../../../src/backup/export.ts";
import type { Database } from "../../../src/db/types.ts";
import { seedDemoOrganization } from "../../../src/modules/demo.ts";
import { evidence, type Org, organization, trustDocument } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/** The backup tests' world: the demo organization and a second one with stored files. */
export interface World {
  t: TestApp;
  dataDir: string;
  org: Org;
  files: { id: string; content: string }[];
  scratch: string;
}

export async function createWorld(): Promise<World> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "attest-backup-test-"));
  const dataDir = path.join(scratch, "data");
  const t = await createTestApp({ dataDir });
  await seedDemoOrganization(t.deps.db, { size: "small" });
  const org = await organization(t, { name: "Files Co" });
  const files: { id: string; content: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const content = `evidence ${i} of Files Co: ${"x".repeat(1000 * i)}\n`;
    files.push({ id: (await evidence(org, { file: content })).id, content });
  }
  await trustDocument(org);
  return { t, dataDir, org, files, scratch };
}

export function backupOf(world: World, outDir = path.join(world.scratch, "backups")) {
  return takeBackup({
    db: world.t.deps.db,
    engine: world.t.deps.engine,
    dataDir: world.dataDir,
    keyring: world.t.deps.keyring,
    outDir,
  });
}

/** Rows per table, as attest_system (which sees every organization). */
export async function rowCounts(db: Kysely<Database>, tables: string[]) {
  return db.transaction().execute(async (tx) => {
    await sql`set local role attest_system`.execute(tx);
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)}`.execute(tx);
      counts[table] = rows[0]?.n ?? 0;
    }
    return counts;
  });
}

/** A table's rows as JSON text, in primary key order (`key`). */
export async function rowsOf(db: Kysely<Database>, table: string, key: string) {
  return db.transaction().execute(async (tx) => {
    await sql`set local role attest_system`.execute(tx);
    const { rows } = await sql<{ line: string }>`
      select row_to_json(t)::text as line from ${sql.table(table)} t
      order by ${sql.ref(`t.${key}`)}`.execute(tx);
    return rows.map((row) => row.line);
  });
}
