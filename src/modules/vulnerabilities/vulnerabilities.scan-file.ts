import type { ScanFormat, Severity } from "../../db/tables/vulnerabilities.ts";

/**
 * What the scanner-file readers (vulnerabilities.formats.ts and the format-*.ts files) hand
 * the import: the file's header, then its findings in batches, normalized whatever the format.
 */
export interface ParsedFinding {
  /** The scanner that reported it (a SARIF run's tool.driver.name, "Trivy", "grype"…). */
  tool: string;
  /** Stable across scans of the same system by the same tool (see each format). */
  fingerprint: string;
  title: string;
  description: string | null;
  severity: Severity;
  cvssScore: number | null;
  cvssVector: string | null;
  /** CVE-…, GHSA-…, CWE-…, OSV ids, without duplicates. */
  identifiers: string[];
  ruleId: string | null;
  packageName: string | null;
  installedVersion: string | null;
  fixedVersion: string | null;
  filePath: string | null;
  line: number | null;
  url: string | null;
}

export interface ScanHeader {
  format: ScanFormat;
  /** Every tool the file's findings come from (a SARIF file may hold several runs). */
  tools: string[];
  /** When the scan ran, where the file says (SARIF invocations, Trivy CreatedAt, Grype's descriptor). */
  scannedAt: Date | null;
}

export interface ScanFile extends ScanHeader {
  /**
   * The findings, in batches of at most a few thousand, read from the file as a stream.
   * Throws ScanFileError on the first thing that is wrong.
   */
  findings(): AsyncIterable<ParsedFinding[]>;
}

export interface ScanProblem {
  /** Where: a JSON path such as `runs[0].results[12].message`, `line 14` of a CSV, or null. */
  where: string | null;
  message: string;
}

/**
 * A file that is not what it claims, is truncated or malformed. `problems` names each thing
 * wrong and where (a CSV names every bad row; a JSON file stops at the first).
 */
export class ScanFileError extends Error {
  readonly problems: readonly ScanProblem[];

  constructor(message: string, where: string | null = null, more: readonly ScanProblem[] = []) {
    super(where ? `${where}: ${message}` : message);
    this.name = "ScanFileError";
    this.problems = [{ where, message }, ...more];
  }
}
