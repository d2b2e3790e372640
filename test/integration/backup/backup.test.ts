import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackupResult } from "../../../src/backup/export.ts";
import { recordRestoreTest } from "../../../src/backup/record.ts";
import { extrasOf, loadArchive, migrateToArchive } from "../../../src/backup/restore.ts";
import { runRestoreTest } from "../../../src/backup/restore-test.ts";
import { verifyArchive } from "../../../src/platform/backup-archive.ts";
import { Keyring } from "../../../src/platform/keyring.ts";
import { buildServer } from "../../../src/server.ts";
import { Client } from "../../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { backupOf, createWorld, rowCounts, rowsOf, type World } from "./round-trip.ts";

let world: World;
let backup: BackupResult;
beforeAll(async () => {
  world = await createWorld();
  backup = await backupOf(world);
}, 240_000);
afterAll(async () => {
  await world.t.close();
  fs.rmSync(world.scratch, { recursive: true, force: true });
});

describe("attest backup", () => {
  it("writes one archive of every table and every stored file, checked against their rows", async () => {
    expect(path.basename(backup.file)).toMatch(/^attest-backup-\d{8}T\d{9}Z\.attest-backup$/);
    expect(fs.readdirSync(path.dirname(backup.file))).toEqual([path.basename(backup.file)]);
    expect(backup.problems).toEqual([]);
    expect(backup.files.count).toBe(4); // three evidence files and a trust document
    const live = await rowCounts(world.t.deps.db, Object.keys(backup.rows));
    expect(backup.rows).toEqual(live);
    expect(backup.rows.organizations).toBe(2);
    expect(backup.rows.audit_events).toBeGreaterThan(2000);
    const verified = await verifyArchive(backup.file, { keyring: world.t.deps.keyring });
    if (!verified.ok) throw verified.error;
    expect(extrasOf(verified.manifest).migrations.length).toBeGreaterThan(10);
  });

  it("names a stored file that no longer matches its row, and still archives it", async () => {
    const [first] = (await rowsOf(world.t.deps.db, "evidence", "id"))
      .map((line) => JSON.parse(line))
      .filter((row) => row.storage_key);
    const file = path.join(world.dataDir, "evidence", first.storage_key);
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([original.subarray(0, 5), Buffer.from("tampered")]));
    try {
      const result = await backupOf(world, path.join(world.scratch, "tampered"));
      expect(result.problems).toEqual([
        `evidence file ${first.storage_key}: the authentication tag does not match`,
      ]);
      const report = await runRestoreTest({ file: result.file, keyring: world.t.deps.keyring });
      expect(report.passed).toBe(false);
      expect(report.checks.find((c) => c.name === "evidence files")?.detail).toContain(
        first.storage_key,
      );
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 120_000);
});

describe("attest restore-test", () => {
  it("restores into a scratch database and passes every check", async () => {
    const report = await runRestoreTest({ file: backup.file, keyring: world.t.deps.keyring });
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([
      ["archive integrity", true],
      ["restore", true],
      ["row counts", true],
      ["evidence files", true],
      ["audit chains", true],
    ]);
    expect(report.passed).toBe(true);
    expect(report.archiveName).toBe(path.basename(backup.file));
    expect(report.backupTakenAt).toEqual(backup.takenAt);
    expect(report.archiveSha256).toBe(backup.sha256);
    expect(report.checks[4]?.detail).toMatch(/^2 organizations/);

    // Recorded in the live database as a restore test of the "Attest" system.
    await recordRestoreTest(world.t.deps.db, report);
    const listed = await world.org.owner.client.get("/api/v1/continuity/restore-tests");
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        system: expect.objectContaining({ name: "Attest" }),
        automated: true,
        result: "passed",
        successful: true,
        checkCount: 5,
        backupTakenAt: backup.takenAt.toISOString(),
      }),
    ]);
  }, 120_000);
});

describe("attest restore", () => {
  let target: TestDatabase;
  let filesRoot: string;
  beforeAll(async () => {
    target = await createTestDatabase();
    filesRoot = path.join(world.scratch, "restored");
  });
  afterAll(async () => {
    await target.close();
  });

  it("refuses a corrupted, truncated or wrong-key archive and writes nothing", async () => {
    const bytes = fs.readFileSync(backup.file);
    const corrupted = Buffer.from(bytes);
    const middle = Math.floor(bytes.length / 2);
    corrupted.writeUInt8(corrupted.readUInt8(middle) ^ 0xff, middle);
    const cases: [string, Buffer, Keyring, RegExp][] = [
      [
        "corrupted",
        corrupted,
        world.t.deps.keyring,
        /corrupted: chunk \d+ .* fails authentication/,
      ],
      ["truncated", bytes.subarray(0, bytes.length - 1000), world.t.deps.keyring, /truncated/],
      ["wrong key", bytes, Keyring.of(randomBytes(32)), /opens with none of the master keys/],
    ];
    for (const [name, content, keyring, message] of cases) {
      const file = path.join(world.scratch, `${name}.attest-backup`);
      fs.writeFileSync(file, content);
      await expect(loadArchive(target.db, file, { keyring, filesRoot }), name).rejects.toThrow(
        message,
      );
      const report = await runRestoreTest({ file, keyring });
      expect(report.passed, name).toBe(false);
      expect(report.checks[0]?.detail, name).toMatch(message);
    }
    const counts = await rowCounts(target.db, ["organizations", "users", "audit_events"]);
    expect(counts).toEqual({ organizations: 0, users: 0, audit_events: 0 });
    expect(
      fs.existsSync(path.join(filesRoot, "evidence"))
        ? fs.readdirSync(path.join(filesRoot, "evidence"))
        : [],
    ).toEqual([]);
  }, 120_000);

  it("gives an empty database the same rows and stored files, every file downloadable", async () => {
    const verified = await verifyArchive(backup.file, { keyring: world.t.deps.keyring });
    if (!verified.ok) throw verified.error;
    await migrateToArchive(target.db, extrasOf(verified.manifest));
    const loaded = await loadArchive(target.db, backup.file, {
      keyring: world.t.deps.keyring,
      filesRoot,
    });
    expect(loaded.files.count).toBe(4);
    // The live database has moved on since (the restore test was recorded): the restored
    // rows are the archive's, each equal to the live row it was read from.
    expect(await rowCounts(target.db, Object.keys(backup.rows))).toEqual(backup.rows);
    for (const table of ["organizations", "users", "people", "evidence", "audit_events"]) {
      const restored = await rowsOf(target.db, table, "id");
      expect(restored.length, table).toBe(backup.rows[table]);
      expect(await rowsOf(world.t.deps.db, table, "id"), table).toEqual(
        expect.arrayContaining(restored),
      );
    }

    // The restored installation serves the files; the owner's session came back with it.
    const app = await buildServer(
      { ...world.t.deps, db: target.db, config: { ...world.t.deps.config, dataDir: filesRoot } },
      { logger: false },
    );
    try {
      const client = new Client(app);
      client.cookie = world.org.owner.client.cookie;
      for (const file of world.files) {
        const reply = await client.get(`/api/v1/evidence/${file.id}/download`);
        expect(reply.status).toBe(200);
        expect(reply.body).toBe(file.content);
      }
    } finally {
      await app.close();
    }
  }, 120_000);

  it("refuses a database that holds an organization unless forced, then replaces it", async () => {
    await expect(
      loadArchive(target.db, backup.file, { keyring: world.t.deps.keyring, filesRoot }),
    ).rejects.toThrow(/already holds organizations.*--force/);
    const loaded = await loadArchive(target.db, backup.file, {
      keyring: world.t.deps.keyring,
      filesRoot,
      force: true,
    });
    expect(loaded.rows).toEqual(backup.rows);
    expect(await rowCounts(target.db, ["organizations"])).toEqual({ organizations: 2 });
  }, 120_000);
});

describe("a backup taken while writes happen", () => {
  it("is one consistent snapshot: its restore test passes", async () => {
    let writing = true;
    let written = 0;
    const writes = (async () => {
      while (writing) {
        const reply = await world.org.owner.client.post("/api/v1/evidence/links", {
          controlKey: "asset-inventory",
          title: `Written during the backup ${written}`,
          evidenceDate: new Date().toISOString().slice(0, 10),
          url: `https://evidence.example.test/during/${written}`,
        });
        expect(reply.status).toBe(201);
        written++;
      }
    })();
    const result = await backupOf(world, path.join(world.scratch, "during"));
    writing = false;
    await writes;
    expect(written).toBeGreaterThan(0);
    const report = await runRestoreTest({ file: result.file, keyring: world.t.deps.keyring });
    expect(report.checks.filter((c) => !c.passed)).toEqual([]);
    // Every link the snapshot holds has its audit event, and no event lacks its link.
    const counts = await rowCounts(world.t.deps.db, ["evidence"]);
    expect(result.rows.evidence).toBeLessThanOrEqual(counts.evidence as number);
  }, 180_000);
});
