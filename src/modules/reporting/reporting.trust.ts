import { sql } from "kysely";
import { html } from "../../public-site/html.ts";
import type { TrustSection } from "../../public-site/sections.ts";
import { trustLink } from "../../public-site/site.ts";
import { loadChannel } from "./reporting.channel.ts";

/** This module's section of the public trust center page: the way to the reporting form. */
export const reportingTrustSection: TrustSection = {
  key: "reporting",
  order: 300,
  async render(tx, site) {
    const channel = await loadChannel(tx);
    if (!channel.enabled) return null;
    return html`<section class="trust-section report-section" id="report" aria-labelledby="report-title">
<h2 id="report-title">Report a concern</h2>
<p>${channel.intro}</p>
<p class="actions"><a class="button" href="${trustLink(site, "/report")}">Report a concern</a> <a href="${trustLink(site, "/report/follow-up")}">Follow up on a report</a></p>
</section>`;
  },
  async summary(tx) {
    return (await loadChannel(tx)).enabled ? { title: "Report a concern", items: [] } : null;
  },
  async stamp(tx) {
    const row = await sql<{ stamp: string | null }>`
      select enabled::text || '|' || updated_at::text as stamp from reporting_channels`.execute(tx);
    return row.rows[0]?.stamp ?? "default";
  },
};
