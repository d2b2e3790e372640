import { renderMarkdown } from "../../platform/markdown.ts";
import { escapeHtml } from "../../public-site/html.ts";
import { absoluteUrl, type PublicBase } from "../../public-site/links.ts";
import { severityLabel } from "./notices.mail.ts";
import { dateTimeText, kindLabel } from "./notices.pages.ts";
import type { PublicNotice } from "./notices.public-data.ts";

/**
 * The Atom feed (RFC 4287) of the public notices. Ids are urn:uuid of the organization and of
 * each notice, so they never change when the host name does. Content is the rendered Markdown
 * as type="html", escaped once more for XML.
 */
export const FEED_SIZE = 50;

// Characters XML 1.0 does not allow, even escaped (PostgreSQL already refuses U+0000).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it removes
const NOT_XML = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function x(text: string): string {
  return escapeHtml(text.replace(NOT_XML, "\uFFFD"));
}

export function renderFeed(input: {
  organizationId: string;
  companyName: string;
  base: PublicBase;
  notices: PublicNotice[];
  /** When nothing is published yet: the organization's creation. */
  fallbackUpdated: Date;
}): { xml: string; updated: Date } {
  const { base, companyName } = input;
  let updated = input.notices.length > 0 ? new Date(0) : input.fallbackUpdated;
  for (const notice of input.notices) {
    if (notice.updated_at > updated) updated = notice.updated_at;
  }
  const self = absoluteUrl(base, "/feed.atom");
  const alternate = absoluteUrl(base, "/notices");
  const entries = input.notices.map((notice) => {
    const link = absoluteUrl(base, `/notices/${notice.id}`);
    const services = notice.affected_services.length
      ? `<p><strong>Affected services:</strong> ${x(notice.affected_services.join(", "))}</p>`
      : "";
    const updates = notice.updates
      .map((u) => `<h2>Update, ${x(dateTimeText(u.created_at))}</h2>\n${renderMarkdown(u.body)}`)
      .join("\n");
    const status =
      notice.status === "resolved" && notice.resolved_at
        ? `<p><strong>Resolved</strong> ${x(dateTimeText(notice.resolved_at))}</p>`
        : "";
    const content = `<p><strong>${x(severityLabel(notice.severity))}</strong> · ${x(kindLabel(notice.kind))}</p>${services}${status}\n${renderMarkdown(notice.body)}${updates}`;
    const summary = `${severityLabel(notice.severity)} ${kindLabel(notice.kind).toLowerCase()}${
      notice.affected_services.length ? ` affecting ${notice.affected_services.join(", ")}` : ""
    }${notice.status === "resolved" ? " (resolved)" : ""}`;
    return `  <entry>
    <id>urn:uuid:${notice.id}</id>
    <title type="text">${x(notice.title)}</title>
    <updated>${notice.updated_at.toISOString()}</updated>
    <published>${(notice.published_at ?? notice.created_at).toISOString()}</published>
    <author><name>${x(companyName)}</name></author>
    <link rel="alternate" type="text/html" href="${x(link)}"/>
    <category term="${x(notice.severity)}" label="${x(severityLabel(notice.severity))}"/>
    <summary type="text">${x(summary)}</summary>
    <content type="html">${x(content)}</content>
  </entry>`;
  });
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:uuid:${input.organizationId}</id>
  <title type="text">${x(`${companyName} notices`)}</title>
  <subtitle type="text">${x(`Security notices and other important information from ${companyName}`)}</subtitle>
  <updated>${updated.toISOString()}</updated>
  <author><name>${x(companyName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${x(self)}"/>
  <link rel="alternate" type="text/html" href="${x(alternate)}"/>
  <generator>Attest</generator>
${entries.join("\n")}
</feed>
`;
  return { xml, updated };
}
