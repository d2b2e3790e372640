import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the vulnerabilities area (src/db/migrations/20261205090000_vulnerabilities.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;
type Count = ColumnType<number, number | undefined, number>;

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_STATUSES = ["open", "resolved", "risk_accepted", "false_positive"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const FINDING_SOURCES = ["scan", "pentest"] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const SCAN_FORMATS = ["sarif", "trivy", "grype", "npm-audit", "osv", "csv"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** A penetration test engagement: who tested what, when, and the report (evidence). */
export interface PentestsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  firm: string;
  firm_kind: "external" | "internal";
  scope_network: Flag;
  scope_application: Flag;
  scope_production: Flag;
  summary: string | null;
  /** 'YYYY-MM-DD' (both engines hand dates back as strings). */
  started_on: string;
  completed_on: string | null;
  report_evidence_id: string | null;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: UpdatedAt;
}

/** A retest of an engagement's findings: those it resolved, resolved on its date. */
export interface PentestRetestsTable {
  id: Generated<string>;
  organization_id: string;
  pentest_id: string;
  /** 'YYYY-MM-DD'. */
  retested_on: string;
  note: string | null;
  resolved: Count;
  created_at: CreatedAt;
  created_by: string | null;
}

/** One scanner file imported for a system: when the scan ran and what the import changed. */
export interface ScanImportsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  tool: string;
  format: ScanFormat;
  scanned_at: Date;
  imported_at: ColumnType<Date, Date | undefined, Date>;
  imported_by: string | null;
  file_name: string | null;
  file_sha256: string;
  file_bytes: number;
  results: Count;
  created: Count;
  unchanged: Count;
  resolved: Count;
  reopened: Count;
  evidence_id: string | null;
}

/**
 * A finding, a scanner's or a pentest's, with its current status. `due_at` is the remediation
 * deadline (first detection + the severity's SLA; it never restarts); `deadline_at` is what
 * the checks compare: due_at while open, the later of due_at and the acceptance's expiry while
 * risk accepted, null otherwise.
 */
export interface FindingsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  source: FindingSource;
  pentest_id: string | null;
  tool: string;
  fingerprint: string;
  title: string;
  description: string | null;
  severity: Severity;
  /** numeric(3,1): pg returns a string. */
  cvss_score: ColumnType<string | null, number | string | null, number | string | null>;
  cvss_vector: string | null;
  identifiers: ColumnType<string[], string[] | undefined, string[]>;
  rule_id: string | null;
  package_name: string | null;
  installed_version: string | null;
  fixed_version: string | null;
  file_path: string | null;
  line: number | null;
  url: string | null;
  first_detected_at: Date;
  last_detected_at: Date;
  status: FindingStatus;
  status_changed_at: Date;
  due_at: Date;
  deadline_at: Date | null;
  resolved_at: Date | null;
  assignee_id: string | null;
  last_import_id: string | null;
  /** What the last reminder to the assignee was about ("due_soon@<deadline>"): once per state. */
  reminded_for: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A finding's status from valid_from until valid_to (null: still). */
export interface FindingPeriodsTable {
  id: Generated<string>;
  organization_id: string;
  finding_id: string;
  status: FindingStatus;
  severity: Severity;
  due_at: Date;
  deadline_at: Date | null;
  valid_from: Date;
  valid_to: Date | null;
}

/** A risk acceptance: asked for with a reason and an expiry, decided by someone else. */
export interface FindingAcceptancesTable {
  id: Generated<string>;
  organization_id: string;
  finding_id: string;
  reason: string;
  expires_at: Date;
  requested_by: string;
  requested_at: ColumnType<Date, Date | undefined, never>;
  approver_id: string | null;
  decision: "approved" | "rejected" | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface FindingCommentsTable {
  id: Generated<string>;
  organization_id: string;
  finding_id: string;
  author_id: string | null;
  body: string;
  created_at: CreatedAt;
}

export interface VulnerabilitiesTables {
  pentests: PentestsTable;
  pentest_retests: PentestRetestsTable;
  scan_imports: ScanImportsTable;
  findings: FindingsTable;
  finding_periods: FindingPeriodsTable;
  finding_acceptances: FindingAcceptancesTable;
  finding_comments: FindingCommentsTable;
}

export type PentestRow = Selectable<PentestsTable>;
export type ScanImportRow = Selectable<ScanImportsTable>;
export type FindingRow = Selectable<FindingsTable>;
export type FindingAcceptanceRow = Selectable<FindingAcceptancesTable>;
