import { sql } from "kysely";
import { registerTrustSection } from "../trust-center/trust-sections.ts";
import { noticesSection } from "./notices.pages.ts";
import { currentNotices, recentlyResolved } from "./notices.public-data.ts";

/** This module's section of the public trust center page: current notices, then resolved. */
export const RECENTLY_RESOLVED = 5;

registerTrustSection({
  key: "notices",
  order: 50,
  async render(tx, site) {
    const current = await currentNotices(tx, site.organizationId);
    const resolved = await recentlyResolved(tx, site.organizationId, RECENTLY_RESOLVED);
    return noticesSection(site, current, resolved);
  },
  async stamp(tx) {
    const row = await sql<{ stamp: string | null }>`
      select coalesce(max(updated_at)::text, '') || '|' || count(*) as stamp
      from notices where status in ('published', 'resolved')`.execute(tx);
    return row.rows[0]?.stamp ?? "";
  },
});
