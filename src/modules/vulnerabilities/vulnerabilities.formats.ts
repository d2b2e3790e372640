import fs from "node:fs/promises";
import type { ScanFormat } from "../../db/tables/vulnerabilities.ts";
import type { JsonMatch, JsonSelector } from "../../platform/json-stream.ts";
import { NOT_A_SCAN_FILE, readJsonFile } from "./vulnerabilities.format-common.ts";
import { openCsv } from "./vulnerabilities.format-csv.ts";
import { openGrype } from "./vulnerabilities.format-grype.ts";
import { openNpmAudit } from "./vulnerabilities.format-npm-audit.ts";
import { openOsv } from "./vulnerabilities.format-osv.ts";
import { openSarif } from "./vulnerabilities.format-sarif.ts";
import { openTrivy } from "./vulnerabilities.format-trivy.ts";
import { type ScanFile, ScanFileError } from "./vulnerabilities.scan-file.ts";

/**
 * Opens a scanner file saved at `path`: detects its format from the content (refusing one that
 * is not `declared`, when given), reads its header in a first pass over the file (JSON members
 * come in any order: a SARIF run's rules may follow its results), and answers a ScanFile whose
 * findings() reads the file again as a stream, in batches.
 */
export async function openScanFile(
  path: string,
  options: { declared?: ScanFormat } = {},
): Promise<ScanFile> {
  const first = await firstByte(path);
  const file = first === "{" ? await openJson(path) : await openCsv(path, first);
  if (options.declared && options.declared !== file.format) {
    throw new ScanFileError(
      `the file is ${FORMAT_LABELS[file.format]}, not ${FORMAT_LABELS[options.declared]}`,
    );
  }
  return file;
}

export const FORMAT_LABELS: Record<ScanFormat, string> = {
  sarif: "SARIF",
  trivy: "Trivy JSON",
  grype: "Grype JSON",
  "npm-audit": "npm audit JSON",
  osv: "OSV-Scanner JSON",
  csv: "CSV",
};

/** The first character that is not white space or a byte-order mark ("" for an empty file). */
async function firstByte(path: string): Promise<string> {
  const handle = await fs.open(path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return "";
      let i =
        position === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
      for (; i < bytesRead; i++) {
        const c = buffer[i] as number;
        if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return String.fromCharCode(c);
      }
      position += bytesRead;
      if (position > 1 << 20) return " ";
    }
  } finally {
    await handle.close();
  }
}

/** The top-level members that tell the formats apart (their presence). */
const MARKERS = [
  "runs",
  "Results",
  "matches",
  "source",
  "advisories",
  "vulnerabilities",
  "results",
] as const;

/** What the first pass captures, by name; each format reads the ones it knows. */
const HEADER: Record<string, JsonSelector> = {
  version: { path: ["version"] },
  sarifTool: { path: ["runs", "*", "tool"] },
  sarifInvocations: { path: ["runs", "*", "invocations"] },
  sarifBases: { path: ["runs", "*", "originalUriBaseIds"] },
  // an artifact's location only: its contents may be whole files
  sarifArtifacts: { path: ["runs", "*", "artifacts", "*", "location"] },
  trivySchema: { path: ["SchemaVersion"] },
  trivyArtifact: { path: ["ArtifactName"] },
  trivyCreated: { path: ["CreatedAt"] },
  trivyTarget: { path: ["Results", "*", "Target"] },
  grypeDescriptor: { path: ["descriptor"] },
  npmVersion: { path: ["auditReportVersion"] },
  osvSource: { path: ["results", "*", "source"] },
  osvPackages: { path: ["results", "*", "packages"], presence: true },
  osvResult: { path: ["results", "*"], presence: true },
};

export type HeaderValues = Record<string, JsonMatch[]>;

async function openJson(path: string): Promise<ScanFile> {
  const names = Object.keys(HEADER);
  const selectors: JsonSelector[] = [
    ...names.map((name) => HEADER[name] as JsonSelector),
    ...MARKERS.map((key) => ({ path: [key], presence: true })),
  ];
  const header: HeaderValues = Object.fromEntries(names.map((name) => [name, []]));
  const keys = new Set<string>();
  for await (const matches of readJsonFile(path, selectors)) {
    for (const match of matches) {
      if (match.selector < names.length) header[names[match.selector] as string]?.push(match);
      if (match.path.length === 1) keys.add(match.path[0] as string);
    }
  }
  const has = (key: string) => keys.has(key);
  const value = (name: string) => header[name]?.[0]?.value;

  if (has("runs")) {
    const version = value("version");
    if (version !== "2.1.0") {
      throw new ScanFileError(
        version === undefined
          ? "a SARIF file must say its version (only SARIF 2.1.0 is read)"
          : `SARIF version ${JSON.stringify(version)} is not supported: only SARIF 2.1.0 is read`,
        "version",
      );
    }
    return openSarif(path, header);
  }
  if (has("SchemaVersion") || (has("Results") && has("ArtifactName")))
    return openTrivy(path, header);
  if (has("matches") && (has("descriptor") || has("source"))) return openGrype(path, header);
  if (has("auditReportVersion")) return openNpmAudit(path, header);
  if (has("advisories")) {
    throw new ScanFileError("an npm audit report in the npm 6 format, use npm 7 or later");
  }
  // OSV-Scanner's report of a clean scan is {"results": []}
  const osvClean = has("results") && header.osvResult?.length === 0 && keys.size === 1;
  if (has("results") && (header.osvSource?.length || header.osvPackages?.length || osvClean)) {
    return openOsv(path, header);
  }
  throw new ScanFileError(NOT_A_SCAN_FILE);
}
