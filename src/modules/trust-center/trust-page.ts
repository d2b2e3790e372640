import type { Tx } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { html, type SafeHtml } from "../../public-site/html.ts";
import { renderTrustPage } from "../../public-site/layout.ts";
import { markdownUnder } from "../../public-site/markdown.ts";
import { trustSections } from "../../public-site/sections.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import { publicPolicyVersions } from "../policies/policies.queries.ts";
import type { TrustSettings } from "./trust-center.schema.ts";
import { type PublishedPolicy, trustContent } from "./trust-content.ts";

function day(date: Date | null | undefined): string {
  return date ? isoDay(new Date(date)) : "";
}

function documentSection(
  id: string,
  heading: string,
  policy: PublishedPolicy | undefined,
): SafeHtml | null {
  if (!policy) return null;
  return html`<section class="trust-section document" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${heading}</h2>
<p class="doc-meta">Version ${policy.version} · effective <time datetime="${day(policy.published_at)}">${day(policy.published_at)}</time></p>
<details class="document-body">
<summary>Read the ${heading}</summary>
<div class="prose">${markdownUnder(policy.body, 2)}</div>
</details>
</section>`;
}

function statusPill(passing: boolean): SafeHtml {
  return passing
    ? html`<span class="pill pill-ok">In place</span>`
    : html`<span class="pill pill-neutral">In progress</span>`;
}

export interface RenderResult {
  body: string;
  /** A section failed to render: the page is served without it but not cached. */
  incomplete: boolean;
}

/**
 * The trust center's home page for the given settings (the publication in force, or the draft
 * when previewing): company, overview, the Description of Services and Security Commitments,
 * the controls by category with live status, the public policies, then the other modules'
 * sections. Runs in one tenant transaction.
 */
export async function renderHome(
  tx: Tx,
  site: TrustSite,
  settings: TrustSettings,
  onSectionError: (key: string, error: unknown) => void,
): Promise<RenderResult> {
  const { services, commitments, publicPolicies, categories, passing, shown, inPlace } =
    await trustContent(tx, settings);

  let incomplete = false;
  const extra: SafeHtml[] = [];
  for (const section of trustSections()) {
    try {
      const rendered = await section.render(tx, site);
      if (rendered) extra.push(rendered);
    } catch (error) {
      incomplete = true;
      onSectionError(section.key, error);
    }
  }

  const slug = (name: string) => `category-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const contents: [string, string][] = [];
  if (services) contents.push(["services", "Description of Services"]);
  if (commitments) contents.push(["commitments", "Security Commitments"]);
  if (categories.length > 0) contents.push(["controls", "Security controls"]);
  if (publicPolicies.length > 0) contents.push(["policies", "Policies"]);

  const main = html`<section class="hero" aria-labelledby="page-title">
<h1 id="page-title">${site.companyName} Trust Center</h1>
${settings.tagline ? html`<p class="tagline">${settings.tagline}</p>` : null}
${settings.overview.trim() ? html`<div class="prose overview">${markdownUnder(settings.overview, 1)}</div>` : null}
</section>
${
  contents.length > 1
    ? html`<nav class="toc" aria-label="On this page"><ul>${contents.map(
        ([id, label]) => html`<li><a href="#${id}">${label}</a></li>`,
      )}</ul></nav>`
    : null
}
${documentSection("services", "Description of Services", services)}
${documentSection("commitments", "Security Commitments", commitments)}
${
  categories.length > 0
    ? html`<section class="trust-section" id="controls" aria-labelledby="controls-title">
<h2 id="controls-title">Security controls</h2>
<p class="summary">${
        settings.onlyInPlace
          ? `${inPlace} ${inPlace === 1 ? "control" : "controls"} in place, monitored continuously.`
          : `${inPlace} of ${shown} controls in place, monitored continuously.`
      }</p>
${categories.map(
  (category) => html`<section class="control-category" aria-labelledby="${slug(category.name)}">
<h3 id="${slug(category.name)}">${category.name}</h3>
<ul class="card-grid control-list">${category.controls.map(
    (control) => html`<li class="card control" id="control-${control.key}">
<div class="card-head"><h4>${control.title}</h4>${statusPill(passing.has(control.key))}</div>
<p>${control.description}</p>
</li>`,
  )}</ul>
</section>`,
)}
</section>`
    : null
}
${
  publicPolicies.length > 0
    ? html`<section class="trust-section" id="policies" aria-labelledby="policies-title">
<h2 id="policies-title">Policies</h2>
<ul class="link-list">${publicPolicies.map(
        (p) => html`<li><a href="${trustLink(site, `/policies/${p.id}`)}">${p.title}</a>
<span class="doc-meta">Version ${p.version} · effective <time datetime="${day(p.published_at)}">${day(p.published_at)}</time></span></li>`,
      )}</ul>
</section>`
    : null
}
${extra}`;
  return {
    body: renderTrustPage(site, {
      title: `${site.companyName} Trust Center`,
      description: settings.tagline ?? `Security and compliance at ${site.companyName}.`,
      main,
    }),
    incomplete,
  };
}

/** A public policy's current version, or one earlier version; undefined when there is none. */
export async function renderPolicyPage(
  tx: Tx,
  site: TrustSite,
  policyId: string,
  versionNumber?: number,
): Promise<string | undefined> {
  const found = await publicPolicyVersions(tx, policyId);
  if (!found) return undefined;
  const current = found.versions.find((v) => v.status === "published");
  if (!current) return undefined;
  const shown =
    versionNumber === undefined ? current : found.versions.find((v) => v.version === versionNumber);
  if (!shown) return undefined;
  const isCurrent = shown === current;
  const earlier = found.versions.filter((v) => v !== current);
  const policyPath = `/policies/${found.policy.id}`;
  const main = html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>
<li><a href="${trustLink(site)}">Trust Center</a></li>
${isCurrent ? null : html`<li><a href="${trustLink(site, policyPath)}">${found.policy.title}</a></li>`}
<li aria-current="page">${isCurrent ? found.policy.title : `Version ${shown.version}`}</li>
</ol></nav>
<article class="document" aria-labelledby="doc-title">
<h1 id="doc-title">${found.policy.title}</h1>
<p class="doc-meta">Version ${shown.version} · effective <time datetime="${day(shown.published_at)}">${day(shown.published_at)}</time>${
    shown.superseded_at
      ? html` · superseded <time datetime="${day(shown.superseded_at)}">${day(shown.superseded_at)}</time>`
      : null
  }</p>
${
  isCurrent
    ? null
    : html`<p class="notice" role="note">This is an earlier version. <a href="${trustLink(site, policyPath)}">Read the current version (${current.version})</a>.</p>`
}
<div class="prose">${markdownUnder(shown.body, 1)}</div>
</article>
${
  earlier.length > 0
    ? html`<section class="trust-section" aria-labelledby="versions-title">
<h2 id="versions-title">Earlier versions</h2>
<ul class="link-list">${earlier.map(
        (v) =>
          html`<li>${
            v === shown
              ? html`<span aria-current="page">Version ${v.version}</span>`
              : html`<a href="${trustLink(site, `${policyPath}/versions/${v.version}`)}">Version ${v.version}</a>`
          } <span class="doc-meta">effective ${day(v.published_at)}${v.superseded_at ? `, superseded ${day(v.superseded_at)}` : ""}</span></li>`,
      )}</ul>
</section>`
    : null
}`;
  return renderTrustPage(site, {
    title: isCurrent ? found.policy.title : `${found.policy.title}, version ${shown.version}`,
    main,
  });
}
