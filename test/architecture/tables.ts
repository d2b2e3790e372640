import fs from "node:fs";
import path from "node:path";
import { type Lexed, lex, lineAt, relative, SRC, sourceFiles } from "./source.ts";

/** Kysely's own bookkeeping, created by the migrator: no area's, and no area names them. */
export const MIGRATOR_TABLES = ["kysely_migration", "kysely_migration_lock"];

/** Every table of the schema: the members of `Database` and of the `…Tables` it extends. */
export function schemaTables(): Set<string> {
  const files = [path.join(SRC, "db", "types.ts"), ...sourceFiles(path.join(SRC, "db", "tables"))];
  const tables = new Set<string>();
  for (const file of files) {
    const { code } = lex(fs.readFileSync(file, "utf8"));
    for (const block of code.matchAll(/interface\s+(?:Database|\w+Tables)\b[^{]*\{([^}]*)\}/g)) {
      for (const member of (block[1] ?? "").matchAll(/^\s*(\w+)\s*:/gm))
        tables.add(member[1] ?? "");
    }
  }
  return tables;
}

/** A table named in a source file, and where. */
export interface TableUse {
  table: string;
  line: number;
  how: string;
}

const BUILDER =
  /\.\s*(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|innerJoinLateral|leftJoinLateral|crossJoinLateral|using)\s*\(\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/g;
const WITH = /\.\s*(?:with|withRecursive|withMaterialized|withNotMaterialized)\s*\(\s*["']([\w]+)/g;
const SQL_TABLE = /\bsql\s*\.\s*(?:table|id)\s*\(\s*["']([\w.]+)["']/g;
const RAW_TABLE = /\b(from|join|update|into)\s+("?)([a-z_][a-z0-9_.]*)\2/gi;
const RAW_CTE = /\b([a-z_][a-z0-9_]*)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi;

/** "public.users as u" → "users". */
function tableOf(name: string): string {
  const bare = name.trim().split(/\s+/)[0] ?? "";
  return bare.split(".").pop() ?? bare;
}

/**
 * The tables a source names: as Kysely builders (selectFrom, insertInto, updateTable,
 * deleteFrom, joins, merge `using`), as `sql.table`, and in raw SQL (`from x`, `join x`,
 * `update x`, `into x`). Common-table-expression names defined in the file are not tables;
 * in raw SQL only the schema's table names count (`extract(day from created_at)` names none).
 */
export function tableUses(source: string, tables: Set<string>): TableUse[] {
  const lexed: Lexed = lex(source);
  const ctes = new Set<string>();
  for (const match of lexed.code.matchAll(WITH)) ctes.add(match[1] ?? "");
  const sqlTexts = lexed.templates.filter((t) => t.tag === "sql" || t.tag.endsWith(".sql"));
  for (const template of sqlTexts) {
    for (const match of template.text.matchAll(RAW_CTE)) ctes.add((match[1] ?? "").toLowerCase());
  }

  const uses: TableUse[] = [];
  for (const match of lexed.code.matchAll(BUILDER)) {
    for (const name of (match[2] ?? "").matchAll(/["']([^"']+)["']/g)) {
      const table = tableOf(name[1] ?? "");
      if (ctes.has(table)) continue;
      uses.push({ table, line: lineAt(source, match.index), how: match[1] ?? "" });
    }
  }
  for (const match of lexed.code.matchAll(SQL_TABLE)) {
    const table = tableOf(match[1] ?? "");
    if (tables.has(table))
      uses.push({ table, line: lineAt(source, match.index), how: "sql.table" });
  }
  for (const template of sqlTexts) {
    for (const match of template.text.matchAll(RAW_TABLE)) {
      const table = tableOf((match[3] ?? "").toLowerCase());
      if (!tables.has(table) || ctes.has(table)) continue;
      const how = `sql ${(match[1] ?? "").toLowerCase()}`;
      uses.push({ table, line: lineAt(source, template.offset), how });
    }
  }
  return uses;
}

export { relative };
