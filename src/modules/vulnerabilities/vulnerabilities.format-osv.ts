import { cvssBaseScore } from "../../domain/cvss.ts";
import type { JsonMatch, PathKey } from "../../platform/json-stream.ts";
import {
  addIdentifier,
  batched,
  fail,
  finding,
  isObject,
  type Json,
  object,
  optArray,
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
 * OSV-Scanner JSON (v1 and v2): results[] of a source (a lockfile, an image) and its packages,
 * each with the OSV entries that affect it and their groups (aliases of one vulnerability, with
 * max_severity as a score): one finding per group, else per entry. Fingerprint
 * source.path|ecosystem|name|the group's first id (ids sorted, so their order does not matter).
 */
const TOOL = "osv-scanner";

export async function openOsv(path: string, header: HeaderValues): Promise<ScanFile> {
  const sources = new Map<number, string>();
  for (const match of header.osvSource ?? []) {
    const source = object(match.value, match.path);
    sources.set(match.path[1] as number, optString(source, "path", match.path) ?? "");
  }
  return {
    format: "osv",
    tools: [TOOL],
    scannedAt: null,
    findings: () =>
      batched(readJsonFile(path, [{ path: ["results", "*", "packages", "*"] }]), (match, out) => {
        packageFindings(match, sources.get(match.path[1] as number) ?? "", out);
      }),
  };
}

/** The highest score of an entry's CVSS vectors, with its vector. */
function cvssOf(entries: Json[]): { score: number | null; vector: string | null } {
  let best: { score: number | null; vector: string | null } = { score: null, vector: null };
  for (const entry of entries) {
    for (const severity of Array.isArray(entry.severity) ? entry.severity : []) {
      if (!isObject(severity) || typeof severity.score !== "string") continue;
      const score = cvssBaseScore(severity.score)?.score ?? scoreOf(severity.score);
      if (best.vector === null || (score !== null && (best.score === null || score > best.score))) {
        best = {
          score,
          vector:
            severity.score.startsWith("CVSS:") || severity.score.includes("/")
              ? severity.score
              : null,
        };
      }
    }
  }
  return best;
}

/** The first version that fixes this package, from the entries' affected ranges. */
function fixedOf(entries: Json[], name: string): string | null {
  for (const entry of entries) {
    for (const affected of Array.isArray(entry.affected) ? entry.affected : []) {
      if (!isObject(affected) || !isObject(affected.package) || affected.package.name !== name)
        continue;
      for (const range of Array.isArray(affected.ranges) ? affected.ranges : []) {
        if (!isObject(range) || !Array.isArray(range.events)) continue;
        for (const event of range.events) {
          if (isObject(event) && typeof event.fixed === "string") return event.fixed;
        }
      }
    }
  }
  return null;
}

function packageFindings(match: JsonMatch, source: string, out: ParsedFinding[]): void {
  const at = match.path;
  const item = object(match.value, at, "an OSV-Scanner package object");
  const pkg = optObject(item, "package", at) ?? fail([...at, "package"], "is required");
  const pAt: PathKey[] = [...at, "package"];
  const name = reqString(pkg, "name", pAt);
  const version = optString(pkg, "version", pAt);
  const ecosystem = optString(pkg, "ecosystem", pAt) ?? "";
  const entries = optArray(item, "vulnerabilities", at).map((entry, i) => {
    const vulnerability = object(entry, [...at, "vulnerabilities", i]);
    reqString(vulnerability, "id", [...at, "vulnerabilities", i]);
    return vulnerability;
  });
  const byId = new Map(entries.map((entry) => [entry.id as string, entry]));
  const groups = optArray(item, "groups", at).map((group, i) => {
    const gAt: PathKey[] = [...at, "groups", i];
    const ids = optArray(object(group, gAt), "ids", gAt);
    if (ids.length === 0 || !ids.every((id) => typeof id === "string"))
      fail([...gAt, "ids"], "must be a non-empty array of ids");
    const aliases = optArray(group as Json, "aliases", gAt).filter(
      (a): a is string => typeof a === "string",
    );
    return { ids: ids as string[], aliases, maxSeverity: scoreOf((group as Json).max_severity) };
  });
  const units =
    groups.length > 0
      ? groups
      : entries.map((entry) => ({
          ids: [entry.id as string],
          aliases: [] as string[],
          maxSeverity: null,
        }));

  for (const unit of units) {
    const members = unit.ids.map((id) => byId.get(id)).filter((e): e is Json => e !== undefined);
    const identifiers = new Set<string>();
    const ids = [...unit.ids].sort();
    for (const id of ids) addIdentifier(id, identifiers);
    for (const alias of unit.aliases) addIdentifier(alias, identifiers);
    for (const entry of members) {
      for (const alias of Array.isArray(entry.aliases) ? entry.aliases : []) {
        if (typeof alias === "string") addIdentifier(alias, identifiers);
      }
      const specific = isObject(entry.database_specific) ? entry.database_specific : {};
      for (const cwe of Array.isArray(specific.cwe_ids) ? specific.cwe_ids : []) {
        if (typeof cwe === "string") addIdentifier(cwe, identifiers);
      }
    }
    const cvss = cvssOf(members);
    const score = unit.maxSeverity ?? cvss.score;
    const named = members
      .map((entry) =>
        isObject(entry.database_specific)
          ? severityOfName(String(entry.database_specific.severity ?? ""))
          : null,
      )
      .find((s) => s !== null);
    const main =
      members.find((entry) => typeof entry.summary === "string" && entry.summary) ?? members[0];
    const first = ids[0] as string;
    out.push(
      finding({
        tool: TOOL,
        fingerprint: `${source}|${ecosystem}|${name}|${first}`,
        title: (typeof main?.summary === "string" && main.summary) || `${first} in ${name}`,
        description: typeof main?.details === "string" && main.details ? main.details : null,
        severity: score !== null ? severityOfScore(score) : (named ?? "medium"),
        cvssScore: score,
        cvssVector: cvss.vector,
        identifiers: [...identifiers],
        ruleId: first,
        packageName: name,
        installedVersion: version,
        fixedVersion: fixedOf(members, name),
        filePath: source || null,
        url: `https://osv.dev/vulnerability/${encodeURIComponent(first)}`,
      }),
    );
  }
}
