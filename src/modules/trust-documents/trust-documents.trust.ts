import { sql } from "kysely";
import type { TrustSection } from "../../public-site/sections.ts";
import { isAvailable, shownDocuments } from "./trust-documents.documents.ts";
import { documentsSection } from "./trust-documents.pages.ts";
import { ndaFingerprint, readSettings } from "./trust-documents.settings.ts";

/** This module's section of the public trust center page: the documents shown there. */
export const documentsTrustSection: TrustSection = {
  key: "documents",
  order: 200,
  async render(tx, site) {
    const rows = (await shownDocuments(tx)).filter(isAvailable);
    const { ndaText } = await readSettings(tx);
    return documentsSection(site, rows, ndaFingerprint(ndaText) !== null);
  },
  async summary(tx) {
    const rows = (await shownDocuments(tx)).filter(isAvailable);
    return rows.length > 0 ? { title: "Documents", items: rows.map((d) => d.title) } : null;
  },
  async stamp(tx) {
    const row = await sql<{ stamp: string | null }>`
      select coalesce(max(updated_at)::text, '') || '|' || count(*) || '|' ||
        coalesce((select md5(nda_text) from trust_document_settings limit 1), '') as stamp
      from trust_documents`.execute(tx);
    return row.rows[0]?.stamp ?? "";
  },
};
