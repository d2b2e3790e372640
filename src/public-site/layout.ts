import { trustStylesheet } from "./assets.ts";
import { html, type SafeHtml } from "./html.ts";
import { type TrustSite, trustLink } from "./site.ts";

/**
 * The page every public trust center page is rendered in: same header, navigation and footer,
 * one stylesheet from our own origin (plus the generated theme of colours), no script unless a
 * page asks for one of ours. Landmarks: banner, main (target of the skip link), contentinfo.
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
  const theme = site.theme;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${site.preview ? "Preview: " : ""}${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : null}
${site.preview ? html`<meta name="robots" content="noindex, nofollow">` : null}
<link rel="stylesheet" href="${trustLink(site, `/assets/trust.css?v=${trustStylesheet().hash}`)}">
${theme ? html`<link rel="stylesheet" href="${theme.stylesheet}">` : null}
<link rel="alternate" type="application/atom+xml" title="${site.companyName} notices" href="${trustLink(site, "/feed.atom")}">
${(page.scripts ?? []).map((src) => html`<script src="${trustLink(site, src)}" defer></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
${
  site.preview
    ? html`<div class="preview-banner" role="status"><strong>Preview</strong> — this is the draft; the public does not see it until it is published.</div>`
    : null
}
<header class="site-header">
<div class="site-header-inner">
<a class="brand" href="${trustLink(site)}">${
    theme?.logo
      ? html`<img class="brand-logo" src="${theme.logo}" alt="" width="40" height="40">`
      : null
  }<span class="brand-name">${site.companyName}</span> <span class="brand-suffix">Trust Center</span></a>
</div>
</header>
<main id="main" tabindex="-1">${page.main}</main>
<footer class="site-footer">
<div class="site-footer-inner">
${site.contactEmail ? html`<p>Questions about security? <a href="mailto:${site.contactEmail}">${site.contactEmail}</a></p>` : null}
<p>Powered by Attest</p>
</div>
</footer>
</body>
</html>`.value;
}

/** The friendly page for a trust center that is not published, or a page that does not exist. */
export function renderNotFound(site: TrustSite, message: string): string {
  return renderTrustPage(site, {
    title: "Not found",
    main: html`<section class="hero" aria-labelledby="page-title">
<h1 id="page-title">Nothing to see here yet</h1>
<p>${message}</p>
${site.online ? html`<p><a href="${trustLink(site)}">Go to the trust center</a></p>` : null}
</section>`,
  });
}
