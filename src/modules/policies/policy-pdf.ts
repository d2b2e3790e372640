import type Token from "markdown-it/lib/token.mjs";
import PDFDocument from "pdfkit";
import { parseMarkdown } from "../../platform/markdown.ts";
import { footEveryPage } from "../../platform/pdf-footer.ts";

/**
 * Renders a policy version as a PDF: headings, paragraphs with bold, italic and code, lists,
 * block quotes and tables (as aligned rows), with a footer naming the document, its version
 * and approval on every page. Uses PDF's built-in Helvetica, so no font files are needed.
 */
export interface PolicyPdfInput {
  organizationName: string;
  title: string;
  version: number;
  publishedAt: Date | null;
  status: string;
  body: string;
}

const MARGIN = 56;
const HEADING_SIZES = [0, 20, 15, 12.5, 11.5, 11, 11];

export function renderPolicyPdf(input: PolicyPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${input.title} v${input.version}`,
      Author: input.organizationName,
      Creator: "Attest",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor("#555555")
    .text(input.organizationName.toUpperCase(), { characterSpacing: 1 });
  doc.moveDown(0.3);
  renderTokens(doc, parseMarkdown(input.body));

  const footer = `${input.title} — version ${input.version} — ${
    input.publishedAt ? `published ${input.publishedAt.toISOString().slice(0, 10)}` : input.status
  }`;
  footEveryPage(doc, footer, MARGIN);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;

function renderTokens(doc: Doc, tokens: Token[]) {
  const lists: { ordered: boolean; index: number }[] = [];
  let quoteDepth = 0;
  let table: string[][] | null = null;
  let row: string[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.type) {
      case "heading_open": {
        const level = Number(token.tag.slice(1));
        const inline = tokens[i + 1] as Token;
        doc.moveDown(level === 1 ? 0.2 : 0.7);
        doc
          .font("Helvetica-Bold")
          .fontSize(HEADING_SIZES[level] ?? 11)
          .fillColor("#111111");
        doc.text(plainText(inline), MARGIN, undefined, { width: textWidth(doc) });
        doc.moveDown(0.3);
        i += 2;
        break;
      }
      case "paragraph_open": {
        const inline = tokens[i + 1] as Token;
        if (table) break;
        const list = lists.at(-1);
        const indent = MARGIN + lists.length * 16 + quoteDepth * 14;
        const insideItem = (tokens[i - 1] as Token | undefined)?.type === "list_item_open";
        if (list && insideItem) {
          list.index++;
          const marker = list.ordered ? `${list.index}.` : "•";
          doc.font("Helvetica").fontSize(10.5).fillColor("#111111");
          const y = doc.y;
          doc.text(marker, indent - 14, y, { width: 14 });
          doc.y = y;
        }
        renderInline(doc, inline, indent, quoteDepth > 0);
        doc.moveDown(list && insideItem ? 0.15 : 0.55);
        i += 2;
        break;
      }
      case "bullet_list_open":
      case "ordered_list_open":
        lists.push({
          ordered: token.type === "ordered_list_open",
          index: Number(token.attrGet("start") ?? 1) - 1,
        });
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        if (lists.length === 0) doc.moveDown(0.4);
        break;
      case "blockquote_open":
        quoteDepth++;
        break;
      case "blockquote_close":
        quoteDepth--;
        break;
      case "table_open":
        table = [];
        break;
      case "tr_open":
        row = [];
        break;
      case "inline":
        if (row) row.push(plainText(token));
        break;
      case "tr_close":
        if (table && row) table.push(row);
        row = null;
        break;
      case "table_close":
        if (table) renderTable(doc, table);
        table = null;
        break;
      case "fence":
      case "code_block":
        doc
          .font("Courier")
          .fontSize(9)
          .fillColor("#222222")
          .text(token.content, MARGIN + 8, undefined, { width: textWidth(doc) - 8 });
        doc.moveDown(0.5);
        break;
      case "hr":
        doc
          .moveDown(0.3)
          .strokeColor("#cccccc")
          .moveTo(MARGIN, doc.y)
          .lineTo(doc.page.width - MARGIN, doc.y)
          .stroke();
        doc.moveDown(0.5);
        break;
    }
  }
}

function renderInline(doc: Doc, inline: Token, x: number, quoted: boolean) {
  const width = doc.page.width - MARGIN - x;
  const runs: { text: string; font: string }[] = [];
  let bold = false;
  let italic = false;
  for (const child of inline.children ?? []) {
    if (child.type === "strong_open") bold = true;
    else if (child.type === "strong_close") bold = false;
    else if (child.type === "em_open") italic = true;
    else if (child.type === "em_close") italic = false;
    else if (child.type === "softbreak" || child.type === "hardbreak")
      runs.push({ text: "\n", font: fontOf(bold, italic) });
    else if (child.type === "code_inline") runs.push({ text: child.content, font: "Courier" });
    else if (child.type === "text")
      runs.push({ text: child.content, font: fontOf(bold, italic || quoted) });
  }
  if (runs.length === 0) return;
  doc.fontSize(10.5).fillColor(quoted ? "#444444" : "#111111");
  runs.forEach((run, index) => {
    doc.font(run.font);
    if (index === 0)
      doc.text(run.text, x, undefined, { width, continued: index < runs.length - 1, lineGap: 1.5 });
    else doc.text(run.text, { continued: index < runs.length - 1, lineGap: 1.5 });
  });
}

function renderTable(doc: Doc, rows: string[][]) {
  const columns = Math.max(...rows.map((r) => r.length));
  const width = textWidth(doc) / columns;
  doc.fontSize(9);
  rows.forEach((cells, rowIndex) => {
    const y = doc.y;
    let height = 0;
    cells.forEach((cell) => {
      doc.font(rowIndex === 0 ? "Helvetica-Bold" : "Helvetica").fillColor("#111111");
      height = Math.max(height, doc.heightOfString(cell, { width: width - 6 }));
    });
    if (y + height > doc.page.height - MARGIN - 20) doc.addPage();
    const top = doc.y;
    cells.forEach((cell, column) => {
      doc.font(rowIndex === 0 ? "Helvetica-Bold" : "Helvetica");
      doc.text(cell, MARGIN + column * width, top, { width: width - 6 });
    });
    doc.y = top + height + 4;
    doc
      .strokeColor("#dddddd")
      .moveTo(MARGIN, doc.y - 2)
      .lineTo(MARGIN + textWidth(doc), doc.y - 2)
      .stroke();
  });
  doc.x = MARGIN;
  doc.moveDown(0.6);
}

function plainText(inline: Token): string {
  return (inline.children ?? [])
    .map((c) => (c.type === "softbreak" || c.type === "hardbreak" ? " " : c.content))
    .join("");
}

function fontOf(bold: boolean, italic: boolean): string {
  if (bold && italic) return "Helvetica-BoldOblique";
  if (bold) return "Helvetica-Bold";
  if (italic) return "Helvetica-Oblique";
  return "Helvetica";
}

function textWidth(doc: Doc): number {
  return doc.page.width - 2 * MARGIN;
}
