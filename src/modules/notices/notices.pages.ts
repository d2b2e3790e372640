import type { Notice } from "../../db/tables/notices.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { html, raw, type SafeHtml } from "../../public-site/html.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import { severityLabel } from "./notices.mail.ts";
import type { PublicNotice } from "./notices.public-data.ts";

/** The HTML of the public notices: the trust page section, the list, one notice, the forms. */

const KIND_LABELS: Record<string, string> = {
  security: "Security notice",
  incident: "Incident",
  maintenance: "Maintenance",
  policy_change: "Policy change",
  other: "Notice",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? "Notice";
}

const DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function dateTimeText(date: Date): string {
  return `${DATE.format(date)} UTC`;
}

export function dateTime(date: Date): SafeHtml {
  return html`<time datetime="${date.toISOString()}">${dateTimeText(date)}</time>`;
}

export function severityBadge(severity: string): SafeHtml {
  return html`<span class="pill pill-${severity}"><span class="visually-hidden">Severity: </span>${severityLabel(severity)}</span>`;
}

function services(notice: Notice): SafeHtml | null {
  if (notice.affected_services.length === 0) return null;
  return html`<p class="notice-services"><span class="notice-label">Affected services:</span> ${notice.affected_services.join(", ")}</p>`;
}

function statusLine(notice: Notice): SafeHtml {
  return html`<p class="notice-meta">${severityBadge(notice.severity)} <span class="notice-kind">${kindLabel(notice.kind)}</span>
${notice.status === "resolved" ? html`<span class="pill pill-ok">Resolved</span>` : html`<span class="pill pill-warn">Ongoing</span>`}</p>
<p class="notice-dates">${notice.published_at ? html`<span>Published ${dateTime(notice.published_at)}</span>` : null}${
    notice.resolved_at ? html` <span>Resolved ${dateTime(notice.resolved_at)}</span>` : null
  }</p>`;
}

/** One notice in a list: title linking to its page, severity, services, dates. */
export function noticeItem(site: TrustSite, notice: Notice, headingLevel: 3 | 2 = 3): SafeHtml {
  const title = html`<a href="${trustLink(site, `/notices/${notice.id}`)}">${notice.title}</a>`;
  return html`<li class="notice-item">
${headingLevel === 3 ? html`<h3>${title}</h3>` : html`<h2>${title}</h2>`}
${statusLine(notice)}
${services(notice)}
</li>`;
}

/** Without outgoing mail nothing is offered by email: the Atom feed is how to follow notices. */
function followByFeed(site: TrustSite): SafeHtml {
  return html`<p class="notice-follow">Follow new notices in the <a href="${trustLink(site, "/feed.atom")}">Atom feed</a> with a feed reader.</p>`;
}

/** The answer to a subscription posted where no mail can be sent (an old page, a script). */
export function noSubscriptionMessage(site: TrustSite): string {
  return `${site.companyName} does not send notices by email: there is no subscription to make. Follow new notices in the Atom feed at ${trustLink(site, "/feed.atom")}.`;
}

export function noSubscriptionPage(site: TrustSite): SafeHtml {
  return html`<h1>Notices by email are not offered</h1>
<p class="notice-message">${site.companyName} does not send notices by email.</p>
${followByFeed(site)}`;
}

/** The "Get notices by email" form, only where mail can be sent; the feed link otherwise. */
export function subscribeForm(
  site: TrustSite,
  options: { email?: string; error?: string; id?: string } = {},
): SafeHtml {
  if (!site.mail) return followByFeed(site);
  const id = options.id ?? "notice-subscribe-email";
  return html`<form class="notice-subscribe" method="post" action="${trustLink(site, "/subscriptions")}">
<fieldset>
<legend>Get notices by email</legend>
${options.error ? html`<p class="alert alert-error" role="alert" id="${id}-error">${options.error}</p>` : null}
<div class="field">
<label for="${id}">Email address</label>
<input id="${id}" name="email" type="email" required maxlength="254" autocomplete="email" value="${options.email ?? ""}" aria-describedby="${options.error ? `${id}-error ${id}-hint` : `${id}-hint`}"${
    options.error ? raw(' aria-invalid="true"') : null
  }>
<span class="hint" id="${id}-hint">We mail you a link to confirm first. Every mail has a one-click unsubscribe link.</span>
</div>
<button type="submit">Subscribe</button>
<p class="hint">Or follow the <a href="${trustLink(site, "/feed.atom")}">Atom feed</a> in a feed reader.</p>
</fieldset>
</form>`;
}

/** The notices section of the /trust page. */
export function noticesSection(site: TrustSite, current: Notice[], resolved: Notice[]): SafeHtml {
  return html`<section class="trust-section notices-section" id="notices" aria-labelledby="notices-heading">
<h2 id="notices-heading">Notices</h2>
${
  current.length > 0
    ? html`<ul class="notice-list notice-list-current">${current.map((n) => noticeItem(site, n))}</ul>`
    : html`<p class="notice-none">There are no current notices.</p>`
}
${
  resolved.length > 0
    ? html`<h3 class="notice-subheading">Recently resolved</h3>
<ul class="notice-list notice-list-resolved">${resolved.map((n) => noticeItem(site, n))}</ul>`
    : null
}
<p><a href="${trustLink(site, "/notices")}">All notices</a></p>
${subscribeForm(site)}
</section>`;
}

export function noticeListPage(
  site: TrustSite,
  notices: Notice[],
  page: number,
  hasMore: boolean,
): SafeHtml {
  const pageLink = (n: number) => trustLink(site, n === 1 ? "/notices" : `/notices?page=${n}`);
  return html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="${trustLink(site)}">Trust center</a></li></ol></nav>
<h1>Notices</h1>
<p>Security notices, incidents, maintenance and other important information from ${site.companyName}.</p>
${
  notices.length > 0
    ? html`<ul class="notice-list">${notices.map((n) => noticeItem(site, n, 2))}</ul>`
    : html`<p class="notice-none">${page === 1 ? "Nothing has been published yet." : "There are no notices on this page."}</p>`
}
${
  page > 1 || hasMore
    ? html`<nav class="pagination" aria-label="Pages of notices">
${page > 1 ? html`<a rel="prev" href="${pageLink(page - 1)}">Newer notices</a>` : null}
${hasMore ? html`<a rel="next" href="${pageLink(page + 1)}">Older notices</a>` : null}
</nav>`
    : null
}
${subscribeForm(site)}`;
}

export function noticePage(site: TrustSite, notice: PublicNotice): SafeHtml {
  return html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="${trustLink(site)}">Trust center</a></li><li><a href="${trustLink(site, "/notices")}">Notices</a></li></ol></nav>
<article class="document notice-article">
<h1>${notice.title}</h1>
${statusLine(notice)}
${services(notice)}
<div class="prose notice-body">${raw(renderMarkdown(notice.body))}</div>
${
  notice.updates.length > 0
    ? html`<section class="notice-updates" aria-labelledby="updates-heading">
<h2 id="updates-heading">Updates</h2>
<ol class="notice-update-list">${notice.updates.map(
        (
          u,
        ) => html`<li class="notice-update"><p class="notice-update-date">${dateTime(u.created_at)}</p>
<div class="prose">${raw(renderMarkdown(u.body))}</div></li>`,
      )}</ol>
</section>`
    : null
}
</article>
${subscribeForm(site)}`;
}

/** A short page with a message, and optionally a form with one button (confirm, unsubscribe). */
export function messagePage(
  title: string,
  message: string,
  action?: { url: string; label: string; hint?: string },
): SafeHtml {
  return html`<h1>${title}</h1>
<p class="notice-message">${message}</p>
${
  action
    ? html`<form method="post" action="${action.url}">
${action.hint ? html`<p>${action.hint}</p>` : null}
<button type="submit">${action.label}</button>
</form>`
    : null
}`;
}
