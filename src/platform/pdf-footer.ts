/**
 * Writes a footer on every buffered page of a pdfkit document (it must be created with
 * `bufferPages: true`): the text on the left, "Page n of N" on the right, in small grey type
 * just inside the bottom margin.
 */
export function footEveryPage(doc: PDFKit.PDFDocument, text: string, margin: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - margin + 4;
    doc.font("Helvetica").fontSize(8).fillColor("#666666");
    doc.text(text, margin, bottom, { width: doc.page.width - 2 * margin - 80, lineBreak: false });
    doc.text(`Page ${i + 1} of ${range.count}`, doc.page.width - margin - 80, bottom, {
      width: 80,
      align: "right",
      lineBreak: false,
    });
  }
}
