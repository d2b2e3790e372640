import { sql } from "kysely";
import type { Severity } from "../../db/tables/vulnerabilities.ts";
import type { Tx } from "../../db/tenant.ts";
import type { Settings } from "../../domain/settings.ts";
import { slaDays } from "../../domain/vulnerability-sla.ts";
import { recordStatuses, type StatusChange } from "./vulnerabilities.periods.ts";
import type { ParsedFinding, ScanFile } from "./vulnerabilities.scan-file.ts";

/**
 * What one scan changes in a system's findings, set-based inside the import's transaction:
 * the file's findings are staged in a temporary table (the first of duplicates kept), then
 * compared with the stored findings of the same system and tools in a few statements.
 */
export interface ScanCounts {
  results: number;
  created: number;
  unchanged: number;
  resolved: number;
  reopened: number;
}

export interface ApplyScan {
  organizationId: string;
  systemId: string;
  importId: string;
  scannedAt: Date;
  /** The file's tools; tools its findings name are added. */
  tools: readonly string[];
  settings: Settings;
  /** Called every PROGRESS_EVERY results read. */
  progress?: (results: number) => void;
}

export const PROGRESS_EVERY = 10_000;

/** Seconds of a severity's SLA, as SQL: added to a first detection gives the due date. */
function slaSeconds(settings: Settings) {
  const of = (severity: Severity) => slaDays(severity, settings) * 86_400;
  return sql<number>`CASE s.severity WHEN 'critical' THEN ${of("critical")}::int
    WHEN 'high' THEN ${of("high")}::int WHEN 'medium' THEN ${of("medium")}::int
    ELSE ${of("low")}::int END`;
}

async function stage(tx: Tx, batch: readonly ParsedFinding[], from: number): Promise<void> {
  const column = <T>(pick: (f: ParsedFinding) => T) => batch.map(pick);

  await sql`
    INSERT INTO scan_stage (ordinal, tool, fingerprint, title, description, severity, cvss_score,
      cvss_vector, identifiers, rule_id, package_name, installed_version, fixed_version,
      file_path, line, url)
    SELECT ${from}::int + u.n - 1, u.tool, u.fingerprint, u.title, u.description, u.severity,
      u.cvss_score, u.cvss_vector,
      ARRAY(SELECT jsonb_array_elements_text(u.identifiers::jsonb)), u.rule_id, u.package_name,
      u.installed_version, u.fixed_version, u.file_path, u.line, u.url
    FROM unnest(${column((f) => f.tool)}::text[], ${column((f) => f.fingerprint)}::text[],
      ${column((f) => f.title)}::text[], ${column((f) => f.description)}::text[],
      ${column((f) => f.severity)}::text[], ${column((f) => f.cvssScore)}::numeric[],
      ${column((f) => f.cvssVector)}::text[], ${column((f) => JSON.stringify(f.identifiers))}::text[],
      ${column((f) => f.ruleId)}::text[], ${column((f) => f.packageName)}::text[],
      ${column((f) => f.installedVersion)}::text[], ${column((f) => f.fixedVersion)}::text[],
      ${column((f) => f.filePath)}::text[], ${column((f) => f.line)}::int[],
      ${column((f) => f.url)}::text[])
      WITH ORDINALITY AS u(tool, fingerprint, title, description, severity, cvss_score,
        cvss_vector, identifiers, rule_id, package_name, installed_version, fixed_version,
        file_path, line, url, n)
    ORDER BY u.n
    ON CONFLICT (tool, fingerprint) DO NOTHING`.execute(tx);
}

/** Reads the file's findings into the staging table; answers the tools seen and the results. */
async function stageFindings(tx: Tx, scan: ScanFile, apply: ApplyScan) {
  await sql`
    CREATE TEMP TABLE scan_stage (
      ordinal integer NOT NULL,
      tool text NOT NULL,
      fingerprint text NOT NULL,
      title text NOT NULL,
      description text,
      severity text NOT NULL,
      cvss_score numeric(3, 1),
      cvss_vector text,
      identifiers text[] NOT NULL,
      rule_id text,
      package_name text,
      installed_version text,
      fixed_version text,
      file_path text,
      line integer,
      url text,
      finding_id uuid,
      old_status text,
      old_severity text,
      first_detected_at timestamptz,
      PRIMARY KEY (tool, fingerprint)
    ) ON COMMIT DROP`.execute(tx);
  const tools = new Set(apply.tools);
  let results = 0;
  let reported = 0;
  // Each batch is written while the next is read from the file (one statement at a time on
  // the transaction's connection; the parsing and the database work overlap).
  let pending: Promise<void> | null = null;
  try {
    for await (const batch of scan.findings()) {
      if (batch.length === 0) continue;
      for (const finding of batch) tools.add(finding.tool);
      if (pending) await pending;
      pending = stage(tx, batch, results);
      pending.catch(() => {}); // awaited before the next batch, or below
      results += batch.length;
      if (apply.progress && Math.floor(results / PROGRESS_EVERY) > reported) {
        reported = Math.floor(results / PROGRESS_EVERY);
        apply.progress(results);
      }
    }
    if (pending) await pending;
  } catch (error) {
    if (pending) await pending.catch(() => {});
    throw error;
  }
  await sql`ANALYZE scan_stage`.execute(tx);
  return { tools: [...tools], results };
}

/** Stages the file and applies it to the system's findings; answers the counts. */
export async function applyScan(tx: Tx, scan: ScanFile, apply: ApplyScan): Promise<ScanCounts> {
  const { organizationId, systemId, importId, scannedAt } = apply;
  const { tools, results } = await stageFindings(tx, scan, apply);
  const at = sql`${scannedAt.toISOString()}::timestamptz`;
  const sla = slaSeconds(apply.settings);

  // The stored findings the file reports again.
  await sql`
    UPDATE scan_stage s SET finding_id = f.id, old_status = f.status, old_severity = f.severity,
      first_detected_at = f.first_detected_at
    FROM findings f
    WHERE f.organization_id = ${organizationId}::uuid AND f.system_id = ${systemId}::uuid
      AND f.source = 'scan' AND f.tool = s.tool AND f.fingerprint = s.fingerprint`.execute(tx);
  // Statistics as they are now (else the planner takes every staged row for new, and loops).
  await sql`CREATE INDEX ON scan_stage (finding_id)`.execute(tx);
  await sql`ANALYZE scan_stage`.execute(tx);

  // New findings, open from the scan, with their first period.
  const created = await sql<{ n: number }>`
    WITH inserted AS (
      INSERT INTO findings (organization_id, system_id, source, tool, fingerprint, title,
        description, severity, cvss_score, cvss_vector, identifiers, rule_id, package_name,
        installed_version, fixed_version, file_path, line, url, first_detected_at,
        last_detected_at, status, status_changed_at, due_at, deadline_at, last_import_id)
      SELECT ${organizationId}::uuid, ${systemId}::uuid, 'scan', s.tool, s.fingerprint, s.title,
        s.description, s.severity, s.cvss_score, s.cvss_vector, s.identifiers, s.rule_id,
        s.package_name, s.installed_version, s.fixed_version, s.file_path, s.line, s.url,
        ${at}, ${at}, 'open', ${at}, ${at} + ${sla} * interval '1 second',
        ${at} + ${sla} * interval '1 second', ${importId}::uuid
      FROM scan_stage s WHERE s.finding_id IS NULL
      ORDER BY s.ordinal
      RETURNING id, severity, due_at
    ), periods AS (
      INSERT INTO finding_periods (organization_id, finding_id, status, severity, due_at,
        deadline_at, valid_from)
      SELECT ${organizationId}::uuid, i.id, 'open', i.severity, i.due_at, i.due_at, ${at}
      FROM inserted i
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM periods`.execute(tx);

  // Status and severity changes of the findings present: a resolved one is reopened (its
  // deadline unchanged), a severity change recomputes the due date from the same first
  // detection; false positives and risk acceptances stay.
  const changed = await sql<{
    finding_id: string;
    old_status: string;
    severity: Severity;
    due_at: Date;
    accepted_until: Date | null;
  }>`
    SELECT s.finding_id, s.old_status, s.severity,
      CASE WHEN s.severity = s.old_severity THEN f.due_at
        ELSE s.first_detected_at + ${sla} * interval '1 second' END AS due_at,
      (SELECT max(a.expires_at) FROM finding_acceptances a
       WHERE a.finding_id = s.finding_id AND a.decision = 'approved' AND a.revoked_at IS NULL)
        AS accepted_until
    FROM scan_stage s JOIN findings f ON f.id = s.finding_id
    WHERE s.old_status = 'resolved' OR s.severity <> s.old_severity`.execute(tx);
  const statusChanges: StatusChange[] = changed.rows.map((row) => ({
    findingId: row.finding_id,
    status: row.old_status === "resolved" ? "open" : (row.old_status as StatusChange["status"]),
    severity: row.severity,
    dueAt: new Date(row.due_at),
    acceptedUntil: row.accepted_until ? new Date(row.accepted_until) : null,
    at: scannedAt,
  }));
  const reopened = changed.rows.filter((row) => row.old_status === "resolved").length;

  // Findings of these tools the scan no longer reports: resolved at the scan.
  const gone = await sql<{ id: string; severity: Severity; due_at: Date }>`
    SELECT f.id, f.severity, f.due_at FROM findings f
    WHERE f.organization_id = ${organizationId}::uuid AND f.system_id = ${systemId}::uuid
      AND f.source = 'scan' AND f.tool = ANY(${tools}::text[])
      AND f.status IN ('open', 'risk_accepted') AND f.last_import_id IS DISTINCT FROM ${importId}::uuid
      AND NOT EXISTS (SELECT 1 FROM scan_stage s WHERE s.finding_id = f.id)`.execute(tx);
  for (const row of gone.rows) {
    statusChanges.push({
      findingId: row.id,
      status: "resolved",
      severity: row.severity,
      dueAt: new Date(row.due_at),
      at: scannedAt,
    });
  }
  await recordStatuses(tx, organizationId, statusChanges);

  // What the scan says of the findings present now.
  const present = await sql<{ n: number }>`
    WITH updated AS (
    UPDATE findings f SET title = s.title, description = s.description,
      cvss_score = s.cvss_score, cvss_vector = s.cvss_vector, identifiers = s.identifiers,
      rule_id = s.rule_id, package_name = s.package_name,
      installed_version = s.installed_version, fixed_version = s.fixed_version,
      file_path = s.file_path, line = s.line, url = s.url,
      last_detected_at = greatest(f.last_detected_at, ${at}),
      last_import_id = ${importId}::uuid, updated_at = now()
    FROM scan_stage s WHERE f.id = s.finding_id
    RETURNING 1)
    SELECT count(*)::int AS n FROM updated`.execute(tx);

  const stagedPresent = Number(present.rows[0]?.n ?? 0);
  return {
    results,
    created: Number(created.rows[0]?.n ?? 0),
    unchanged: stagedPresent - reopened,
    resolved: gone.rows.length,
    reopened,
  };
}
