import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, StandardFonts } from "pdf-lib";

/** PDFs for the trust documents tests: made with pdf-lib, and the text each page draws. */

/** A PDF with one page per text, each drawn with pdf-lib. */
export async function makePdf(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([595, 842]);
    page.drawText(text, { x: 72, y: 700, size: 14, font });
  }
  return Buffer.from(await doc.save());
}

/** The text a page's content streams draw (hex and literal strings of Tj and TJ). */
export async function pageTexts(bytes: Buffer): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => doc.context.lookup(ref))
        : [contents];
    const lines: string[] = [];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const operators = Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
      for (const match of operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        lines.push(winAnsi(Buffer.from(match[1] ?? "", "hex")));
      }
      for (const match of operators.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
        lines.push(match[1] ?? "");
      }
      // Arrays of hex strings and kerning numbers, as pdfkit writes them.
      for (const match of operators.matchAll(/\[((?:<[0-9A-Fa-f]*>|[-\d.\s])*)\]\s*TJ/g)) {
        const parts = [...(match[1] ?? "").matchAll(/<([0-9A-Fa-f]*)>/g)];
        lines.push(parts.map((part) => winAnsi(Buffer.from(part[1] ?? "", "hex"))).join(""));
      }
    }
    return lines.join("\n");
  });
}

/** WinAnsiEncoding, as the standard fonts use: Latin-1 but for 0x80–0x9F (dashes, quotes…). */
const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
function winAnsi(bytes: Buffer): string {
  return [...bytes]
    .map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b)))
    .join("");
}
