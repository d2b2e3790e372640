import { canonicalJson } from "../../domain/canonical-json.ts";
import { chainFields } from "./audit-log.service.ts";
import type { DescribedEvent } from "./audit-log.trail.ts";

/**
 * The trail as files an auditor takes away: CSV (RFC 4180) to read, JSON lines to verify.
 * Both carry the chain fields; a JSON line holds exactly the fields the hash covers, under
 * the same names (see the README's "Verifying an export" and scripts/verify-audit-export.mjs).
 */
export type ExportFormat = "csv" | "jsonl";

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  jsonl: "application/jsonl; charset=utf-8",
};

/** attest-audit-trail-2026-12-02.csv: the day of the export, UTC. */
export function exportFileName(format: ExportFormat, now = new Date()): string {
  return `attest-audit-trail-${now.toISOString().slice(0, 10)}.${format}`;
}

/** One JSON line: the hashed fields under their hashed names, then what helps a reader. */
function jsonLine(event: DescribedEvent): string {
  return `${JSON.stringify({
    ...chainFields(event),
    createdAt: event.created_at.toISOString(),
    id: event.id,
    actorName: event.actor_name,
    actionLabel: event.actionLabel,
    targetName: event.target.name,
    targetDeleted: event.target.deleted,
    summary: event.summary,
  })}\n`;
}

const CSV_COLUMNS = [
  "seq",
  "time",
  "actor",
  "actor_type",
  "actor_id",
  "action",
  "action_label",
  "target_type",
  "target_id",
  "target",
  "summary",
  "before",
  "after",
  "request_id",
  "organization_id",
  "prev_hash",
  "hash",
] as const;

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes doubled), and a
 * text that a spreadsheet would run as a formula (= + - @, or a tab or carriage return first)
 * is prefixed with ' so that it stays text.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(cells: (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

function csvHeader(): string {
  return csvRow([...CSV_COLUMNS]);
}

function csvLine(event: DescribedEvent): string {
  return csvRow([
    event.seq,
    event.created_at.toISOString(),
    event.actor_name,
    event.actor_type,
    event.actor_id,
    event.action,
    event.actionLabel,
    event.target_type,
    event.target_id,
    event.target.name,
    event.summary,
    canonicalJson(event.before ?? null),
    canonicalJson(event.after ?? null),
    event.request_id,
    event.organization_id,
    event.prev_hash,
    event.hash,
  ]);
}

/** The export's text, one batch of events at a time (a batch becomes one chunk). */
export async function* exportChunks(
  format: ExportFormat,
  batches: AsyncIterable<DescribedEvent[]>,
): AsyncGenerator<string> {
  if (format === "csv") yield csvHeader();
  const line = format === "csv" ? csvLine : jsonLine;
  for await (const batch of batches) {
    let chunk = "";
    for (const event of batch) chunk += line(event);
    yield chunk;
  }
}
