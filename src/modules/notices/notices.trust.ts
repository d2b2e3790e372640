import type { TrustSection } from "../../public-site/sections.ts";
import { noticesSection } from "./notices.pages.ts";
import { currentNotices, PUBLIC_STATUSES, recentlyResolved } from "./notices.public-data.ts";

/** This module's section of the public trust center page: current notices, then resolved. */
export const RECENTLY_RESOLVED = 5;

export const noticesTrustSection: TrustSection = {
  key: "notices",
  order: 50,
  async render(tx, site) {
    const current = await currentNotices(tx, site.organizationId);
    const resolved = await recentlyResolved(tx, site.organizationId, RECENTLY_RESOLVED);
    return noticesSection(site, current, resolved);
  },
  async summary(tx, site) {
    const current = await currentNotices(tx, site.organizationId);
    const resolved = await recentlyResolved(tx, site.organizationId, RECENTLY_RESOLVED);
    // Always shown (with the subscribe form), even with no notice.
    return { title: "Notices", items: [...current, ...resolved].map((n) => n.title) };
  },
  async stamp(tx) {
    const row = await tx
      .selectFrom("notices")
      .where("status", "in", PUBLIC_STATUSES)
      .select((eb) => [eb.fn.max("updated_at").as("latest"), eb.fn.countAll<number>().as("count")])
      .executeTakeFirst();
    return `${row?.latest ? new Date(row.latest).toISOString() : ""}|${row?.count ?? 0}`;
  },
};
