import type { Severity } from "../../db/tables/vulnerabilities.ts";
import { cvssBaseScore } from "../../domain/cvss.ts";
import type { JsonMatch, PathKey } from "../../platform/json-stream.ts";
import {
  addIdentifier,
  batched,
  fail,
  finding,
  hashOf,
  isObject,
  type Json,
  object,
  optArray,
  optDate,
  optNumber,
  optObject,
  optString,
  readJsonFile,
  reqString,
  scoreOf,
  severityOfName,
  severityOfScore,
} from "./vulnerabilities.format-common.ts";
import type { HeaderValues } from "./vulnerabilities.formats.ts";
import type { ParsedFinding, ScanFile } from "./vulnerabilities.scan-file.ts";

/**
 * Trivy JSON (SchemaVersion 2): Results[].Vulnerabilities[] (package findings),
 * Results[].Misconfigurations[] that FAIL, and Results[].Secrets[]. A vulnerability's
 * fingerprint is Target|PkgName|VulnerabilityID: no version, so a bump to a version still
 * vulnerable is the same finding.
 */
const TOOL = "Trivy";
const KINDS = ["Vulnerabilities", "Misconfigurations", "Secrets"] as const;

export async function openTrivy(path: string, header: HeaderValues): Promise<ScanFile> {
  const schema = header.trivySchema?.[0];
  if (schema && schema.value !== 2) {
    fail(
      schema.path,
      `Trivy's SchemaVersion ${JSON.stringify(schema.value)} is not supported: only 2 is read`,
    );
  }
  const created = header.trivyCreated?.[0];
  const scannedAt = created ? optDate({ CreatedAt: created.value }, "CreatedAt", []) : null;
  const targets = new Map<number, string>();
  for (const match of header.trivyTarget ?? []) {
    if (typeof match.value !== "string") fail(match.path, "must be a string");
    targets.set(match.path[1] as number, match.value);
  }
  const selectors = KINDS.map((kind) => ({ path: ["Results", "*", kind, "*"] }));
  return {
    format: "trivy",
    tools: [TOOL],
    scannedAt,
    findings: () =>
      batched(readJsonFile(path, selectors), (match, out) => {
        const target = targets.get(match.path[1] as number) ?? "";
        const parsed =
          match.selector === 0
            ? vulnerabilityOf(match, target)
            : match.selector === 1
              ? misconfigurationOf(match, target)
              : secretOf(match, target);
        if (parsed) out.push(parsed);
      }),
  };
}

/** The score and vector to show: NVD's first, then any source's; v3 before v2. */
export function trivyCvss(cvss: Json | null): { score: number | null; vector: string | null } {
  if (!cvss) return { score: null, vector: null };
  const sources = Object.keys(cvss).sort((a, b) => (a === "nvd" ? -1 : b === "nvd" ? 1 : 0));
  for (const version of ["V3", "V40", "V2"]) {
    for (const source of sources) {
      const entry = cvss[source];
      if (!isObject(entry)) continue;
      const vector =
        typeof entry[`${version}Vector`] === "string"
          ? (entry[`${version}Vector`] as string)
          : null;
      const score = scoreOf(entry[`${version}Score`]) ?? cvssBaseScore(vector)?.score ?? null;
      if (score !== null || vector !== null) return { score, vector };
    }
  }
  return { score: null, vector: null };
}

function severityOf(name: string | null, score: number | null, at: PathKey[]): Severity {
  const known = severityOfName(name);
  if (known) return known;
  if (name !== null && name.toUpperCase() !== "UNKNOWN")
    fail([...at, "Severity"], `unknown severity ${JSON.stringify(name)}`);
  return score !== null ? severityOfScore(score) : "medium";
}

function vulnerabilityOf(match: JsonMatch, target: string): ParsedFinding {
  const at = match.path;
  const item = object(match.value, at, "a Trivy vulnerability object");
  const id = reqString(item, "VulnerabilityID", at);
  const pkg = optString(item, "PkgName", at);
  const cvss = trivyCvss(optObject(item, "CVSS", at));
  const identifiers = new Set<string>();
  addIdentifier(id, identifiers);
  for (const [i, cwe] of optArray(item, "CweIDs", at).entries()) {
    if (typeof cwe !== "string") fail([...at, "CweIDs", i], "must be a string");
    addIdentifier(cwe, identifiers);
  }
  const description = optString(item, "Description", at);
  return finding({
    tool: TOOL,
    fingerprint: `${target}|${pkg ?? ""}|${id}`,
    title: optString(item, "Title", at) || id,
    description,
    severity: severityOf(optString(item, "Severity", at), cvss.score, at),
    cvssScore: cvss.score,
    cvssVector: cvss.vector,
    identifiers: [...identifiers],
    ruleId: id,
    packageName: pkg,
    installedVersion: optString(item, "InstalledVersion", at),
    fixedVersion: optString(item, "FixedVersion", at) || null,
    filePath: optString(item, "PkgPath", at) ?? (target || null),
    url: optString(item, "PrimaryURL", at),
  });
}

function misconfigurationOf(match: JsonMatch, target: string): ParsedFinding | null {
  const at = match.path;
  const item = object(match.value, at, "a Trivy misconfiguration object");
  const status = optString(item, "Status", at);
  if (status !== null && status !== "FAIL") return null;
  const id = optString(item, "AVDID", at) || reqString(item, "ID", at);
  const cause = optObject(item, "CauseMetadata", at);
  const resource = cause ? optString(cause, "Resource", [...at, "CauseMetadata"]) : null;
  const line = cause ? optNumber(cause, "StartLine", [...at, "CauseMetadata"]) : null;
  const text = [
    optString(item, "Message", at),
    optString(item, "Description", at),
    optString(item, "Resolution", at),
  ];
  const identifiers = new Set<string>();
  addIdentifier(optString(item, "ID", at), identifiers);
  if (id !== optString(item, "ID", at)) addIdentifier(id, identifiers);
  return finding({
    tool: TOOL,
    fingerprint: `${target}|${id}|${resource ?? ""}`,
    title: optString(item, "Title", at) || id,
    description: text.filter((t) => t).join("\n\n") || null,
    severity: severityOf(optString(item, "Severity", at), null, at),
    identifiers: [...identifiers],
    ruleId: id,
    filePath: target || null,
    line: line && line > 0 ? line : null,
    url: optString(item, "PrimaryURL", at),
  });
}

function secretOf(match: JsonMatch, target: string): ParsedFinding {
  const at = match.path;
  const item = object(match.value, at, "a Trivy secret object");
  const rule = reqString(item, "RuleID", at);
  const line = optNumber(item, "StartLine", at);
  return finding({
    tool: TOOL,
    // the redacted line tells two secrets of one rule in one file apart; lines move
    fingerprint: `${target}|secret:${rule}|${hashOf(optString(item, "Match", at))}`,
    title: optString(item, "Title", at) || rule,
    description: optString(item, "Category", at)
      ? `Secret (${optString(item, "Category", at)}) found`
      : null,
    severity: severityOf(optString(item, "Severity", at), null, at),
    ruleId: rule,
    filePath: target || null,
    line: line && line > 0 ? line : null,
  });
}
