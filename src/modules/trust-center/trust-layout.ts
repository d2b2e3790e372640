import { html, type SafeHtml } from "./html.ts";
import { type TrustSite, trustLink } from "./trust-site.ts";

/**
 * The page every public trust center page is rendered in: same header, navigation and footer,
 * one stylesheet from our own origin, no script unless a page asks for one of ours.
 */
export interface TrustPage {
  title: string;
  main: SafeHtml;
  /** Our own scripts, by path under the trust center (for example "/assets/pow.js"). */
  scripts?: string[];
  description?: string;
}

export function renderTrustPage(site: TrustSite, page: TrustPage): string {
  const title =
    page.title === site.companyName ? page.title : `${page.title} · ${site.companyName}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : null}
<link rel="stylesheet" href="${trustLink(site, "/assets/trust.css")}">
<link rel="alternate" type="application/atom+xml" title="${site.companyName} notices" href="${trustLink(site, "/feed.atom")}">
${(page.scripts ?? []).map((src) => html`<script src="${trustLink(site, src)}" defer></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a class="brand" href="${trustLink(site)}">${site.companyName} Trust Center</a></header>
<main id="main">${page.main}</main>
<footer class="site-footer"><p>Powered by Attest</p></footer>
</body>
</html>`.value;
}
