import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeBackup } from "../../../src/backup/export.ts";
import { openPglite } from "../../../src/db/database.ts";
import { evidence, organization } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { attest } from "../../helpers/cli-process.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { testEngine } from "../../helpers/engines.ts";
import { rowCounts } from "./round-trip.ts";

/**
 * The three commands as real processes, on a database of their own: PGlite on disk (the CLI
 * opens it while nothing else has it) or a PostgreSQL database.
 */
let t: TestApp;
let scratch: string;
let archive: string;
let target: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "attest-backup-cli-"));
  const dataDir = path.join(scratch, "source");
  t = await createTestApp({ dataDir });
  const org = await organization(t, { name: "Cli Co" });
  await evidence(org, { file: "a file kept through the backup\n" });
  archive = (
    await takeBackup({
      db: t.deps.db,
      engine: t.deps.engine,
      dataDir,
      keyring: t.deps.keyring,
      outDir: path.join(scratch, "archives"),
    })
  ).file;
  const targetDir = path.join(scratch, "target");
  target = await createTestDatabase({ onDisk: path.join(targetDir, "pg") });
  if (testEngine() === "pglite") await target.close(); // the CLI opens it
  env = {
    ...target.env,
    ATTEST_DATA_DIR: targetDir,
    ATTEST_MASTER_KEY: t.deps.keyring.current.key.toString("base64"),
  };
}, 120_000);
afterAll(async () => {
  await t.close();
  if (testEngine() === "postgres") await target.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Counts in the target database, opened for the moment on PGlite. */
async function targetCounts(tables: string[]) {
  if (testEngine() === "postgres") return rowCounts(target.db, tables);
  const handle = await openPglite({ dataDir: path.join(env.ATTEST_DATA_DIR as string, "pg") });
  try {
    return await rowCounts(handle.db, tables);
  } finally {
    await handle.close();
  }
}

describe("attest restore, backup and restore-test as processes", () => {
  it("refuses a corrupted archive with a clear message and writes nothing", async () => {
    const bytes = fs.readFileSync(archive);
    const corrupted = path.join(scratch, "corrupted.attest-backup");
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    fs.writeFileSync(corrupted, bytes);
    const run = await attest(["restore", "--from", corrupted], env);
    expect(run.stderr).toMatch(/The archive is corrupted: .*\. Nothing was restored\./);
    expect(run.code).toBe(1);
    expect(await targetCounts(["organizations"])).toEqual({ organizations: 0 });
  }, 120_000);

  it("restores into the empty database, then refuses it unless --force", async () => {
    const first = await attest(["restore", "--from", archive], env);
    expect(first.stderr).not.toContain("Error");
    expect(first.stdout).toContain(`Restored ${path.basename(archive)}`);
    expect(first.code).toBe(0);
    expect(await targetCounts(["organizations", "evidence"])).toEqual(
      await rowCounts(t.deps.db, ["organizations", "evidence"]),
    );
    expect(fs.readdirSync(path.join(env.ATTEST_DATA_DIR as string, "evidence"))).toHaveLength(1);

    const again = await attest(["restore", "--from", archive], env);
    expect(again.stderr).toContain("already holds organizations");
    expect(again.stderr).toContain("--force");
    expect(again.code).toBe(1);

    const forced = await attest(["restore", "--from", archive, "--force"], env);
    expect(forced.code).toBe(0);
    expect(await targetCounts(["organizations"])).toEqual({ organizations: 1 });
  }, 180_000);

  it("backs the restored database up again, and that archive passes its restore test", async () => {
    const out = path.join(scratch, "again");
    const backup = await attest(["backup", "--out", out], env);
    expect(backup.stdout).toContain("Backup written:");
    expect(backup.code).toBe(0);
    const [written] = fs.readdirSync(out);
    const test = await attest(["restore-test", "--from", path.join(out, written as string)], env);
    expect(test.stdout).toContain("ok      evidence files: 1 files");
    expect(test.stdout).toContain("PASSED");
    expect(test.stdout).toContain("Recorded as a restore test of the Attest system");
    expect(test.code).toBe(0);
  }, 180_000);

  it("answers a usage error with exit 2", async () => {
    const run = await attest(["restore"], env);
    expect(run.stderr).toContain("restore needs --from FILE");
    expect(run.code).toBe(2);
  }, 60_000);
});
