import { cvssBaseScore } from "../../domain/cvss.ts";
import type { JsonMatch, PathKey } from "../../platform/json-stream.ts";
import {
  addIdentifier,
  batched,
  fail,
  finding,
  isObject,
  object,
  optArray,
  optDate,
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
 * Grype JSON: matches[] of a vulnerability (id, severity, cvss[], fix, urls, description), its
 * related vulnerabilities (CVE aliases of a GHSA…) and the artifact (package) it was found in.
 * Fingerprint artifact.name|artifact.type|vulnerability.id. Negligible is low; Unknown takes
 * the CVSS score, else medium.
 */
const TOOL = "grype";

export async function openGrype(path: string, header: HeaderValues): Promise<ScanFile> {
  const descriptor = header.grypeDescriptor?.[0];
  const scannedAt = descriptor
    ? optDate(object(descriptor.value, descriptor.path), "timestamp", descriptor.path)
    : null;
  return {
    format: "grype",
    tools: [TOOL],
    scannedAt,
    findings: () =>
      batched(readJsonFile(path, [{ path: ["matches", "*"] }]), (match, out) => {
        out.push(matchOf(match));
      }),
  };
}

/** The best CVSS of a list: v3 before v2, NVD's before others; a score computed when absent. */
function cvssOf(lists: unknown[][]): { score: number | null; vector: string | null } {
  let best: { score: number | null; vector: string | null; rank: number } | null = null;
  for (const list of lists) {
    for (const entry of list) {
      if (!isObject(entry)) continue;
      const vector = typeof entry.vector === "string" ? entry.vector : null;
      const metrics = isObject(entry.metrics) ? entry.metrics : {};
      const score = scoreOf(metrics.baseScore) ?? cvssBaseScore(vector)?.score ?? null;
      if (score === null) continue;
      const version = typeof entry.version === "string" ? entry.version : "";
      const rank =
        (version.startsWith("3") ? 0 : version.startsWith("4") ? 2 : 4) +
        (entry.source === "nvd" ? 0 : 1);
      if (!best || rank < best.rank) best = { score, vector, rank };
    }
  }
  return best ? { score: best.score, vector: best.vector } : { score: null, vector: null };
}

function matchOf(match: JsonMatch): ParsedFinding {
  const at = match.path;
  const item = object(match.value, at, "a Grype match object");
  const vulnerability =
    optObject(item, "vulnerability", at) ?? fail([...at, "vulnerability"], "is required");
  const vAt: PathKey[] = [...at, "vulnerability"];
  const artifact = optObject(item, "artifact", at) ?? fail([...at, "artifact"], "is required");
  const aAt: PathKey[] = [...at, "artifact"];
  const id = reqString(vulnerability, "id", vAt);
  const name = reqString(artifact, "name", aAt);
  const related = optArray(item, "relatedVulnerabilities", at).map((entry, i) =>
    object(entry, [...at, "relatedVulnerabilities", i]),
  );
  const identifiers = new Set<string>();
  addIdentifier(id, identifiers);
  for (const entry of related)
    addIdentifier(typeof entry.id === "string" ? entry.id : null, identifiers);

  const cvss = cvssOf([
    optArray(vulnerability, "cvss", vAt),
    ...related.map((r) => (Array.isArray(r.cvss) ? r.cvss : [])),
  ]);
  const severityName = optString(vulnerability, "severity", vAt);
  let severity = severityOfName(severityName);
  if (!severity) {
    if (severityName !== null && severityName.toLowerCase() !== "unknown") {
      fail([...vAt, "severity"], `unknown severity ${JSON.stringify(severityName)}`);
    }
    severity = cvss.score !== null ? severityOfScore(cvss.score) : "medium";
  }

  const version = optString(artifact, "version", aAt);
  const fix = optObject(vulnerability, "fix", vAt);
  const suggested = optArray(item, "matchDetails", at)
    .map((detail) =>
      isObject(detail) && isObject(detail.fix) ? detail.fix.suggestedVersion : null,
    )
    .find((v): v is string => typeof v === "string" && v !== "");
  const versions = fix
    ? optArray(fix, "versions", [...vAt, "fix"]).filter((v): v is string => typeof v === "string")
    : [];
  const description =
    optString(vulnerability, "description", vAt) ||
    related.map((r) => r.description).find((d): d is string => typeof d === "string" && d !== "") ||
    null;
  const location = optArray(artifact, "locations", aAt)[0];
  const urls = optArray(vulnerability, "urls", vAt).filter(
    (u): u is string => typeof u === "string",
  );
  const type = optString(artifact, "type", aAt);
  return finding({
    tool: TOOL,
    fingerprint: `${name}|${type ?? ""}|${id}`,
    title: `${id} in ${name}${version ? ` ${version}` : ""}`,
    description,
    severity,
    cvssScore: cvss.score,
    cvssVector: cvss.vector,
    identifiers: [...identifiers],
    ruleId: id,
    packageName: name,
    installedVersion: version,
    fixedVersion: suggested ?? (versions.length > 0 ? versions.join(", ") : null),
    filePath: isObject(location) && typeof location.path === "string" ? location.path : null,
    url: optString(vulnerability, "dataSource", vAt) || urls[0] || null,
  });
}
