import fs from "node:fs";
import type { Severity } from "../../db/tables/vulnerabilities.ts";
import { cvssBaseScore } from "../../domain/cvss.ts";
import {
  type ColumnSpec,
  CsvError,
  CsvParser,
  type CsvRecord,
  readHeader,
  widthProblem,
} from "../../platform/csv.ts";
import {
  addIdentifier,
  BATCH_SIZE,
  distinctFindings,
  finding,
  hashOf,
  NOT_A_SCAN_FILE,
  severityOfScore,
} from "./vulnerabilities.format-common.ts";
import {
  type ParsedFinding,
  type ScanFile,
  ScanFileError,
  type ScanProblem,
} from "./vulnerabilities.scan-file.ts";

/**
 * CSV findings (docs/scanner-formats.md): a header naming the columns (any case and order),
 * title and severity required. The first pass checks every row and names each bad one (up to
 * 100 problems, then one ScanFileError listing them); the second hands over the findings.
 */
const COLUMNS: ColumnSpec[] = [
  { name: "title", required: true },
  { name: "severity", required: true },
  { name: "identifiers" },
  { name: "rule_id" },
  { name: "package" },
  { name: "installed_version" },
  { name: "fixed_version" },
  { name: "file" },
  { name: "line" },
  { name: "description" },
  { name: "cvss_vector" },
  { name: "url" },
  { name: "fingerprint" },
  { name: "tool" },
];
const MAX_PROBLEMS = 100;
const SEVERITIES = new Set(["critical", "high", "medium", "low"]);

/** Reads the file's records, chunk by chunk, as UTF-8 text. */
async function* records(path: string): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 18 })) {
      const bytes = chunk as Buffer;
      if (bytes.includes(0)) throw new ScanFileError(NOT_A_SCAN_FILE);
      yield parser.push(decoder.decode(bytes, { stream: true }));
    }
    yield [...parser.push(decoder.decode()), ...parser.end()];
  } catch (error) {
    if (error instanceof CsvError)
      throw new ScanFileError(error.message.replace(/^line \d+: /, ""), `line ${error.line}`);
    if (error instanceof TypeError && /encoded|decode/i.test(error.message)) {
      throw new ScanFileError("not UTF-8 text: save the CSV file as UTF-8");
    }
    throw error;
  }
}

type Header = ReturnType<typeof readHeader>;

export async function openCsv(path: string, first: string): Promise<ScanFile> {
  if (first === "" || first === "[") throw new ScanFileError(NOT_A_SCAN_FILE);
  let header: Header | null = null;
  const problems: ScanProblem[] = [];
  const tools = new Set<string>();
  let total = 0;
  for await (const batch of records(path)) {
    for (const record of batch) {
      if (!header) {
        header = headerOf(record);
        continue;
      }
      const row = rowOf(header, record, (where, message) => {
        total++;
        if (problems.length < MAX_PROBLEMS) problems.push({ where, message });
      });
      if (row) tools.add(row.tool);
    }
  }
  if (!header) throw new ScanFileError(NOT_A_SCAN_FILE);
  if (problems.length > 0) {
    const [head, ...rest] = problems as [ScanProblem, ...ScanProblem[]];
    const error = new ScanFileError(head.message, head.where, rest);
    const more = total > problems.length ? `\n(and ${total - problems.length} more)` : "";
    error.message = `${total} problem${total === 1 ? "" : "s"} in the CSV file:\n${problems.map((p) => `${p.where}: ${p.message}`).join("\n")}${more}`;
    throw error;
  }
  const known = header;
  return {
    format: "csv",
    tools: tools.size > 0 ? [...tools] : ["csv"],
    scannedAt: null,
    async *findings() {
      let out: ParsedFinding[] = [];
      let started = false;
      for await (const batch of records(path)) {
        for (const record of batch) {
          if (!started) {
            started = true;
            continue;
          }
          const row = rowOf(known, record, (where, message) => {
            throw new ScanFileError(message, where);
          });
          if (row) out.push(row);
          if (out.length >= BATCH_SIZE) {
            yield distinctFindings(out);
            out = [];
          }
        }
      }
      if (out.length > 0) yield distinctFindings(out);
    },
  };
}

function headerOf(record: CsvRecord): Header {
  const header = readHeader(record, COLUMNS);
  // a file whose first line names no title is not a findings CSV at all
  if (!header.columns.has("title")) throw new ScanFileError(NOT_A_SCAN_FILE);
  if (header.problems.length > 0) {
    const [head, ...rest] = header.problems.map((p) => ({
      where: `line ${p.line}`,
      message: p.message,
    }));
    throw new ScanFileError(head?.message ?? "bad header", head?.where ?? null, rest);
  }
  return header;
}

function rowOf(
  header: Header,
  record: CsvRecord,
  problem: (where: string, message: string) => void,
): ParsedFinding | null {
  const where = `line ${record.line}`;
  if (record.fields.length !== header.width) {
    problem(where, widthProblem(record.line, record.fields.length, header.width).message);
    return null;
  }
  const v = header.valuesOf(record);
  let bad = false;
  const report = (column: string, message: string) => {
    bad = true;
    problem(where, `${column}: ${message}`);
  };
  const title = v.title ?? "";
  if (!title) report("title", "is required");
  const vector = v.cvss_vector || null;
  const computed = vector ? cvssBaseScore(vector) : null;
  if (vector && !computed && !vector.startsWith("CVSS:4.0/"))
    report("cvss_vector", `is not a CVSS vector: ${vector}`);
  const severityText = (v.severity ?? "").toLowerCase();
  let severity: Severity | null = null;
  let score = computed?.score ?? null;
  if (SEVERITIES.has(severityText)) severity = severityText as Severity;
  else if (/^\d+(\.\d+)?$/.test(severityText) && Number(severityText) <= 10) {
    score ??= Number(severityText);
    severity = severityOfScore(Number(severityText));
  } else
    report(
      "severity",
      `must be critical, high, medium, low or a CVSS score 0–10, not "${v.severity ?? ""}"`,
    );
  let line: number | null = null;
  if (v.line) {
    line = /^\d+$/.test(v.line) && Number(v.line) > 0 ? Number(v.line) : null;
    if (line === null) report("line", `must be a positive whole number, not "${v.line}"`);
  }
  if (bad || !severity) return null;
  const identifiers = new Set<string>();
  for (const id of (v.identifiers ?? "").split(/[\s,;]+/)) addIdentifier(id, identifiers);
  const ids = [...identifiers];
  const or = (value: string | undefined) => value || null;
  return finding({
    tool: v.tool || "csv",
    fingerprint: v.fingerprint || hashOf(title, [...ids].sort().join(" "), v.package, v.file),
    title,
    description: or(v.description),
    severity,
    cvssScore: score,
    cvssVector: vector,
    identifiers: ids,
    ruleId: or(v.rule_id),
    packageName: or(v.package),
    installedVersion: or(v.installed_version),
    fixedVersion: or(v.fixed_version),
    filePath: or(v.file),
    line,
    url: or(v.url),
  });
}
