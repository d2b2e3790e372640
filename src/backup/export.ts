import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { finished } from "node:stream/promises";
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { createArchiveWriter } from "../platform/backup-archive.ts";
import { createOpener } from "../platform/envelope.ts";
import type { Keyring } from "../platform/keyring.ts";
import { appliedMigrations, fileTables, type TableInfo, tablesOf } from "./catalog.ts";
import { type AnyTx, linesOf, tableLines } from "./rows.ts";

/** Recorded in each archive's manifest (server.ts serves the same version in its API docs). */
export const ATTEST_VERSION = "0.1.0";

export const ARCHIVE_SUFFIX = ".attest-backup";
const ARCHIVE_PATTERN = /^attest-backup-\d{8}T\d{9}Z\.attest-backup$/;

export interface BackupProgress {
  /** What is being written: a table's rows or the stored files. */
  phase: "rows" | "files";
  /** The table being read, in the rows phase. */
  table?: string;
  rows: number;
  files: number;
  /** Bytes read so far (rows as JSON, files as stored). */
  bytes: number;
}

export interface BackupResult {
  file: string;
  takenAt: Date;
  bytes: number;
  sha256: string;
  rows: Record<string, number>;
  files: { count: number; bytes: number };
  /** Stored files missing or not matching their row (they are in the archive as found). */
  problems: string[];
}

/** One stored file as its row describes it: written to a list on disk, not held in memory. */
interface FileRecord {
  table: string;
  folder: string;
  key: string;
  wrappedKey: string;
  iv: string;
  authTag: string;
  size: number;
  sha256: string;
}

/**
 * Writes one archive of the whole database and the stored files into `outDir`: every table
 * read in one REPEATABLE READ, READ ONLY transaction as attest_system (which row-level
 * security lets see every organization), as JSON lines per table in batches by keyset; then
 * every stored file the snapshot's rows name, as stored (encrypted), checked against its row
 * while written. Written to a `.part` name and renamed once complete.
 */
export async function takeBackup(options: {
  db: Kysely<Database>;
  engine: string;
  dataDir: string;
  keyring: Keyring;
  outDir: string;
  progress?: (progress: BackupProgress) => void;
  now?: Date;
}): Promise<BackupResult> {
  const takenAt = options.now ?? new Date();
  await fs.promises.mkdir(options.outDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.outDir, archiveName(takenAt));
  const partial = `${file}.part`;
  const listFile = `${file}.files-${randomBytes(6).toString("hex")}`;
  const progress: BackupProgress = { phase: "rows", rows: 0, files: 0, bytes: 0 };
  const tell = () => options.progress?.({ ...progress });
  const output = fs.createWriteStream(partial, { flags: "wx", mode: 0o600 });
  const writer = createArchiveWriter(output, { keyring: options.keyring });
  const rows: Record<string, number> = {};
  const problems: string[] = [];
  const files = { count: 0, bytes: 0 };
  try {
    const list = fs.createWriteStream(listFile, { flags: "wx", mode: 0o600 });
    const migrations = await options.db.transaction().execute(async (tx) => {
      await sql`set transaction isolation level repeatable read, read only`.execute(tx);
      const applied = await appliedMigrations(tx);
      await sql`set local role attest_system`.execute(tx);
      const tables = await tablesOf(tx);
      for (const table of tables) {
        progress.table = table.name;
        rows[table.name] = 0;
        const lines = tableLines(tx, table, (count, bytes) => {
          rows[table.name] = (rows[table.name] ?? 0) + count;
          progress.rows += count;
          progress.bytes += bytes;
          tell();
        });
        await writer.addEntry(`tables/${table.name}.jsonl`, undefined, Readable.from(lines));
      }
      for (const { table, folder } of fileTables(tables)) {
        await listFiles(tx, tables.find((t) => t.name === table) as TableInfo, folder, list);
      }
      return applied;
    });
    list.end();
    await finished(list);

    progress.phase = "files";
    progress.table = undefined;
    for await (const line of linesOf(fs.createReadStream(listFile))) {
      const record = JSON.parse(line) as FileRecord;
      const added = await addFile(writer, options.dataDir, record, options.keyring);
      if (added.problem) problems.push(added.problem);
      if (added.bytes !== undefined) {
        files.count += 1;
        files.bytes += added.bytes;
        progress.files += 1;
        progress.bytes += added.bytes;
        tell();
      }
    }
    const summary = await writer.finish({
      attestVersion: ATTEST_VERSION,
      engine: options.engine,
      takenAt: takenAt.toISOString(),
      migrations,
      rows,
      files,
      problems,
    });
    await fs.promises.rename(partial, file);
    return { file, takenAt, bytes: summary.bytes, sha256: summary.sha256, rows, files, problems };
  } catch (error) {
    output.destroy();
    await fs.promises.rm(partial, { force: true });
    throw error;
  } finally {
    await fs.promises.rm(listFile, { force: true });
  }
}

/** `attest-backup-20261203T091700123Z.attest-backup`: names sort as the times they were taken. */
export function archiveName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, "");
  return `attest-backup-${stamp}${ARCHIVE_SUFFIX}`;
}

/** The archives of a backup directory, oldest first (only complete ones: no `.part`). */
export async function archivesIn(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => ARCHIVE_PATTERN.test(name))
    .sort()
    .map((name) => path.join(directory, name));
}

/** Deletes the oldest archives beyond `keep`; answers the files removed. */
export async function pruneArchives(directory: string, keep: number): Promise<string[]> {
  const archives = await archivesIn(directory);
  const removed = archives.slice(0, Math.max(0, archives.length - keep));
  for (const file of removed) await fs.promises.rm(file, { force: true });
  return removed;
}

async function listFiles(tx: AnyTx, table: TableInfo, folder: string, list: fs.WriteStream) {
  const t = sql.table(table.name);
  let after = "";
  for (;;) {
    const { rows } = await sql<{
      storage_key: string;
      wrapped_key: string;
      iv: string;
      auth_tag: string;
      size_bytes: number;
      sha256: string;
    }>`select storage_key, wrapped_key, iv, auth_tag, size_bytes, sha256 from ${t}
       where storage_key is not null and storage_key > ${after}
       order by storage_key limit 1000`.execute(tx);
    for (const row of rows) {
      const record: FileRecord = {
        table: table.name,
        folder,
        key: row.storage_key,
        wrappedKey: row.wrapped_key,
        iv: row.iv,
        authTag: row.auth_tag,
        size: Number(row.size_bytes),
        sha256: row.sha256,
      };
      if (!list.write(`${JSON.stringify(record)}\n`)) {
        await once(list, "drain");
      }
    }
    if (rows.length < 1000) return;
    after = rows[rows.length - 1]?.storage_key as string;
  }
}

/**
 * Streams one stored file into the archive as it is (ciphertext), decrypting a copy on the way
 * to check it against its row: tag, size and SHA-256. A missing file is a problem, not an
 * entry; a file that does not match goes in as found and is named as a problem.
 */
async function addFile(
  writer: ReturnType<typeof createArchiveWriter>,
  dataDir: string,
  record: FileRecord,
  keyring: Keyring,
): Promise<{ bytes?: number; problem?: string }> {
  const where = `${record.table} file ${record.key}`;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path.join(dataDir, record.folder, record.key), "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { problem: `${where}: the stored file is missing` };
    }
    throw error;
  }
  const { size } = await handle.stat();
  const check = fileCheck(record, keyring);
  await writer.addEntry(
    `files/${record.folder}/${record.key}`,
    size,
    handle.createReadStream().pipe(check.stream),
  );
  const problem = check.problem();
  return { bytes: size, ...(problem ? { problem: `${where}: ${problem}` } : {}) };
}

function fileCheck(record: FileRecord, keyring: Keyring) {
  let problem: string | undefined;
  let opener: ReturnType<typeof createOpener> | undefined;
  try {
    opener = createOpener(keyring, record);
  } catch {
    problem = "its data key does not open with this master key";
  }
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (opener) {
        const plain = opener.update(chunk);
        size += plain.length;
        hash.update(plain);
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (opener) {
        try {
          const plain = opener.final();
          size += plain.length;
          hash.update(plain);
          if (size !== record.size) problem = `${size} bytes instead of ${record.size}`;
          else if (hash.digest("hex") !== record.sha256) problem = "the SHA-256 does not match";
        } catch {
          problem = "the authentication tag does not match";
        }
      }
      callback();
    },
  });
  return { stream, problem: () => problem };
}
