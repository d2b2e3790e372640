import { EncryptedPDFError, PDFDocument, type PDFFont, rgb, StandardFonts } from "pdf-lib";

/**
 * Stamps every page of a PDF with whom it was provided to, with pdf-lib: a line at the top and
 * one at the bottom of each page, inside its crop box. Uses the built-in Helvetica (WinAnsi),
 * so characters it cannot encode are shown as "?"; the text stays searchable.
 */
export interface Stamp {
  name: string;
  email: string;
  organizationName: string;
  /** YYYY-MM-DD */
  date: string;
}

export function stampLine(stamp: Stamp): string {
  return `Confidential — provided to ${stamp.name} <${stamp.email}> by ${stamp.organizationName} on ${stamp.date}`;
}

export async function stampPdf(pdf: Uint8Array, stamp: Stamp): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const text = encodable(font, stampLine(stamp));
  const top = encodable(font, `Confidential — ${stamp.name} <${stamp.email}> — ${stamp.date}`);
  for (const page of doc.getPages()) {
    const box = page.getCropBox();
    const room = box.width - 36;
    for (const [line, y] of [
      [text, box.y + 12],
      [top, box.y + box.height - 18],
    ] as const) {
      const size = Math.max(4, Math.min(8, (8 * room) / font.widthOfTextAtSize(line, 8)));
      const width = font.widthOfTextAtSize(line, size);
      page.drawText(line, {
        x: box.x + (box.width - width) / 2,
        y,
        size,
        font,
        color: rgb(0.6, 0.05, 0.05),
      });
    }
  }
  return doc.save();
}

/** Null when the PDF can be stamped; otherwise why not (for the upload's error). */
export async function canStamp(pdf: Uint8Array): Promise<string | null> {
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    if (doc.getPageCount() === 0) return "is a PDF without pages";
    return null;
  } catch (error) {
    if (error instanceof EncryptedPDFError) {
      return "is an encrypted PDF, which cannot be stamped; upload it without a password";
    }
    return "is not a PDF that can be read";
  }
}

/** The text with every character Helvetica cannot encode replaced by "?". */
function encodable(font: PDFFont, text: string): string {
  let out = "";
  for (const char of text) {
    try {
      font.widthOfTextAtSize(char, 8);
      out += char;
    } catch {
      out += "?";
    }
  }
  return out;
}
