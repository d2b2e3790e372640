import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { withSystem } from "../db/tenant.ts";
import type { Database } from "../db/types.ts";
import { sealedOfRow } from "./encrypted-files.ts";
import { verifySealed } from "./envelope.ts";
import type { Keyring } from "./keyring.ts";
import { type SecretColumns, secretColumns } from "./keyring-columns.ts";
import { declaredColumns, keyUsage } from "./keyring-rotation.ts";

/**
 * Attest's check of its own storage, read from the storage itself: every declared secret is
 * sealed with a key of the keyring (a sample of them opened), every stored file exists with the
 * size its envelope records, and a bounded sample of files is decrypted whole and its SHA-256
 * compared with the one recorded at upload (so a file kept in plaintext, truncated or altered
 * fails). Work is bounded: one grouped count per column, files read in batches by id, at most
 * `sample` values opened per column and `sample` files decrypted in all.
 */

export interface StorageCheckOptions {
  dataDir: string;
  /** Values opened per column and files decrypted in all (default 20). */
  sample?: number;
}

export interface StorageCheckResult {
  passed: boolean;
  /** Each problem found, naming the table, column or file (at most MAX_PROBLEMS). */
  problems: string[];
  values: number;
  files: number;
  decrypted: number;
  /** One paragraph for the record: what was checked and what failed. */
  detail: string;
}

const MAX_PROBLEMS = 20;
const MAX_DETAIL = 4000;
const FILE_BATCH = 1000;
const BLOB_KEY = /^[A-Za-z0-9_-]{32}$/;
const FIRST_ID = "00000000-0000-0000-0000-000000000000";

interface FileRow {
  id: string;
  storage_key: string | null;
  wrapped_key: string | null;
  iv: string | null;
  auth_tag: string | null;
  size_bytes: number | null;
  sha256: string | null;
}

export async function checkStorage(
  db: Kysely<Database>,
  keyring: Keyring,
  options: StorageCheckOptions,
): Promise<StorageCheckResult> {
  const sample = options.sample ?? 20;
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  let values = 0;
  let decrypted = 0;

  for (const usage of await keyUsage(db)) {
    values += usage.count;
    const where = `${usage.table}.${usage.column}`;
    if (usage.keyId === "unsealed") {
      const ids = await unsealedIds(db, usage.table, usage.column);
      problem(`${where}: ${usage.count} value(s) not sealed (plaintext?), e.g. row ${ids[0]}`);
    } else if (usage.keyId !== "v1" && !keyring.find(usage.keyId) && !refreshed(keyring, usage)) {
      problem(
        `${where}: ${usage.count} value(s) sealed with key ${usage.keyId}, not in the keyring`,
      );
    }
  }
  for (const { table, column } of declaredColumns()) {
    for (const row of await sampleValues(db, table, column, sample)) {
      try {
        keyring.open(row.value);
        decrypted++;
      } catch (error) {
        problem(`${table}.${column}: row ${row.id} cannot be opened (${(error as Error).message})`);
      }
    }
  }

  let files = 0;
  const toDecrypt: { declared: SecretColumns; row: FileRow }[] = [];
  for (const declared of secretColumns().filter((d) => d.kind === "wrapped-key")) {
    const directory = path.join(options.dataDir, declared.blobDirectory as string);
    let after = FIRST_ID;
    for (;;) {
      const rows = await fileRows(db, declared.table, after);
      if (rows.length === 0) break;
      after = (rows[rows.length - 1] as FileRow).id;
      for (const row of rows) {
        files++;
        const name = `${declared.table} row ${row.id}`;
        const key = row.storage_key as string;
        const stat = BLOB_KEY.test(key) ? await statOf(path.join(directory, key)) : null;
        if (!stat) problem(`${name}: the stored file ${key} is missing`);
        else if (stat.size !== Number(row.size_bytes)) {
          problem(
            `${name}: the stored file has ${stat.size} bytes, its envelope ${row.size_bytes}`,
          );
        } else if (toDecrypt.length < sample) toDecrypt.push({ declared, row });
        // Reservoir sampling keeps the decrypted files spread over the whole table.
        else {
          const slot = Math.floor(Math.random() * files);
          if (slot < sample) toDecrypt[slot] = { declared, row };
        }
      }
    }
  }
  for (const { declared, row } of toDecrypt) {
    const sealed = sealedOfRow(row);
    if (!sealed) continue;
    const file = path.join(
      options.dataDir,
      declared.blobDirectory as string,
      row.storage_key as string,
    );
    const verdict = await verifySealed(keyring, sealed, fs.createReadStream(file)).catch(
      (error: Error) => ({ ok: false as const, reason: "missing", detail: error.message }),
    );
    if (verdict.ok) decrypted++;
    else
      problem(
        `${declared.table} row ${row.id}: the stored file fails decryption: ${verdict.detail}`,
      );
  }

  const passed = problems.length === 0;
  const summary = `${values} sealed value(s) in ${declaredColumns().length} column(s), ${files} stored file(s); ${decrypted} value(s) and file(s) decrypted and compared`;
  const detail = passed
    ? `Attest's storage is encrypted: ${summary}; every value is sealed with a key of the keyring.`
    : `Attest's storage check failed: ${problems.join("; ")}. Checked ${summary}.`;
  return { passed, problems, values, files, decrypted, detail: clipped(detail) };
}

/** At most MAX_DETAIL characters: the record keeps a paragraph, the log the whole list. */
function clipped(text: string): string {
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1)}…`;
}

/** A key id unknown to this process: the key file may have been rotated by another one. */
function refreshed(keyring: Keyring, usage: { keyId: string }): boolean {
  keyring.refresh();
  return keyring.find(usage.keyId) !== undefined;
}

function statOf(file: string): Promise<fs.Stats | null> {
  return fs.promises.stat(file).catch(() => null);
}

async function unsealedIds(db: Kysely<Database>, table: string, column: string) {
  const col = sql.ref(column);
  const { rows } = await withSystem(db, (tx) =>
    sql<{ id: string }>`
      select id::text as id from ${sql.table(table)}
      where ${col} is not null and ${col} not like 'v1.%' and ${col} not like 'v2.%'
      order by id limit 5`.execute(tx),
  );
  return rows.map((r) => r.id);
}

/** Up to n values from a random point of the table on, wrapping round (index ranges, no sort). */
async function sampleValues(db: Kysely<Database>, table: string, column: string, n: number) {
  const col = sql.ref(column);
  const start = randomUUID();
  const from = (range: RawBuilder<unknown>, limit: number) =>
    withSystem(db, (tx) =>
      sql<{ id: string; value: string }>`
        select id::text as id, ${col} as value from ${sql.table(table)}
        where (${col} like 'v1.%' or ${col} like 'v2.%') and ${range}
        order by id limit ${limit}`.execute(tx),
    );
  const first = (await from(sql`id >= ${start}::uuid`, n)).rows;
  if (first.length === n) return first;
  return [...first, ...(await from(sql`id < ${start}::uuid`, n - first.length)).rows];
}

async function fileRows(db: Kysely<Database>, table: string, after: string): Promise<FileRow[]> {
  const { rows } = await withSystem(db, (tx) =>
    sql<FileRow>`
      select id::text as id, storage_key, wrapped_key, iv, auth_tag, size_bytes, sha256
      from ${sql.table(table)}
      where storage_key is not null and id > ${after}::uuid
      order by id limit ${FILE_BATCH}`.execute(tx),
  );
  return rows;
}
