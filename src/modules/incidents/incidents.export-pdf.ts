import PDFDocument from "pdfkit";
import { minuteText } from "../../domain/dates.ts";
import { footEveryPage } from "../../platform/pdf-footer.ts";
import type { ExportData, ExportEntry } from "./incidents.export.ts";

/**
 * An incident as a PDF: a heading, its facts and transitions, the timeline oldest first, the
 * notices published about it, and its lessons learned with the action items. PDF's built-in
 * Helvetica, so no font files are needed.
 */

const MARGIN = 48;
const moment = (date: Date | null | undefined) => (date ? minuteText(date) : "—");
const words = (value: string | null) => (value ?? "none").replaceAll("_", " ");

function entryLine(entry: ExportEntry): string {
  switch (entry.kind) {
    case "declared":
      return "Incident declared";
    case "status":
      return `Status changed from ${words(entry.from)} to ${words(entry.to)}`;
    case "severity":
      return `Severity changed from ${words(entry.from)} to ${words(entry.to)}`;
    case "owner":
      return `Owner changed from ${words(entry.from)} to ${words(entry.to)}`;
    case "customers":
      return entry.to === "true"
        ? "Marked as affecting customers"
        : "Marked as not affecting customers";
    case "notice":
      return `Notice published: ${entry.body}`;
    case "attachment":
      return `Attachment added${entry.body ? `: ${entry.body}` : ""}`;
    case "action":
      return `Action taken: ${entry.body}`;
    case "lessons":
      return `Lessons learned: ${entry.body}`;
    case "plan_test":
      return `Marked as a test of the Incident Response Plan${entry.body ? `: ${entry.body}` : ""}`;
    default:
      return entry.body;
  }
}

function heading(doc: PDFKit.PDFDocument, text: string) {
  doc.moveDown(0.8);
  doc.font("Helvetica-Bold").fontSize(13).fillColor("#000000").text(text);
  doc.moveDown(0.2);
  doc.font("Helvetica").fontSize(10);
}

function section(doc: PDFKit.PDFDocument, title: string, text: string) {
  if (!text.trim()) return;
  doc.moveDown(0.3);
  doc.font("Helvetica-Bold").fontSize(10).text(title);
  doc.font("Helvetica").fontSize(10).text(text);
}

function facts(doc: PDFKit.PDFDocument, data: ExportData) {
  const { incident } = data;
  const name = (id: string | null) => (id ? (data.names.get(id) ?? "unknown") : "none");
  const lines = [
    `Severity: ${incident.severity ?? "not yet set"}; status: ${incident.status}`,
    `Owner: ${name(incident.owner_id)}; declared ${incident.report_id ? "from a confidential report" : `by ${name(incident.reported_by)}`}`,
    `Reported ${moment(incident.reported_at)}; triaged ${moment(incident.triaged_at)}; contained ${moment(incident.contained_at)}`,
    `Resolved ${moment(incident.resolved_at)}; closed ${moment(incident.closed_at)}`,
    `Customers affected: ${incident.customers_affected ? "yes" : "no"}; customer data affected: ${incident.customer_data_affected ? "yes" : "no"}`,
  ];
  if (incident.affected_customers.length > 0) {
    lines.push(`Affected customers: ${incident.affected_customers.join(", ")}`);
  }
  if (data.systems.length > 0) lines.push(`Systems: ${data.systems.join(", ")}`);
  if (data.timeToNoticeHours !== null) {
    lines.push(`Time from confirmation to customer notice: ${data.timeToNoticeHours} hours`);
  }
  for (const line of lines) doc.text(line);
  section(doc, "Description", incident.description);
}

function timeline(doc: PDFKit.PDFDocument, data: ExportData) {
  heading(doc, "Timeline");
  for (const entry of data.entries) {
    doc.moveDown(0.2);
    const recorded =
      entry.occurredAt.getTime() !== entry.createdAt.getTime()
        ? ` (recorded ${moment(entry.createdAt)})`
        : "";
    doc.font("Helvetica").fontSize(8).fillColor("#555555");
    doc.text(`${moment(entry.occurredAt)}${recorded} — ${entry.author ?? "system"}`);
    doc.fontSize(10).fillColor("#000000").text(entryLine(entry));
  }
}

function notices(doc: PDFKit.PDFDocument, data: ExportData) {
  heading(doc, "Notices");
  if (data.notices.length === 0) doc.text("No notice has been written about this incident.");
  for (const notice of data.notices) {
    doc.moveDown(0.3);
    doc.font("Helvetica-Bold").fontSize(10).text(notice.title);
    doc.font("Helvetica").fontSize(9).fillColor("#444444");
    doc.text(
      `Status: ${notice.status}; severity ${notice.severity}; published ${moment(notice.published_at)}; subscribers told ${moment(notice.subscribers_notified_at)}; resolved ${moment(notice.resolved_at)}`,
    );
    doc.fontSize(10).fillColor("#000000").text(notice.body);
  }
}

function lessons(doc: PDFKit.PDFDocument, data: ExportData) {
  heading(doc, "Lessons learned");
  const { lessons } = data;
  if (!lessons) {
    doc.text("No lessons learned have been written yet.");
    return;
  }
  doc.text(
    lessons.status === "approved"
      ? `Approved ${moment(lessons.approvedAt)} by ${lessons.approvedBy ?? "unknown"}; written by ${lessons.author ?? "unknown"}`
      : `Status: ${lessons.status} (not approved yet); written by ${lessons.author ?? "unknown"}`,
  );
  section(doc, "What happened", lessons.whatHappened);
  section(doc, "Impact", lessons.impact);
  section(doc, "Root cause", lessons.rootCause);
  section(doc, "Timeline", lessons.timeline);
  section(doc, "What went well", lessons.wentWell);
  section(doc, "What to improve", lessons.toImprove);
  if (lessons.actionItems.length === 0) return;
  doc.moveDown(0.3);
  doc.font("Helvetica-Bold").fontSize(10).text("Action items");
  doc.font("Helvetica").fontSize(10);
  for (const item of lessons.actionItems) {
    const done = item.completedAt ? `done ${moment(item.completedAt)}` : "open";
    doc.text(`${item.title} — ${item.owner ?? "unknown"}, due ${item.dueOn}; ${done}`);
  }
}

export function renderIncidentPdf(data: ExportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${data.reference}: ${data.incident.title}`,
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
  doc.font("Helvetica-Bold").fontSize(18).fillColor("#000000");
  doc.text(`${data.reference}: ${data.incident.title}`);
  doc.moveDown(0.4);
  doc.font("Helvetica").fontSize(10);
  facts(doc, data);
  timeline(doc, data);
  notices(doc, data);
  lessons(doc, data);

  footEveryPage(doc, `${data.reference} — exported ${moment(data.exportedAt)}`, MARGIN);
  doc.end();
  return done;
}
