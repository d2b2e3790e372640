import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { type Kysely, sql } from "kysely";
import { openPglite } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem } from "../src/db/tenant.ts";
import type { Database } from "../src/db/types.ts";
import { seedDemoOrganization } from "../src/modules/demo.ts";
import { localBlobStore } from "../src/platform/blob-store.ts";
import { storeEncrypted } from "../src/platform/encrypted-files.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { databaseUrl, freshDatabase } from "./lib.ts";

/**
 * Issue 15's figures for Attest's own backups: the small demo organization, plus 1 GiB of
 * evidence (1,024 files of 1 MiB of random bytes, stored encrypted as uploads are, rows
 * inserted directly) and 200,000 evidence link rows bulk-inserted (generate_series), so the
 * archive holds both many rows and many bytes. Then `attest backup` and `attest restore-test`
 * as child processes under /usr/bin/time: wall time and the child's peak resident memory
 * (target under 200 MB). Seeding takes a minute or two.
 * Run: npm run bench -- --only backup [--engine postgres|pglite]
 */
const FILES = 1024;
const FILE_BYTES = 1024 * 1024;
const LINK_ROWS = 200_000;

export async function backupBenchmarks(options: { engines: string[]; postgresUrl: string }) {
  for (const engine of options.engines as ("postgres" | "pglite")[]) {
    await benchEngine(engine, options.postgresUrl);
  }
}

async function benchEngine(engine: "postgres" | "pglite", postgresUrl: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-backup-"));
  const masterKey = randomBytes(32);
  const keyring = Keyring.of(masterKey);
  // PGlite in the data directory, where the CLI finds it once this process has closed it.
  const { handle, cleanup } =
    engine === "pglite"
      ? { handle: await openPglite({ dataDir: path.join(dataDir, "pg") }), cleanup: async () => {} }
      : await freshDatabase(engine, postgresUrl, { label: "backup", poolSize: 4 });
  let env: Record<string, string>;
  try {
    const seeding = performance.now();
    await migrateToLatest(handle.db);
    const demo = await seedDemoOrganization(handle.db, { size: "small" });
    const store = localBlobStore(path.join(dataDir, "evidence"));
    for (let i = 0; i < FILES; i++) {
      const stored = await storeEncrypted(
        { store, keyring, maxBytes: FILE_BYTES * 2 },
        Readable.from([randomBytes(FILE_BYTES)]),
      );
      await withSystem(handle.db, (tx) =>
        tx
          .insertInto("evidence")
          .values({
            organization_id: demo.organizationId,
            control_key: "asset-inventory",
            kind: "file",
            title: `Bench file ${i}`,
            evidence_date: "2026-11-01",
            storage_key: stored.storageKey,
            file_name: `bench-${i}.bin`,
            content_type: "application/octet-stream",
            size_bytes: stored.sealed.sizeBytes,
            sha256: stored.sealed.sha256,
            wrapped_key: stored.sealed.wrappedKey,
            iv: stored.sealed.iv,
            auth_tag: stored.sealed.authTag,
          })
          .execute(),
      );
    }
    await withSystem(handle.db, (tx) =>
      sql`insert into evidence (organization_id, control_key, kind, title, url, evidence_date)
          select ${demo.organizationId}::uuid, 'asset-inventory', 'link', 'Bench link ' || n,
                 'https://evidence.example.test/' || n, date '2026-01-01' + (n % 300)
          from generate_series(1, ${LINK_ROWS}) n`.execute(tx),
    );
    console.log(
      `backup (${engine}): seeded the small demo, ${FILES} files of 1 MiB and ${LINK_ROWS} link rows in ${((performance.now() - seeding) / 1000).toFixed(0)} s`,
    );
    env = {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_MASTER_KEY: masterKey.toString("base64"),
      ...(engine === "postgres"
        ? { DATABASE_URL: databaseUrl(postgresUrl, await currentDatabase(handle.db)) }
        : {}),
    };
  } finally {
    if (engine === "pglite") await handle.close();
  }
  try {
    const out = path.join(dataDir, "bench-archives");
    const backup = timed(["backup", "--out", out], env);
    const [archive] = fs.readdirSync(out);
    const size = fs.statSync(path.join(out, archive as string)).size;
    console.log(
      `backup (${engine}): attest backup ${backup.seconds.toFixed(1)} s, peak RSS ${backup.peakMb} MB, archive ${(size / 1024 / 1024).toFixed(0)} MB`,
    );
    const test = timed(["restore-test", "--from", path.join(out, archive as string)], env);
    console.log(
      `backup (${engine}): attest restore-test ${test.seconds.toFixed(1)} s, peak RSS ${test.peakMb} MB (${test.passed ? "passed" : "FAILED"})`,
    );
  } finally {
    if (engine === "postgres") await cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function currentDatabase(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  return rows[0]?.name as string;
}

/** Runs the CLI under /usr/bin/time: wall seconds and the child's peak resident set. */
function timed(args: string[], env: Record<string, string>) {
  const report = path.join(os.tmpdir(), `attest-bench-time-${process.pid}-${Date.now()}`);
  const started = performance.now();
  let passed = true;
  try {
    execFileSync("/usr/bin/time", ["-f", "%M", "-o", report, "node", "bin/attest.js", ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch {
    passed = false;
  }
  const seconds = (performance.now() - started) / 1000;
  const kilobytes = Number(fs.readFileSync(report, "utf8").trim().split("\n").at(-1));
  fs.rmSync(report, { force: true });
  return { seconds, peakMb: Math.round(kilobytes / 1024), passed };
}
