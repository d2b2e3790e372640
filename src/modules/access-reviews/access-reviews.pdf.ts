import PDFDocument from "pdfkit";
import { footEveryPage } from "../../platform/pdf-footer.ts";
import type { RecordData, RecordItem } from "./access-reviews.record.ts";

/**
 * The record of a campaign as a PDF: a heading (DRAFT until signed off), the campaign's dates,
 * counts and sign-off, then per system each item with its decision, comment and revocation.
 * PDF's built-in Helvetica, so no font files are needed.
 */

const MARGIN = 48;
const day = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : "—");
const moment = (date: Date | null | undefined) =>
  date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";

function itemLine(item: RecordItem): string {
  const who = item.person
    ? `${item.person.name} (${item.person.reference})`
    : item.service
      ? "service account"
      : "unlinked account";
  const what = item.systemRole
    ? `${item.systemRole}${item.admin ? " (admin)" : ""}`
    : `account ${item.username ?? ""}`.trim();
  return `${who} — ${what}${item.jobRole ? `; job role ${item.jobRole}` : ""}`;
}

function decisionLine(item: RecordItem): string {
  if (!item.decision) {
    return `Undecided — reviewer: ${item.reviewer?.name ?? "needs a reviewer"}`;
  }
  const by = item.decidedBy?.name ?? item.reviewer?.name ?? "unknown";
  const head = `${item.decision === "keep" ? "Keep" : "Revoke"} — ${by}, ${moment(item.decidedAt)}`;
  return item.comment ? `${head}: “${item.comment}”` : head;
}

function revocationLine(item: RecordItem): string | null {
  if (!item.revocation) return null;
  const done = item.revocation.doneAt
    ? `carried out ${moment(item.revocation.doneAt)}`
    : "not yet carried out";
  return `Revocation: due ${day(item.revocation.dueAt)}, ${done}`;
}

export function renderRecordPdf(data: RecordData): Promise<Buffer> {
  const { review } = data;
  const signed = review.closedAt !== null;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `Access review record: ${review.name}`,
      Author: data.organizationName,
      Creator: "Attest",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica").fontSize(9).fillColor("#555555");
  doc.text(data.organizationName.toUpperCase(), { characterSpacing: 1 });
  doc.moveDown(0.3);
  if (!signed) {
    doc.font("Helvetica-Bold").fontSize(12).fillColor("#b00020");
    doc.text("DRAFT — not signed off");
    doc.moveDown(0.2);
  }
  doc.font("Helvetica-Bold").fontSize(18).fillColor("#000000");
  doc.text(`Access review record: ${review.name}`);
  doc.moveDown(0.4);
  doc.font("Helvetica").fontSize(10).fillColor("#000000");
  const lines = [
    `Started ${moment(review.startedAt)}${review.startedBy ? ` by ${review.startedBy.name}` : review.scheduled ? " by the schedule" : ""}; due ${day(review.dueAt)}`,
    `Completed: ${moment(review.completedAt)}`,
    signed
      ? `Signed off ${moment(review.closedAt)} by ${review.closedBy?.name ?? "unknown"}`
      : `Status: ${review.status}`,
    `Items ${review.counts.items}: kept ${review.counts.kept}, revoked ${review.counts.revoked} (carried out ${review.counts.revocationsDone}), undecided ${review.counts.items - review.counts.decided}`,
  ];
  if (review.cancelledAt)
    lines.push(`Cancelled ${moment(review.cancelledAt)}: ${review.cancelReason ?? ""}`);
  for (const line of lines) doc.text(line);

  for (const system of review.systems) {
    doc.moveDown(0.8);
    doc.font("Helvetica-Bold").fontSize(13).text(system.system.name);
    doc.font("Helvetica").fontSize(9).fillColor("#444444");
    doc.text(
      `Owner: ${system.owner?.name ?? "none"}; ${system.items} items, ${system.decided} decided; review completed ${moment(system.completedAt)}`,
    );
    doc.fillColor("#000000");
    for (const item of data.items.filter((i) => i.system.id === system.system.id)) {
      doc.moveDown(0.3);
      doc.font("Helvetica-Bold").fontSize(10).text(itemLine(item));
      doc.font("Helvetica").fontSize(9);
      doc.text(
        `Granted ${day(item.grantedAt)}; ${item.basis ? `basis ${item.basis.replace("_", " ")}; ` : ""}last login ${day(item.lastLoginAt)}`,
      );
      doc.text(decisionLine(item));
      const revocation = revocationLine(item);
      if (revocation) doc.text(revocation);
    }
  }

  const footer = `${review.name} — ${signed ? `signed off ${day(review.closedAt)}` : "draft"}`;
  footEveryPage(doc, footer, MARGIN);
  doc.end();
  return done;
}
