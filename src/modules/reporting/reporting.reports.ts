import type { ReportRow } from "../../db/tables/reporting.ts";
import type { Tx } from "../../db/tenant.ts";
import type { ReportProgress } from "../../domain/report-states.ts";
import { errors } from "../../platform/errors.ts";

/** What intake and handling share about one report: its reference, its lock, its progress. */
export function reference(number: number): string {
  return `R-${String(number).padStart(4, "0")}`;
}

/** The report, locked for the rest of the transaction, so two changes never overtake each other. */
export async function lockReport(tx: Tx, id: string): Promise<ReportRow> {
  const row = await tx
    .selectFrom("reports")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("The report");
  return row;
}

export function progressOf(row: ReportRow): ReportProgress {
  return {
    state: row.state,
    acknowledgedAt: row.acknowledged_at,
    feedbackAt: row.feedback_at,
    closedAt: row.closed_at,
  };
}

/** The columns a transition writes. */
export function progressColumns(progress: ReportProgress) {
  return {
    state: progress.state,
    acknowledged_at: progress.acknowledgedAt,
    feedback_at: progress.feedbackAt,
    closed_at: progress.closedAt,
  };
}
