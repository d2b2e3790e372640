import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { type Kysely, sql } from "kysely";
import { openPglite } from "../db/database.ts";
import type { Database } from "../db/types.ts";
import { verifyAuditChains } from "../modules/audit-log/audit-log.service.ts";
import { ArchiveError, type ArchiveManifest, readArchive } from "../platform/backup-archive.ts";
import { verifySealed } from "../platform/envelope.ts";
import type { Keyring } from "../platform/keyring.ts";
import { fileTables, tablesOf } from "./catalog.ts";
import { type BackupExtras, extrasOf, loadArchive, migrateToArchive } from "./restore.ts";

/** The report of one restore test (contract C2's AttestRestoreReport). */
export interface RestoreTestReport {
  startedAt: Date;
  finishedAt: Date;
  backupTakenAt: Date;
  archiveName: string;
  archiveSha256: string;
  restoredInto: string;
  checks: { name: string; passed: boolean; detail: string }[];
  passed: boolean;
}

export const SCRATCH_DESCRIPTION =
  "scratch embedded database (PGlite) in a temporary directory, discarded afterwards";

/**
 * Verifies an archive, restores it into a scratch embedded database in a temporary directory
 * (at the archive's schema), and compares: rows per table with the manifest, every stored
 * file with its row (decrypted with its envelope, SHA-256 compared), every organization's
 * audit chain. The scratch directory is removed whatever happens. Writes nothing else.
 */
export async function runRestoreTest(options: {
  file: string;
  keyring: Keyring;
  progress?: (message: string) => void;
  now?: () => Date;
}): Promise<RestoreTestReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const checks: RestoreTestReport["checks"] = [];
  const say = options.progress ?? (() => {});
  const archiveName = path.basename(options.file);
  let backupTakenAt = (await fs.promises.stat(options.file)).mtime;
  say(`verifying ${archiveName}…`);
  const verified = await verifyWithSha256(options.file, options.keyring);
  const finish = (): RestoreTestReport => ({
    startedAt,
    finishedAt: now(),
    backupTakenAt,
    archiveName,
    archiveSha256: verified.sha256,
    restoredInto: SCRATCH_DESCRIPTION,
    checks,
    passed: checks.length > 0 && checks.every((check) => check.passed),
  });
  if (!verified.manifest) {
    checks.push({ name: "archive integrity", passed: false, detail: verified.error });
    return finish();
  }
  let extras: BackupExtras;
  try {
    extras = extrasOf(verified.manifest);
  } catch (error) {
    checks.push({ name: "archive integrity", passed: false, detail: (error as Error).message });
    return finish();
  }
  backupTakenAt = new Date(extras.takenAt);
  checks.push({
    name: "archive integrity",
    passed: true,
    detail: `${verified.manifest.entries.length} entries authenticated and matching their SHA-256; whole file ${verified.bytes} bytes`,
  });

  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), "attest-restore-test-"));
  try {
    const database = await openPglite({ dataDir: path.join(scratch, "pg") });
    try {
      try {
        say("migrating the scratch database to the archive's schema…");
        await migrateToArchive(database.db, extras);
        say("restoring…");
        await loadArchive(database.db, options.file, {
          keyring: options.keyring,
          filesRoot: scratch,
        });
        checks.push({
          name: "restore",
          passed: true,
          detail: `restored at migration ${extras.migrations.at(-1)}`,
        });
      } catch (error) {
        checks.push({ name: "restore", passed: false, detail: (error as Error).message });
        return finish();
      }
      say("comparing…");
      checks.push(await compareRows(database.db, extras));
      checks.push(await compareFiles(database.db, scratch, options.keyring));
      checks.push(await compareAuditChains(database.db));
    } finally {
      await database.close();
    }
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
  return finish();
}

/** Reads the archive through once: its manifest (or why it is refused) and the file's SHA-256. */
async function verifyWithSha256(
  file: string,
  keyring: Keyring,
): Promise<{ manifest?: ArchiveManifest; error: string; sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const input = fs.createReadStream(file);
  input.pipe(hashing);
  try {
    const manifest = await readArchive(hashing, { keyring: keyring }).manifest();
    return { manifest, error: "", sha256: hash.digest("hex"), bytes };
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    // The rest of the file, for the record's checksum of what was tested.
    input.unpipe(hashing);
    const whole = createHash("sha256");
    for await (const chunk of fs.createReadStream(file)) whole.update(chunk as Buffer);
    return { error: error.message, sha256: whole.digest("hex"), bytes };
  } finally {
    input.destroy();
  }
}

async function compareRows(db: Kysely<Database>, extras: BackupExtras) {
  const differences: string[] = [];
  let total = 0;
  await db.transaction().execute(async (tx) => {
    await sql`set local role attest_system`.execute(tx);
    for (const [table, expected] of Object.entries(extras.rows)) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)}`.execute(tx);
      const found = rows[0]?.n ?? 0;
      total += found;
      if (found !== expected) differences.push(`${table}: ${found} rows, not ${expected}`);
    }
  });
  const tables = Object.keys(extras.rows).length;
  return {
    name: "row counts",
    passed: differences.length === 0,
    detail:
      differences.length === 0
        ? `${tables} tables, ${total} rows: every count matches the manifest`
        : differences.slice(0, 10).join("; "),
  };
}

async function compareFiles(db: Kysely<Database>, root: string, keyring: Keyring) {
  const failures: string[] = [];
  let count = 0;
  let bytes = 0;
  for (const { table, folder } of fileTables(await tablesOf(db))) {
    let after = "";
    for (;;) {
      const rows = await db.transaction().execute(async (tx) => {
        await sql`set local role attest_system`.execute(tx);
        const result = await sql<{
          storage_key: string;
          wrapped_key: string;
          iv: string;
          auth_tag: string;
          size_bytes: number;
          sha256: string;
        }>`select storage_key, wrapped_key, iv, auth_tag, size_bytes, sha256 from ${sql.table(table)}
           where storage_key is not null and storage_key > ${after}
           order by storage_key limit 500`.execute(tx);
        return result.rows;
      });
      for (const row of rows) {
        count += 1;
        const sealed = {
          wrappedKey: row.wrapped_key,
          iv: row.iv,
          authTag: row.auth_tag,
          sizeBytes: Number(row.size_bytes),
          sha256: row.sha256,
        };
        let handle: fs.promises.FileHandle;
        try {
          handle = await fs.promises.open(path.join(root, folder, row.storage_key), "r");
        } catch {
          failures.push(`${table} ${row.storage_key}: missing`);
          continue;
        }
        const verdict = await verifySealed(keyring, sealed, handle.createReadStream());
        if (verdict.ok) bytes += sealed.sizeBytes;
        else failures.push(`${table} ${row.storage_key}: ${verdict.detail}`);
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]?.storage_key as string;
    }
  }
  return {
    name: "evidence files",
    passed: failures.length === 0,
    detail:
      failures.length === 0
        ? `${count} files, ${bytes} bytes decrypted: every SHA-256 matches its record`
        : `${failures.length} of ${count} files fail: ${failures.slice(0, 5).join("; ")}`,
  };
}

async function compareAuditChains(db: Kysely<Database>) {
  const results = await verifyAuditChains(db);
  const broken = results.filter((result) => result.firstBreak);
  const events = results.reduce((sum, result) => sum + result.eventsChecked, 0);
  return {
    name: "audit chains",
    passed: broken.length === 0,
    detail:
      broken.length === 0
        ? `${results.length} organizations, ${events} events: every hash chain verifies`
        : broken
            .map((r) => `${r.organizationName}: broken at event ${r.firstBreak?.eventId}`)
            .join("; "),
  };
}
