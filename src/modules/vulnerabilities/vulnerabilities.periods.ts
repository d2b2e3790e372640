import { sql } from "kysely";
import type { FindingStatus, Severity } from "../../db/tables/vulnerabilities.ts";
import type { Tx } from "../../db/tenant.ts";

/**
 * A finding's status over time. Every change of a finding's status, severity or deadline goes
 * through recordStatuses: it closes the finding's current period, opens the next, and sets the
 * finding's current columns to match, set-based, so the checks can answer as of any date from
 * finding_periods and the lists read the findings row alone.
 *
 * A new finding is inserted with its columns, then recordStatuses opens its first period
 * (there is none to close).
 */
export interface StatusChange {
  findingId: string;
  status: FindingStatus;
  severity: Severity;
  /** The remediation deadline: first detection + the severity's SLA. */
  dueAt: Date;
  /** risk_accepted only: when the acceptance expires (the finding counts again from then). */
  acceptedUntil?: Date | null;
  /** When the change took effect (a scan's time, a retest's date, now). */
  at: Date;
}

/**
 * What the checks compare for a status: an open finding counts from its due date; a risk
 * accepted one from the later of that and the acceptance's expiry; resolved and false
 * positive findings count no more (null).
 */
export function deadlineOf(
  status: FindingStatus,
  dueAt: Date,
  acceptedUntil?: Date | null,
): Date | null {
  if (status === "open") return dueAt;
  if (status === "risk_accepted") {
    const until = acceptedUntil ?? dueAt;
    return until.getTime() > dueAt.getTime() ? until : dueAt;
  }
  return null;
}

const BATCH = 2_000;

/**
 * Records status changes, in batches of one statement each per table. A change dated before
 * the current period began takes effect when that period began (a period never ends before
 * it starts).
 */
export async function recordStatuses(
  tx: Tx,
  organizationId: string,
  changes: readonly StatusChange[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += BATCH) {
    const batch = changes.slice(i, i + BATCH);
    const ids = batch.map((c) => c.findingId);
    const statuses = batch.map((c) => c.status);
    const severities = batch.map((c) => c.severity);
    const dues = batch.map((c) => c.dueAt.toISOString());
    const deadlines = batch.map(
      (c) => deadlineOf(c.status, c.dueAt, c.acceptedUntil)?.toISOString() ?? null,
    );
    const ats = batch.map((c) => c.at.toISOString());
    const changed = sql`unnest(${ids}::uuid[], ${statuses}::text[], ${severities}::text[],
      ${dues}::timestamptz[], ${deadlines}::timestamptz[], ${ats}::timestamptz[])
      AS c(finding_id, status, severity, due_at, deadline_at, at)`;
    // Two statements, not one with a data-modifying CTE: the current period must be closed
    // before the next opens (one open period per finding, a unique index).
    await sql`
      UPDATE finding_periods p SET valid_to = greatest(p.valid_from, c.at)
      FROM ${changed} WHERE p.finding_id = c.finding_id AND p.valid_to IS NULL`.execute(tx);
    await sql`
      INSERT INTO finding_periods (organization_id, finding_id, status, severity, due_at,
        deadline_at, valid_from)
      SELECT ${organizationId}::uuid, c.finding_id, c.status, c.severity, c.due_at, c.deadline_at,
        greatest(c.at, (SELECT max(p.valid_from) FROM finding_periods p
                        WHERE p.finding_id = c.finding_id))
      FROM ${changed}`.execute(tx);
    await sql`
      UPDATE findings f SET
        status = c.status, severity = c.severity, due_at = c.due_at, deadline_at = c.deadline_at,
        status_changed_at = c.at,
        resolved_at = CASE WHEN c.status = 'resolved' THEN c.at ELSE NULL END,
        updated_at = now()
      FROM ${changed}
      WHERE f.id = c.finding_id`.execute(tx);
  }
}

/**
 * The findings' periods in force at `asOf`, as a derived table to select from: finding_id,
 * status, severity, due_at, deadline_at, valid_from. Written as two parts so that each uses
 * its partial index: periods still open (the usual case, and all of them as of now) and
 * periods closed after asOf (none as of now).
 */
export function periodsAsOf(asOf: Date) {
  return sql<{
    finding_id: string;
    status: FindingStatus;
    severity: Severity;
    due_at: Date;
    deadline_at: Date | null;
    valid_from: Date;
  }>`(
    SELECT finding_id, status, severity, due_at, deadline_at, valid_from FROM finding_periods
    WHERE valid_to IS NULL AND valid_from <= ${asOf}
    UNION ALL
    SELECT finding_id, status, severity, due_at, deadline_at, valid_from FROM finding_periods
    WHERE valid_to IS NOT NULL AND valid_to > ${asOf} AND valid_from <= ${asOf}
  )`;
}
