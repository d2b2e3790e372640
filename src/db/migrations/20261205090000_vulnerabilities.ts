import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Vulnerability management and penetration tests (issue 13), the vulnerabilities area:
 *
 * - `scan_imports`: each scanner file imported for a system and tool (SARIF, Trivy, Grype,
 *   npm audit, OSV-Scanner, CSV), dated by the scan, with what it changed, and the file kept
 *   as evidence;
 * - `pentests`: penetration test engagements (firm, scope, dates, the report as evidence) and
 *   `pentest_retests`, each marking findings resolved on its date;
 * - `findings`: one row per finding, a scanner's (deduplicated per system, tool and
 *   fingerprint) or a pentest's, with its current status and its deadline, fixed at first
 *   detection by severity; `finding_periods`: its status over time (valid_from, valid_to), so
 *   the checks answer as of any date; `finding_acceptances`: risk acceptances asked for and
 *   decided by an approver other than the requester; `finding_comments`.
 */
const TABLES = [
  "pentests",
  "pentest_retests",
  "scan_imports",
  "findings",
  "finding_periods",
  "finding_acceptances",
  "finding_comments",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE pentests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      firm text NOT NULL CHECK (length(firm) BETWEEN 1 AND 200),
      firm_kind text NOT NULL CHECK (firm_kind IN ('external', 'internal')),
      scope_network boolean NOT NULL DEFAULT false,
      scope_application boolean NOT NULL DEFAULT false,
      scope_production boolean NOT NULL DEFAULT false,
      summary text,
      started_on date NOT NULL,
      completed_on date,
      report_evidence_id uuid REFERENCES evidence(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (completed_on IS NULL OR completed_on >= started_on)
    );
    CREATE INDEX pentests_completed_idx ON pentests (organization_id, completed_on);

    CREATE TABLE pentest_retests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      pentest_id uuid NOT NULL REFERENCES pentests(id) ON DELETE CASCADE,
      retested_on date NOT NULL,
      note text,
      resolved integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id)
    );
    CREATE INDEX pentest_retests_pentest_idx ON pentest_retests (pentest_id, retested_on);

    CREATE TABLE scan_imports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      -- the scanner as the file names it (Trivy, grype, ESLint, npm audit, osv-scanner, csv…)
      tool text NOT NULL CHECK (length(tool) BETWEEN 1 AND 200),
      format text NOT NULL CHECK (format IN ('sarif', 'trivy', 'grype', 'npm-audit', 'osv', 'csv')),
      -- when the scan ran: from the file where it says, else as given, else the import's time
      scanned_at timestamptz NOT NULL,
      imported_at timestamptz NOT NULL DEFAULT now(),
      imported_by uuid REFERENCES users(id),
      file_name text,
      file_sha256 text NOT NULL,
      file_bytes bigint NOT NULL,
      results integer NOT NULL DEFAULT 0,
      created integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      resolved integer NOT NULL DEFAULT 0,
      reopened integer NOT NULL DEFAULT 0,
      evidence_id uuid REFERENCES evidence(id) ON DELETE SET NULL
    );
    CREATE INDEX scan_imports_system_idx ON scan_imports (organization_id, system_id, tool, scanned_at);
    CREATE INDEX scan_imports_scanned_idx ON scan_imports (organization_id, scanned_at);

    CREATE TABLE findings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      source text NOT NULL CHECK (source IN ('scan', 'pentest')),
      pentest_id uuid REFERENCES pentests(id),
      -- the scanner's name (as scan_imports.tool); a pentest's findings: 'pentest'
      tool text NOT NULL,
      -- stable per format (SARIF partialFingerprints where present); unique per system and tool
      fingerprint text NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 500),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
      description text,
      severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
      cvss_score numeric(3, 1) CHECK (cvss_score BETWEEN 0 AND 10),
      cvss_vector text,
      -- CVE-…, GHSA-…, CWE-…, OSV ids: what the finding is known as
      identifiers text[] NOT NULL DEFAULT '{}',
      rule_id text,
      package_name text,
      installed_version text,
      fixed_version text,
      file_path text,
      line integer,
      url text,
      first_detected_at timestamptz NOT NULL,
      last_detected_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'resolved', 'risk_accepted', 'false_positive')),
      status_changed_at timestamptz NOT NULL,
      -- the remediation deadline: first detection + the severity's SLA; never restarts
      due_at timestamptz NOT NULL,
      -- open: due_at; risk accepted: the later of due_at and the acceptance's expiry; else null
      deadline_at timestamptz,
      resolved_at timestamptz,
      assignee_id uuid REFERENCES users(id),
      last_import_id uuid REFERENCES scan_imports(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((source = 'pentest') = (pentest_id IS NOT NULL)),
      CHECK (last_detected_at >= first_detected_at)
    );
    CREATE UNIQUE INDEX findings_scan_fingerprint ON findings (organization_id, system_id, tool, fingerprint)
      WHERE source = 'scan';
    CREATE UNIQUE INDEX findings_pentest_fingerprint ON findings (pentest_id, fingerprint)
      WHERE source = 'pentest';
    CREATE INDEX findings_list_idx ON findings (organization_id, status, severity, due_at, id);
    CREATE INDEX findings_system_idx ON findings (organization_id, system_id, status);
    CREATE INDEX findings_assignee_idx ON findings (organization_id, assignee_id) WHERE assignee_id IS NOT NULL;

    -- A finding's status over time: the period from valid_from until valid_to (open-ended when
    -- null). deadline_at as on findings: set while the finding counts against its SLA.
    CREATE TABLE finding_periods (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      finding_id uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('open', 'resolved', 'risk_accepted', 'false_positive')),
      severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
      due_at timestamptz NOT NULL,
      deadline_at timestamptz,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      CHECK (valid_to IS NULL OR valid_to >= valid_from),
      CHECK ((deadline_at IS NOT NULL) = (status IN ('open', 'risk_accepted')))
    );
    CREATE INDEX finding_periods_finding_idx ON finding_periods (finding_id, valid_from);
    CREATE UNIQUE INDEX finding_periods_current ON finding_periods (finding_id) WHERE valid_to IS NULL;
    -- the checks as of now: what counts against its deadline, by deadline
    CREATE INDEX finding_periods_counting_idx ON finding_periods (organization_id, deadline_at)
      WHERE valid_to IS NULL AND deadline_at IS NOT NULL;
    -- the checks as of a past date: periods closed after it
    CREATE INDEX finding_periods_closed_idx ON finding_periods (organization_id, valid_to)
      WHERE valid_to IS NOT NULL;

    CREATE TABLE finding_acceptances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      finding_id uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
      expires_at timestamptz NOT NULL,
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      -- the approver asked for, if any; whoever decides must not be the requester
      approver_id uuid REFERENCES users(id),
      decision text CHECK (decision IN ('approved', 'rejected')),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_comment text,
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      CHECK ((decision IS NULL) = (decided_at IS NULL)),
      CHECK (decided_by IS NULL OR decided_by <> requested_by)
    );
    CREATE INDEX finding_acceptances_finding_idx ON finding_acceptances (finding_id, requested_at);
    CREATE INDEX finding_acceptances_pending_idx ON finding_acceptances (organization_id)
      WHERE decision IS NULL;

    CREATE TABLE finding_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      finding_id uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      author_id uuid REFERENCES users(id),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX finding_comments_finding_idx ON finding_comments (finding_id, created_at);
  `.execute(db);
  for (const table of TABLES) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO attest_app, attest_system`.execute(
      db,
    );
    await isolateTenantTable(db, table);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
