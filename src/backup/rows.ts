import { type Kysely, sql, type Transaction } from "kysely";
import type { TableInfo } from "./catalog.ts";

// biome-ignore lint/suspicious/noExplicitAny: rows are copied over any schema version
export type AnyTx = Transaction<any> | Kysely<any>;

const READ_BATCH = 1000;
const WRITE_BATCH_ROWS = 1000;
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * A table's rows as JSON lines (PostgreSQL's own `row_to_json`, which json_populate_recordset
 * reads back exactly: timestamps, numerics, bytea, arrays and jsonb alike), read in batches by
 * keyset on the primary key. `onRows` hears each batch's count.
 */
export async function* tableLines(
  tx: AnyTx,
  table: TableInfo,
  onRows: (rows: number, bytes: number) => void = () => {},
): AsyncGenerator<Buffer> {
  const t = sql.table(table.name);
  const key = sql.join(table.key.map((column) => sql.ref(`t.${column}`)));
  let last: Record<string, unknown> | undefined;
  for (;;) {
    // The last row's key as typed parameters, so the comparison walks the primary key's index.
    const after =
      last === undefined
        ? sql`true`
        : sql`(${key}) > (${sql.join(
            table.key.map((column, i) => {
              const value = (last as Record<string, unknown>)[column];
              const text = typeof value === "string" ? value : JSON.stringify(value);
              return sql`${text}::${sql.raw(table.keyTypes[i] ?? "text")}`;
            }),
          )})`;
    const { rows } = await sql<{ line: string }>`
      select row_to_json(t)::text as line from ${t} t where ${after} order by ${key}
      limit ${READ_BATCH}`.execute(tx);
    if (rows.length === 0) return;
    const text = `${rows.map((row) => row.line).join("\n")}\n`;
    const bytes = Buffer.from(text, "utf8");
    onRows(rows.length, bytes.length);
    yield bytes;
    if (rows.length < READ_BATCH) return;
    last = JSON.parse(rows[rows.length - 1]?.line as string) as Record<string, unknown>;
  }
}

/** Splits a stream of bytes into lines (JSON text has no raw newline inside a value). */
export async function* linesOf(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let rest = "";
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const piece of source) {
    const text =
      rest + (typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line) yield line;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/** Inserts JSON lines into a table in batches; answers the rows inserted. */
export async function insertLines(
  tx: AnyTx,
  table: TableInfo,
  lines: AsyncIterable<string>,
  onRows: (rows: number) => void = () => {},
): Promise<number> {
  const t = sql.table(table.name);
  const columns = sql.join(table.columns.map((column) => sql.ref(column)));
  let batch: string[] = [];
  let batchBytes = 0;
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`insert into ${t} (${columns}) overriding system value
      select ${columns} from json_populate_recordset(null::${t}, ${`[${batch.join(",")}]`}::json)`.execute(
      tx,
    );
    total += batch.length;
    onRows(batch.length);
    batch = [];
    batchBytes = 0;
  };
  for await (const line of lines) {
    batch.push(line);
    batchBytes += line.length;
    if (batch.length >= WRITE_BATCH_ROWS || batchBytes >= WRITE_BATCH_BYTES) await flush();
  }
  await flush();
  return total;
}
