import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Severity } from "../../db/tables/vulnerabilities.ts";
import { severityOfScore, severityRank } from "../../domain/vulnerability-sla.ts";
import {
  formatPath,
  type JsonMatch,
  type JsonSelector,
  JsonStreamError,
  type PathKey,
  readJsonValues,
} from "../../platform/json-stream.ts";
import { type ParsedFinding, ScanFileError } from "./vulnerabilities.scan-file.ts";

/** What the format readers share: reading JSON with problems named, checked access, batching. */

export const NOT_A_SCAN_FILE =
  "not a SARIF 2.1.0, Trivy, Grype, npm audit, OSV-Scanner or CSV file";
export const BATCH_SIZE = 2000;
export const TITLE_MAX = 500;
const READ_CHUNK = 1 << 18;

/** Reads the JSON file at `file`, yielding the matches of `selectors` chunk by chunk. */
export async function* readJsonFile(
  file: string,
  selectors: readonly JsonSelector[],
): AsyncGenerator<JsonMatch[]> {
  try {
    yield* readJsonValues(fs.createReadStream(file, { highWaterMark: READ_CHUNK }), selectors);
  } catch (error) {
    if (error instanceof JsonStreamError) {
      throw new ScanFileError(`malformed JSON: ${error.reason}`, error.where);
    }
    throw error;
  }
}

/**
 * Collects mapped findings into batches of at most BATCH_SIZE, each with distinct fingerprints
 * (see distinctFindings).
 */
export async function* batched(
  matches: AsyncIterable<JsonMatch[]>,
  map: (match: JsonMatch, out: ParsedFinding[]) => void,
): AsyncGenerator<ParsedFinding[]> {
  let batch: ParsedFinding[] = [];
  for await (const chunk of matches) {
    for (const match of chunk) {
      map(match, batch);
      if (batch.length >= BATCH_SIZE) {
        yield distinctFindings(batch.slice(0, BATCH_SIZE));
        batch = batch.slice(BATCH_SIZE);
      }
    }
  }
  if (batch.length > 0) yield distinctFindings(batch);
}

/**
 * One finding per fingerprint within a batch, the most severe kept (a scanner may report the
 * same thing twice: Trivy a package found at two paths of one target), so that the import can
 * upsert a batch in one statement. A later batch may still repeat a fingerprint.
 */
export function distinctFindings(batch: ParsedFinding[]): ParsedFinding[] {
  const seen = new Map<string, number>();
  const out: ParsedFinding[] = [];
  for (const item of batch) {
    const at = seen.get(item.fingerprint);
    if (at === undefined) {
      seen.set(item.fingerprint, out.length);
      out.push(item);
    } else if (severityRank(item.severity) < severityRank((out[at] as ParsedFinding).severity)) {
      out[at] = item;
    }
  }
  return out;
}

/** A checked view of a parsed JSON object: wrong types fail naming the path. */
export type Json = Record<string, unknown>;

export function fail(path: readonly PathKey[], message: string): never {
  throw new ScanFileError(message, formatPath(path) || null);
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function object(value: unknown, path: readonly PathKey[], what = "an object"): Json {
  if (!isObject(value)) fail(path, `must be ${what}`);
  return value;
}

export function optObject(parent: Json, key: string, path: readonly PathKey[]): Json | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  return object(value, [...path, key]);
}

export function optArray(parent: Json, key: string, path: readonly PathKey[]): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail([...path, key], "must be an array");
  return value;
}

export function optString(parent: Json, key: string, path: readonly PathKey[]): string | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") fail([...path, key], "must be a string");
  return value;
}

export function reqString(parent: Json, key: string, path: readonly PathKey[]): string {
  const value = optString(parent, key, path);
  if (value === null || value === "") fail([...path, key], "is required (a non-empty string)");
  return value;
}

export function optNumber(parent: Json, key: string, path: readonly PathKey[]): number | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value))
    fail([...path, key], "must be a number");
  return value;
}

/** A date-time string, or null; a string that is not one fails. */
export function optDate(parent: Json, key: string, path: readonly PathKey[]): Date | null {
  const text = optString(parent, key, path);
  if (text === null || text === "") return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) fail([...path, key], `is not a date: ${JSON.stringify(text)}`);
  return date;
}

export function latest(dates: readonly (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const date of dates) if (date && (!best || date > best)) best = date;
  return best;
}

/** A score 0–10 (number or numeric string), else null. */
export function scoreOf(value: unknown): number | null {
  const score = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 10) return null;
  return score;
}

/** critical/high/medium/moderate/low/negligible/info (any case); null for unknown. */
export function severityOfName(name: string | null | undefined): Severity | null {
  switch (name?.trim().toLowerCase()) {
    case "critical":
      return "critical";
    case "high":
    case "important":
      return "high";
    case "medium":
    case "moderate":
      return "medium";
    case "low":
    case "negligible":
    case "info":
    case "informational":
      return "low";
    default:
      return null;
  }
}

export { severityOfScore };

const CVE = /\bCVE-\d{4}-\d{4,}\b/gi;
const GHSA = /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/gi;
const CWE = /\bCWE[-_/ ]?(\d{1,5})\b/gi;

/** The CVE, GHSA and CWE ids in a text (a rule id, a tag such as external/cwe/cwe-79). */
export function identifiersIn(text: string | null | undefined, into: Set<string>): void {
  if (!text) return;
  for (const m of text.matchAll(CVE)) into.add(m[0].toUpperCase());
  for (const m of text.matchAll(GHSA)) into.add(`GHSA${m[0].slice(4).toLowerCase()}`);
  for (const m of text.matchAll(CWE)) into.add(`CWE-${Number(m[1])}`);
}

/** An id as a scanner reports it (CVE-…, GHSA-…, GO-…, RUSTSEC-…), normalized when known. */
export function addIdentifier(id: string | null | undefined, into: Set<string>): void {
  if (!id) return;
  const trimmed = id.trim();
  if (/^CVE-/i.test(trimmed)) into.add(trimmed.toUpperCase());
  else if (/^GHSA-/i.test(trimmed)) into.add(`GHSA${trimmed.slice(4).toLowerCase()}`);
  else if (/^CWE-/i.test(trimmed)) into.add(`CWE-${Number(trimmed.slice(4)) || trimmed.slice(4)}`);
  else if (trimmed) into.add(trimmed);
}

export function hashOf(...parts: (string | number | null | undefined)[]): string {
  return createHash("sha256")
    .update(parts.map((p) => (p === null || p === undefined ? "" : String(p))).join("\u0000"))
    .digest("hex")
    .slice(0, 40);
}

/** The first line of a text, at most TITLE_MAX characters. */
export function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? "";
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

export function clip(text: string, max = TITLE_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A finding with the fields a format does not know left empty. */
export function finding(
  fields: Pick<ParsedFinding, "tool" | "fingerprint" | "title" | "severity"> &
    Partial<ParsedFinding>,
): ParsedFinding {
  return {
    description: null,
    cvssScore: null,
    cvssVector: null,
    identifiers: [],
    ruleId: null,
    packageName: null,
    installedVersion: null,
    fixedVersion: null,
    filePath: null,
    line: null,
    url: null,
    ...fields,
    title: clip(fields.title.trim() || "(untitled)"),
  };
}
