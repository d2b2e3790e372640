import { sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { presentItems } from "./access-reviews.items.ts";
import { renderRecordPdf } from "./access-reviews.pdf.ts";
import { findReview } from "./access-reviews.rules.ts";
import { presentReviews } from "./access-reviews.service.ts";

/**
 * A campaign's record: who reviewed what and when, each decision and its comment, each
 * revocation and when it was carried out. As CSV (RFC 4180) and as PDF; a draft until signed
 * off, the signed-off PDF being the control's evidence.
 */

export type RecordReview = Awaited<ReturnType<typeof presentReviews>>[number];
export type RecordItem = Awaited<ReturnType<typeof presentItems>>[number];

export interface RecordData {
  organizationName: string;
  review: RecordReview;
  items: RecordItem[];
}

const CHUNK = 1000;

/** The campaign and every item, by system name then username. */
export async function loadRecord(ctx: Context, tx: Tx, reviewId: string): Promise<RecordData> {
  const row = await findReview(tx, reviewId);
  const [review] = await presentReviews(ctx, tx, [row]);
  const rows = await tx
    .selectFrom("access_review_items as i")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "i.system_id")
    .selectAll("i")
    .where("i.review_id", "=", reviewId)
    .orderBy("s.name")
    .orderBy(sql`coalesce(i.username, '')`)
    .orderBy("i.id")
    .execute();
  const items: RecordItem[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    items.push(...(await presentItems(ctx, tx, rows.slice(i, i + CHUNK))));
  }
  return {
    organizationName: await organizationName(tx),
    review: review as RecordReview,
    items,
  };
}

/** One CSV field: quoted when needed, and a would-be formula (= + - @ tab CR first) kept text. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(cells: (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const RECORD_COLUMNS = [
  "campaign",
  "status",
  "system",
  "person",
  "username",
  "system_role",
  "admin",
  "service",
  "job_role",
  "basis",
  "granted_at",
  "last_login_at",
  "reviewer",
  "decision",
  "comment",
  "decided_at",
  "decided_by",
  "revocation_task",
  "revocation_due_at",
  "revocation_done_at",
] as const;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function renderRecordCsv(data: RecordData): string {
  const { review } = data;
  const lines = [csvRow([...RECORD_COLUMNS])];
  for (const item of data.items) {
    lines.push(
      csvRow([
        review.name,
        review.status,
        item.system.name,
        item.person?.name ?? null,
        item.username,
        item.systemRole,
        item.admin,
        item.service,
        item.jobRole,
        item.basis,
        iso(item.grantedAt),
        iso(item.lastLoginAt),
        item.reviewer?.name ?? null,
        item.decision,
        item.comment,
        iso(item.decidedAt),
        item.decidedBy?.name ?? null,
        item.revocation?.taskId ?? null,
        iso(item.revocation?.dueAt ?? null),
        iso(item.revocation?.doneAt ?? null),
      ]),
    );
  }
  return lines.join("");
}

function fileName(review: RecordReview, extension: string) {
  const slug = review.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `access-review-${slug || "record"}-${isoDay(review.startedAt)}.${extension}`;
}

export async function recordCsv(ctx: Context, reviewId: string) {
  const data = await withTenant(ctx.db, ctx.organizationId, (tx) => loadRecord(ctx, tx, reviewId));
  return { fileName: fileName(data.review, "csv"), data: renderRecordCsv(data) };
}

export async function recordPdf(ctx: Context, reviewId: string) {
  const data = await withTenant(ctx.db, ctx.organizationId, (tx) => loadRecord(ctx, tx, reviewId));
  return { fileName: fileName(data.review, "pdf"), data: await renderRecordPdf(data) };
}

export { fileName as recordFileName };
