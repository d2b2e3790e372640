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
});
