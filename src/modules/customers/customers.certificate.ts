import PDFDocument from "pdfkit";
import { withTenant } from "../../db/tenant.ts";
import { minuteText } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { footEveryPage } from "../../platform/pdf-footer.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import type { CustomerView } from "./customers.schema.ts";
import { loadCustomer } from "./customers.service.ts";

/**
 * A customer's certificate of disposal as a PDF, once every disposal task is closed: the
 * customer, its contract, the agreed retention, and each data store with how, when and by whom
 * its data was disposed of and the evidence filed. Every export is audited. PDF's built-in
 * Helvetica, so no font files are needed.
 */

const MARGIN = 48;

export const METHOD_WORDS: Record<string, string> = {
  deleted: "Deleted",
  crypto_shredded: "Crypto-shredded",
  returned: "Returned to the customer",
  anonymised: "Anonymised",
  other: "Other",
};

function retentionLine(customer: CustomerView): string {
  const { retention } = customer;
  if (!retention) return "Retention: none recorded";
  if (retention.basis === "agreed")
    return `Retention: ${retention.days} days after contract end, agreed with the customer`;
  const applied = retention.policyDefault;
  return `Retention: ${retention.days} days after contract end, the ${applied?.name ?? "organization's default"} applied ${applied ? minuteText(applied.appliedAt) : ""} by ${applied?.appliedBy?.name ?? "unknown"}`;
}

function render(customer: CustomerView, organization: string, exportedAt: Date): Promise<Buffer> {
  const title = `Certificate of disposal: ${customer.name}`;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: title, Author: organization, Creator: "Attest" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font("Helvetica").fontSize(9).fillColor("#555555");
  doc.text(organization.toUpperCase(), { characterSpacing: 1 });
  doc.moveDown(0.3);
  doc.font("Helvetica-Bold").fontSize(18).fillColor("#000000").text(title);
  doc.moveDown(0.4);
  doc.font("Helvetica").fontSize(10);
  doc.text(`Customer: ${customer.name}${customer.reference ? ` (${customer.reference})` : ""}`);
  doc.text(`Contract: ${customer.contractStart} to ${customer.contractEnd ?? "running"}`);
  doc.text(retentionLine(customer));
  doc.text(`Disposal deadline: ${customer.disposalDeadline ?? "unknown"}`);
  doc.moveDown(0.8);
  doc.font("Helvetica-Bold").fontSize(13).text("Data stores");
  for (const task of customer.tasks) {
    const disposal = task.disposal;
    if (!disposal) continue;
    doc.moveDown(0.4);
    doc.font("Helvetica-Bold").fontSize(10).text(task.system.name);
    doc.font("Helvetica").fontSize(10);
    const method = METHOD_WORDS[disposal.method] ?? disposal.method;
    doc.text(`Method: ${method}${disposal.methodOther ? `: ${disposal.methodOther}` : ""}`);
    const late = task.state === "done_late" ? ` (${task.daysLate} days after the deadline)` : "";
    doc.text(`Disposed of on ${disposal.disposedOn}${late} by ${disposal.disposedBy.name}`);
    const files = disposal.evidence.map((e) => e.fileName ?? "a link").join(", ");
    doc.text(`Evidence: ${files || "none filed"}`);
    if (disposal.notes) doc.text(`Notes: ${disposal.notes}`);
  }
  if (customer.tasks.length === 0) doc.text("No data store held this customer's data.");
  footEveryPage(doc, `${title} — exported ${minuteText(exportedAt)}`, MARGIN);
  doc.end();
  return done;
}

/** The certificate, or a 409 while a disposal task is open. */
export async function disposalCertificate(ctx: Context, id: string) {
  const { customer, organization } = await withTenant(ctx.db, ctx.organizationId, async (tx) => ({
    customer: await loadCustomer(tx, ctx.organizationId, id),
    organization: await organizationName(tx),
  }));
  if (customer.status !== "disposal_complete") {
    throw errors.conflict(
      "The certificate of disposal is issued once the contract has ended and every data store's disposal is recorded.",
    );
  }
  const exportedAt = new Date();
  const data = await render(customer, organization, exportedAt);
  await recordStandaloneEvent(ctx.db, {
    organizationId: ctx.organizationId,
    actor: ctx.actor,
    action: "customer.certificate_exported",
    targetType: "customer",
    targetId: id,
    after: { format: "pdf" },
    requestId: ctx.requestId,
  });
  const slug = customer.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return {
    fileName: `disposal-certificate-${slug || "customer"}-${exportedAt.toISOString().slice(0, 10)}.pdf`,
    data,
  };
}
