/**
 * CSV as RFC 4180 writes it (and as spreadsheets export it): fields separated by commas,
 * records by CRLF or LF, a field in double quotes may hold commas, line breaks and doubled
 * quotes. A byte-order mark is dropped. The parser is incremental — `push` chunks as they
 * arrive, `end` at the end — so a file of any size is read with bounded memory; `parseCsv`
 * reads a whole string. Every record carries the line it starts on, for problems to name.
 */

export interface CsvRecord {
  /** The line (1-based) the record starts on. */
  line: number;
  fields: string[];
}

/** A problem with a file, named by row (its line) and column (its header name) where known. */
export interface ImportProblem {
  line: number | null;
  column: string | null;
  message: string;
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export class CsvParser {
  private field = "";
  private fields: string[] = [];
  private quoted = false;
  /** Inside quotes; `afterQuote`: a quote was just read inside quotes (closing or doubled). */
  private inQuotes = false;
  private afterQuote = false;
  private pendingCR = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  private sawBom = false;

  /** Parses a chunk; answers the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (!this.sawBom && text.length > 0) {
      this.sawBom = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === "\n") continue;
      }
      if (this.inQuotes) {
        if (this.afterQuote) {
          this.afterQuote = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
          // fall through: the character after a closing quote must end the field
        } else if (c === '"') {
          this.afterQuote = true;
          continue;
        } else {
          if (c === "\n") this.line++;
          this.field += c;
          continue;
        }
      }
      if (c === ",") {
        this.endField();
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") this.pendingCR = true;
        const record = this.endRecord();
        if (record) out.push(record);
        this.line++;
        this.recordLine = this.line;
      } else if (c === '"') {
        if (this.field.length > 0 || this.quoted) {
          throw new CsvError(this.line, "a double quote inside an unquoted field");
        }
        this.quoted = true;
        this.inQuotes = true;
        this.started = true;
      } else {
        if (this.quoted) {
          throw new CsvError(this.line, "text after the closing double quote of a field");
        }
        this.field += c;
        this.started = true;
      }
    }
    return out;
  }

  /** Ends the input; answers the last record when the file does not end with a line break. */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.afterQuote) {
      throw new CsvError(this.recordLine, "a quoted field is never closed (the file may be cut)");
    }
    this.inQuotes = false;
    this.afterQuote = false;
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private endField() {
    this.fields.push(this.field);
    this.field = "";
    this.quoted = false;
    this.started = true;
  }

  private endRecord(): CsvRecord | null {
    if (!this.started && this.fields.length === 0 && this.field === "") return null;
    this.endField();
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.started = false;
    // A line of nothing but empty fields (",,,") is a blank line of a spreadsheet export.
    return record.fields.every((f) => f === "") ? null : record;
  }
}

/** Parses a whole CSV text. */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/**
 * Refuses what is not text: NUL bytes or invalid UTF-8 (a spreadsheet's binary format, an
 * image). Answers the decoded text.
 */
export function decodeCsvText(bytes: Uint8Array): string {
  if (bytes.includes(0))
    throw new CsvError(1, "the file is not text (it holds NUL bytes); send CSV");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CsvError(1, "the file is not UTF-8 text; save it as CSV (UTF-8)");
  }
}

export interface ColumnSpec {
  /** The canonical name, lower-case with underscores: "start_date". */
  name: string;
  required?: boolean;
  /** Other header spellings accepted: "start date", "startDate"… are matched already. */
  aliases?: string[];
}

/** A header cell reduced for matching: "Start Date", "start_date", "startDate" are the same. */
export function headerKey(cell: string): string {
  return cell
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * Reads the header of a file against the columns an import takes: every required column
 * present, no column twice, none unknown. Answers the problems (empty when the header is good)
 * and a function turning each later record into values by canonical column name.
 */
export function readHeader(
  header: CsvRecord,
  spec: readonly ColumnSpec[],
): {
  problems: ImportProblem[];
  columns: Map<string, number>;
  /** The header's field count: a record of another width is a problem (`widthProblem`). */
  width: number;
  valuesOf(record: CsvRecord): Record<string, string>;
} {
  const problems: ImportProblem[] = [];
  const byKey = new Map<string, string>();
  for (const column of spec) {
    byKey.set(headerKey(column.name), column.name);
    for (const alias of column.aliases ?? []) byKey.set(headerKey(alias), column.name);
  }
  const columns = new Map<string, number>();
  header.fields.forEach((cell, index) => {
    const name = byKey.get(headerKey(cell));
    if (!name) {
      problems.push({
        line: header.line,
        column: cell,
        message: `unknown column "${cell}"; the columns are ${spec.map((c) => c.name).join(", ")}`,
      });
    } else if (columns.has(name)) {
      problems.push({ line: header.line, column: cell, message: `column "${name}" appears twice` });
    } else {
      columns.set(name, index);
    }
  });
  for (const column of spec) {
    if (column.required && !columns.has(column.name)) {
      problems.push({
        line: header.line,
        column: column.name,
        message: `the required column "${column.name}" is missing`,
      });
    }
  }
  return {
    problems,
    columns,
    width: header.fields.length,
    valuesOf(record) {
      const values: Record<string, string> = {};
      for (const [name, index] of columns) values[name] = (record.fields[index] ?? "").trim();
      return values;
    },
  };
}

/** The message for a record whose field count differs from the header's. */
export function widthProblem(line: number, found: number, expected: number): ImportProblem {
  return {
    line,
    column: null,
    message: `has ${found} fields where the header has ${expected}`,
  };
}

/** A 'YYYY-MM-DD' day that exists in the calendar, or null. */
export function parseDay(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : value;
}

/** A yes/no cell: true, false, yes, no, 1, 0, y, n (any case); empty is `empty`. */
export function parseFlag(value: string, empty = false): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === "") return empty;
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0"].includes(v)) return false;
  return null;
}

/** The most bytes an import file may have: larger files get a 413 before they are read. */
export const IMPORT_LIMIT_BYTES = 32 * 1024 * 1024;
