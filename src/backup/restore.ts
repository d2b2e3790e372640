import fs from "node:fs";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { migrationNames, migrator } from "../db/migrate.ts";
import type { Database } from "../db/types.ts";
import { type ArchiveManifest, readArchive } from "../platform/backup-archive.ts";
import type { Keyring } from "../platform/keyring.ts";
import { writeNewFile } from "../platform/new-file.ts";
import { appliedMigrations, FILE_FOLDERS, tablesOf } from "./catalog.ts";
import { type AnyTx, insertLines, linesOf } from "./rows.ts";

/** A restore Attest will not do, with the one line that says why and what to do. */
export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/** What a backup's manifest records beside its entries (export.ts writes it). */
export interface BackupExtras {
  attestVersion: string;
  engine: string;
  takenAt: string;
  migrations: string[];
  rows: Record<string, number>;
  files: { count: number; bytes: number };
  problems: string[];
}

export function extrasOf(manifest: ArchiveManifest): BackupExtras {
  const extras = manifest.extras as Partial<BackupExtras>;
  if (!Array.isArray(extras.migrations) || !extras.rows || !extras.takenAt) {
    throw new RestoreRefusedError("The archive is not an Attest backup (its manifest lacks them)");
  }
  return extras as BackupExtras;
}

/**
 * Brings a database to the schema the archive was taken at: its migration list must be this
 * Attest's list or an earlier part of it (an archive of a newer Attest is refused). A database
 * at a later schema is taken back only when it holds no organization.
 */
export async function migrateToArchive(db: Kysely<Database>, extras: BackupExtras) {
  const known = migrationNames();
  const wanted = extras.migrations;
  const unknown = wanted.find((name) => !known.includes(name));
  if (unknown) {
    throw new RestoreRefusedError(
      `The archive was taken by a newer Attest (${extras.attestVersion}, migration ${unknown}): restore it with that version or later`,
    );
  }
  if (wanted.length === 0 || wanted.some((name, i) => known[i] !== name)) {
    throw new RestoreRefusedError("The archive's migration list is not one this Attest made");
  }
  const applied = await appliedMigrations(db);
  if (applied.length > wanted.length && (await organizationCount(db)) > 0) {
    throw new RestoreRefusedError(
      `The archive was taken at migration ${wanted.at(-1)}, and this database is already at ${applied.at(-1)}: restore it into an empty database (the newer migrations run after the restore)`,
    );
  }
  const result = await migrator(db).migrateTo(wanted.at(-1) as string);
  if (result.error) throw result.error;
}

export async function organizationCount(db: AnyTx): Promise<number> {
  const exists = await sql<{ found: boolean }>`
    select to_regclass('organizations') is not null as found`.execute(db);
  if (!exists.rows[0]?.found) return 0;
  return db.transaction().execute(async (tx) => {
    await sql`set local role attest_system`.execute(tx);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from organizations`.execute(
      tx,
    );
    return rows[0]?.n ?? 0;
  });
}

export interface LoadResult {
  rows: Record<string, number>;
  files: { count: number; bytes: number };
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * Replaces every row of the database with the archive's, in one transaction, and writes its
 * stored files under `filesRoot` (the data directory's layout), renamed into place only once
 * the whole archive has been read and checked and the transaction has committed. Refuses a
 * database holding an organization unless `force`. The database must be at the archive's
 * schema (migrateToArchive).
 */
export async function loadArchive(
  db: Kysely<Database>,
  file: string,
  options: {
    keyring: Keyring;
    filesRoot: string;
    force?: boolean;
    progress?: (rows: number, files: number) => void;
  },
): Promise<LoadResult> {
  const tables = await tablesOf(db);
  const byName = new Map(tables.map((table) => [table.name, table]));
  const written: string[] = [];
  const rows: Record<string, number> = {};
  const files = { count: 0, bytes: 0 };
  let rowsSoFar = 0;
  try {
    await db.transaction().execute(async (tx) => {
      if (!options.force && (await countOrganizations(tx)) > 0) {
        throw new RestoreRefusedError(
          "The database already holds organizations: restoring replaces everything in it. Run again with --force to replace it, or point Attest at an empty database",
        );
      }
      const undo = await relaxConstraints(tx);
      await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(tx);
      await sql`set local role attest_system`.execute(tx);
      const input = fs.createReadStream(file);
      const reader = readArchive(input, { keyring: options.keyring });
      for await (const entry of reader) {
        const [kind, ...rest] = entry.name.split("/");
        if (kind === "tables") {
          const table = byName.get(rest.join("/").replace(/\.jsonl$/, ""));
          if (!table)
            throw new RestoreRefusedError(`The archive holds an unknown table: ${entry.name}`);
          rows[table.name] = await insertLines(tx, table, linesOf(entry.stream), (count) => {
            rowsSoFar += count;
            options.progress?.(rowsSoFar, files.count);
          });
        } else if (kind === "files") {
          const [folder, key] = rest;
          if (
            !folder ||
            !key ||
            !Object.values(FILE_FOLDERS).includes(folder) ||
            !KEY_PATTERN.test(key)
          ) {
            throw new RestoreRefusedError(`The archive holds an unexpected file: ${entry.name}`);
          }
          const directory = path.join(options.filesRoot, folder);
          await fs.promises.mkdir(directory, { recursive: true, mode: 0o700 });
          const partial = path.join(directory, `${key}.restoring`);
          written.push(partial);
          await writeNewFile(partial, entry.stream, [], { replace: true });
        } else {
          throw new RestoreRefusedError(`The archive holds an unexpected entry: ${entry.name}`);
        }
        const done = await entry.done;
        if (kind === "files") {
          files.count += 1;
          files.bytes += done.size;
          options.progress?.(rowsSoFar, files.count);
        }
      }
      const extras = extrasOf(await reader.manifest());
      for (const [table, count] of Object.entries(extras.rows)) {
        if ((rows[table] ?? 0) !== count) {
          throw new RestoreRefusedError(
            `Table ${table}: ${rows[table] ?? 0} rows restored, the manifest records ${count}`,
          );
        }
      }
      await sql`set local role none`.execute(tx);
      await undo();
    });
  } catch (error) {
    for (const partial of written) await fs.promises.rm(partial, { force: true });
    throw error;
  }
  for (const partial of written) {
    await fs.promises.rename(partial, partial.slice(0, -".restoring".length));
  }
  return { rows, files };
}

async function countOrganizations(tx: AnyTx): Promise<number> {
  await sql`set local role attest_system`.execute(tx);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from organizations`.execute(
    tx,
  );
  await sql`set local role none`.execute(tx);
  return rows[0]?.n ?? 0;
}

/**
 * As the tables' owner, inside the restore's transaction: user triggers off (people's numbers
 * and the audit trail's append-only guard would rewrite or refuse the rows as they were),
 * foreign keys of a table to itself deferred to the commit (a manager may come after the
 * person). Answers the undo, which also sets the sequences past the restored values.
 */
async function relaxConstraints(tx: AnyTx): Promise<() => Promise<void>> {
  const triggers = await sql<{ table: string; name: string }>`
    select tgrelid::regclass::text as table, tgname::text as name from pg_trigger
    where not tgisinternal and tgrelid in (
      select oid from pg_class where relnamespace = 'public'::regnamespace)`.execute(tx);
  const selfKeys = await sql<{ table: string; name: string }>`
    select conrelid::regclass::text as table, conname::text as name from pg_constraint
    where contype = 'f' and connamespace = 'public'::regnamespace and conrelid = confrelid
      and not condeferrable`.execute(tx);
  for (const t of triggers.rows) {
    await sql`alter table ${sql.table(t.table)} disable trigger ${sql.ref(t.name)}`.execute(tx);
  }
  for (const k of selfKeys.rows) {
    await sql`alter table ${sql.table(k.table)} alter constraint ${sql.ref(k.name)}
      deferrable initially deferred`.execute(tx);
  }
  return async () => {
    const sequences = await sql<{ table: string; column: string; sequence: string }>`
      select c.relname::text as table, a.attname::text as column,
        pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
      from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
        and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null`.execute(tx);
    for (const s of sequences.rows) {
      await sql`select setval(${s.sequence}::regclass,
        coalesce((select max(${sql.ref(s.column)}) from ${sql.table(s.table)}), 0) + 1, false)`.execute(
        tx,
      );
    }
    await sql`set constraints all immediate`.execute(tx);
    for (const k of selfKeys.rows) {
      await sql`alter table ${sql.table(k.table)} alter constraint ${sql.ref(k.name)}
        not deferrable`.execute(tx);
    }
    for (const t of triggers.rows) {
      await sql`alter table ${sql.table(t.table)} enable trigger ${sql.ref(t.name)}`.execute(tx);
    }
  };
}
