import type { JsonMatch, PathKey } from "../../platform/json-stream.ts";
import {
  addIdentifier,
  batched,
  fail,
  finding,
  identifiersIn,
  isObject,
  object,
  optArray,
  optObject,
  optString,
  readJsonFile,
  reqString,
  scoreOf,
  severityOfName,
} from "./vulnerabilities.format-common.ts";
import type { HeaderValues } from "./vulnerabilities.formats.ts";
import type { ParsedFinding, ScanFile } from "./vulnerabilities.scan-file.ts";

/**
 * `npm audit --json` of npm 7 and later (auditReportVersion 2): vulnerabilities.<name>.via[]
 * holds the advisories of that package (objects) and the packages through which it is
 * vulnerable (strings, not findings of their own). Fingerprint name|source (else name|url).
 */
const TOOL = "npm audit";

export async function openNpmAudit(path: string, header: HeaderValues): Promise<ScanFile> {
  const version = header.npmVersion?.[0];
  if (version && version.value !== 2) {
    fail(
      version.path,
      `npm audit report version ${JSON.stringify(version.value)} is not supported: only 2 (npm 7 and later) is read`,
    );
  }
  return {
    format: "npm-audit",
    tools: [TOOL],
    scannedAt: null,
    findings: () =>
      batched(readJsonFile(path, [{ path: ["vulnerabilities", "*"] }]), (match, out) => {
        packageFindings(match, out);
      }),
  };
}

function fixOf(entry: Record<string, unknown>, pkg: string, at: PathKey[]): string | null {
  const fix = entry.fixAvailable;
  if (fix === undefined || typeof fix === "boolean") return null;
  const item = object(fix, [...at, "fixAvailable"], "true, false or an object");
  const name = optString(item, "name", [...at, "fixAvailable"]);
  const version = optString(item, "version", [...at, "fixAvailable"]);
  if (!version) return null;
  return !name || name === pkg ? version : `${name}@${version}`;
}

function packageFindings(match: JsonMatch, out: ParsedFinding[]): void {
  const at = match.path;
  const entry = object(match.value, at, "an npm audit package entry");
  const name = optString(entry, "name", at) ?? (at[at.length - 1] as string);
  const fixed = fixOf(entry, name, at);
  for (const [i, via] of optArray(entry, "via", at).entries()) {
    if (typeof via === "string") continue; // vulnerable through that package: its own entry
    const vAt: PathKey[] = [...at, "via", i];
    const advisory = object(via, vAt, "an advisory object or a package name");
    const title = reqString(advisory, "title", vAt);
    const severityName = reqString(advisory, "severity", vAt);
    const severity =
      severityOfName(severityName) ??
      fail([...vAt, "severity"], `unknown severity ${JSON.stringify(severityName)}`);
    const pkg = optString(advisory, "dependency", vAt) ?? optString(advisory, "name", vAt) ?? name;
    const source = advisory.source;
    const url = optString(advisory, "url", vAt);
    if (typeof source !== "number" && typeof source !== "string" && !url) {
      fail(vAt, "an advisory needs its source or url");
    }
    const identifiers = new Set<string>();
    identifiersIn(url, identifiers);
    for (const [j, cwe] of optArray(advisory, "cwe", vAt).entries()) {
      if (typeof cwe !== "string") fail([...vAt, "cwe", j], "must be a string");
      addIdentifier(cwe, identifiers);
    }
    const cvss = optObject(advisory, "cvss", vAt);
    const score = cvss ? scoreOf(cvss.score) : null;
    const vector =
      cvss && typeof cvss.vectorString === "string" && cvss.vectorString ? cvss.vectorString : null;
    const range = optString(advisory, "range", vAt);
    out.push(
      finding({
        tool: TOOL,
        fingerprint: `${pkg}|${typeof source === "number" || typeof source === "string" ? source : url}`,
        title,
        description: range ? `${title}. Vulnerable versions: ${range}` : null,
        severity,
        // npm gives 0 when an advisory has no score
        cvssScore: score === 0 && !vector ? null : score,
        cvssVector: vector,
        identifiers: [...identifiers],
        ruleId: isObject(advisory) && source !== undefined ? String(source) : null,
        packageName: pkg,
        fixedVersion: pkg === name ? fixed : null,
        url,
      }),
    );
  }
}
