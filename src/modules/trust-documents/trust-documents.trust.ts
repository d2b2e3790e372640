import { sql } from "kysely";
import { registerTrustSection } from "../trust-center/trust-sections.ts";
import { documentsSection } from "./trust-documents.pages.ts";
import { isAvailable, shownDocuments } from "./trust-documents.service.ts";

/** This module's section of the public trust center page: the documents shown there. */
registerTrustSection({
  key: "documents",
  order: 200,
  async render(tx, site) {
    return documentsSection(site, (await shownDocuments(tx)).filter(isAvailable));
  },
  async stamp(tx) {
    const row = await sql<{ stamp: string | null }>`
      select coalesce(max(updated_at)::text, '') || '|' || count(*) as stamp
      from trust_documents`.execute(tx);
    return row.rows[0]?.stamp ?? "";
  },
});
