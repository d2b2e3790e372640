import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";

// biome-ignore lint/suspicious/noExplicitAny: the catalog is read over any schema version
type AnyDb = Kysely<any> | Kysely<Database>;

/** Kysely's own bookkeeping: the archive records the applied list in its manifest instead. */
const SKIPPED = ["attest_migrations", "attest_migrations_lock"];

/** A table as the backup reads and writes it: primary key for keyset reads, columns to insert. */
export interface TableInfo {
  name: string;
  key: string[];
  /** The key columns' SQL types, to compare a keyset cursor with them. */
  keyTypes: string[];
  columns: string[];
}

/**
 * Every table of the public schema but the migration bookkeeping, parents before children
 * (foreign keys to other tables), so rows insert in the archive's order with their checks on.
 * A table referencing itself (people's managers, users' inviters) is handled by the restore.
 */
export async function tablesOf(db: AnyDb): Promise<TableInfo[]> {
  const { rows } = await sql<{
    name: string;
    key: string[] | null;
    key_types: string[] | null;
    columns: string[];
  }>`
    select c.relname::text as name,
      (select json_agg(a.attname::text order by array_position(k.conkey, a.attnum))
         from pg_constraint k
         join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
        where k.conrelid = c.oid and k.contype = 'p') as key,
      (select json_agg(format_type(a.atttypid, a.atttypmod) order by array_position(k.conkey, a.attnum))
         from pg_constraint k
         join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
        where k.conrelid = c.oid and k.contype = 'p') as key_types,
      (select json_agg(a.attname::text order by a.attnum)
         from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          and a.attgenerated = '') as columns
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and c.relname::text not in (${sql.join(SKIPPED)})
    order by c.relname`.execute(db);
  const edges = await sql<{ child: string; parent: string }>`
    select distinct k.conrelid::regclass::text as child, k.confrelid::regclass::text as parent
    from pg_constraint k
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace
      and k.conrelid <> k.confrelid`.execute(db);
  const tables = rows.map((row) => {
    if (!row.key?.length) throw new Error(`Table ${row.name} has no primary key to read it by`);
    return { name: row.name, key: row.key, keyTypes: row.key_types ?? [], columns: row.columns };
  });
  return parentsFirst(tables, edges.rows);
}

function parentsFirst(tables: TableInfo[], edges: { child: string; parent: string }[]) {
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const edge of edges) parents.get(edge.child)?.add(edge.parent);
  const placed = new Set<string>();
  const ordered: TableInfo[] = [];
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name)) return;
    if (path.has(table.name)) throw new Error(`Foreign keys form a cycle through ${table.name}`);
    path.add(table.name);
    for (const parent of parents.get(table.name) ?? []) {
      const info = tables.find((t) => t.name === parent);
      if (info) visit(info, path);
    }
    path.delete(table.name);
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/** The migrations applied to a database, in order (none on a database never migrated). */
export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const exists = await sql<{ found: boolean }>`
    select to_regclass('attest_migrations') is not null as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  const { rows } = await sql<{ name: string }>`
    select name from attest_migrations order by name`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * Tables whose rows hold an encrypted file of the blob store, and the data directory's folder
 * the files live in. A new table with stored files must be added here: the backup refuses a
 * table with a storage_key column it does not know.
 */
export const FILE_FOLDERS: Record<string, string> = {
  evidence: "evidence",
  trust_documents: "trust-documents",
};

const FILE_COLUMNS = ["storage_key", "wrapped_key", "iv", "auth_tag", "size_bytes", "sha256"];

/** The tables with stored files, checked against FILE_FOLDERS. */
export function fileTables(tables: TableInfo[]): { table: string; folder: string }[] {
  const found: { table: string; folder: string }[] = [];
  for (const table of tables) {
    if (!table.columns.includes("storage_key")) continue;
    const folder = FILE_FOLDERS[table.name];
    if (!folder || !FILE_COLUMNS.every((column) => table.columns.includes(column))) {
      throw new Error(
        `Table ${table.name} stores files the backup does not know of: add it to FILE_FOLDERS`,
      );
    }
    found.push({ table: table.name, folder });
  }
  return found;
}
