import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { notifyChange } from "../../../src/modules/monitoring/changes.ts";
import { html } from "../../../src/public-site/html.ts";
import { registerTrustSection } from "../../../src/public-site/sections.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  type TestApp,
} from "../../helpers/app.ts";
import { publishPolicy } from "../../helpers/policies.ts";

const TRUST_HOST = "trust.example.test";
let t: TestApp;
let owner: Person;
let editor: Person;
const anonymous = () => new Client(t.app);

beforeAll(async () => {
  t = await createTestApp({ trustHost: TRUST_HOST });
  // The first organization of the file is the one /trust serves.
  owner = await createOrganization(t, "Acme <Cloud> & Co");
  editor = await addPerson(t, owner, "editor");
});
afterAll(() => t.close());

async function publishNewVersion(policyId: string, body: string) {
  const saved = await owner.client.request("PUT", `/api/v1/policies/${policyId}/draft`, { body });
  expect(saved.status).toBe(200);
  expect((await owner.client.post(`/api/v1/policies/${policyId}/submit`)).status).toBe(200);
  expect((await owner.client.post(`/api/v1/policies/${policyId}/approve`, {})).status).toBe(200);
}

/** The card of one control on the public page. */
function controlCard(page: string, key: string): string {
  const match = new RegExp(`id="control-${key}"[\\s\\S]*?</li>`).exec(page);
  if (!match) throw new Error(`no card for ${key}`);
  return match[0];
}

function expectValidation(reply: Reply, field: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe("validation_failed");
  expect(reply.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function auditActions(): Promise<string[]> {
  const events = await owner.client.get("/api/v1/audit-events?limit=200");
  return events.body.items.map((e: { action: string }) => e.action);
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#f00"/></svg>';

describe("the trust center before publication", () => {
  it("should answer 404 with a friendly HTML page while nothing is published", async () => {
    const reply = await anonymous().get("/trust");
    expect(reply.status).toBe(404);
    expect(String(reply.headers["content-type"])).toMatch(/^text\/html/);
    expect(reply.body).toContain("not published");
    expect(reply.headers["cache-control"]).toBe("no-store");
  });

  it("should give the defaults to readers and let only managers change them", async () => {
    const initial = await editor.client.get("/api/v1/trust-center");
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      online: false,
      published: null,
      hasUnpublishedChanges: true,
      publicUrl: "/trust",
      logo: null,
      history: [],
      draft: {
        companyName: "Acme <Cloud> & Co",
        displayName: null,
        showDescriptionOfServices: true,
        showSecurityCommitments: true,
        controlSelection: "chosen",
        shownCategories: [],
        shownControls: [],
        onlyInPlace: false,
        contactEmail: null,
      },
    });
    expect(initial.body.categories.map((c: { name: string }) => c.name)).toEqual([
      "Availability",
      "Confidentiality",
      "Vulnerability Management",
      "Incident Response",
      "Access Security",
      "Communications",
    ]);
    expect((await editor.client.patch("/api/v1/trust-center", { tagline: "x" })).status).toBe(403);
    expect((await editor.client.post("/api/v1/trust-center/publish")).status).toBe(403);
    expect((await anonymous().get("/api/v1/trust-center")).status).toBe(401);
  });

  it("should refuse bad settings naming the field, and change nothing", async () => {
    const before = (await owner.client.get("/api/v1/trust-center")).body;
    const actions = await auditActions();
    expectValidation(
      await owner.client.patch("/api/v1/trust-center", { primaryColor: "red" }),
      "primaryColor",
    );
    expectValidation(
      await owner.client.patch("/api/v1/trust-center", { accentColor: "#12345" }),
      "accentColor",
    );
    expectValidation(
      await owner.client.patch("/api/v1/trust-center", { hiddenControls: ["no-such-control"] }),
      "hiddenControls.0",
    );
    expectValidation(
      await owner.client.patch("/api/v1/trust-center", { hiddenCategories: ["Marketing"] }),
      "hiddenCategories.0",
    );
    expectValidation(
      await owner.client.patch("/api/v1/trust-center", { contactEmail: "not an email" }),
      "contactEmail",
    );
    expectValidation(await owner.client.patch("/api/v1/trust-center", { logoId: null }), "body");
    expectValidation(await owner.client.patch("/api/v1/trust-center", {}), "body");
    expect((await owner.client.get("/api/v1/trust-center")).body).toEqual(before);
    expect(await auditActions()).toEqual(actions);
  });

  it("should show the draft as a preview to readers, marked and not indexed, never publicly cached", async () => {
    const saved = await owner.client.patch("/api/v1/trust-center", {
      tagline: "Draft tagline <em>only</em>",
    });
    expect(saved.status).toBe(200);
    const preview = await editor.client.get("/api/v1/trust-center/preview");
    expect(preview.status).toBe(200);
    expect(String(preview.headers["content-type"])).toMatch(/^text\/html/);
    expect(preview.headers["x-robots-tag"]).toMatch(/noindex/);
    expect(preview.headers["cache-control"]).toBe("no-store");
    expect(preview.headers.etag).toBeUndefined();
    expect(preview.body).toContain("<strong>Preview</strong>");
    expect(preview.body).toContain("Draft tagline &lt;em&gt;only&lt;/em&gt;");
    expect(preview.body).toContain("/api/v1/trust-center/preview/theme.css?v=");
    expect((await anonymous().get("/api/v1/trust-center/preview")).status).toBe(401);
    // The public still sees nothing.
    expect((await anonymous().get("/trust")).status).toBe(404);
  });
});

describe("publishing and the public page", () => {
  let servicesId: string;
  let termsId: string;

  it("should publish the draft, audit it, and serve it at /trust with the user's text escaped", async () => {
    const patched = await owner.client.patch("/api/v1/trust-center", {
      tagline: "Security <b>first</b>",
      overview: "We **care**. <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
      primaryColor: "#AA3300",
      contactEmail: "security@acme.test",
    });
    expect(patched.status).toBe(200);
    expect(patched.body.draft.primaryColor).toBe("#aa3300");

    const published = await owner.client.post("/api/v1/trust-center/publish");
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      online: true,
      hasUnpublishedChanges: false,
      published: {
        online: true,
        publishedBy: { id: owner.id },
        settings: { tagline: "Security <b>first</b>" },
      },
    });
    expect(published.body.history).toHaveLength(1);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["trust_center.draft_updated", "trust_center.published"]),
    );

    const page = await anonymous().get("/trust");
    expect(page.status).toBe(200);
    expect(String(page.headers["content-type"])).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("Acme &lt;Cloud&gt; &amp; Co Trust Center");
    expect(page.body).toContain("Security &lt;b&gt;first&lt;/b&gt;");
    expect(page.body).toContain("<strong>care</strong>");
    expect(page.body).not.toContain("<script");
    expect(page.body).not.toContain("<img src=x");
    expect(page.body).toContain('href="mailto:security@acme.test"');
  });

  it("should send the strict CSP, load nothing from another origin and use no inline style or script", async () => {
    const page = await anonymous().get("/trust");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const body = page.body as string;
    expect(body).not.toMatch(/\sstyle=/i);
    expect(body).not.toMatch(/<style/i);
    expect(body).not.toMatch(/<script/i);
    // Every resource the page loads (src=, <link href=>) is a path on our own origin.
    const resources = [
      ...body.matchAll(/\ssrc="([^"]*)"/g),
      ...body.matchAll(/<link[^>]*href="([^"]*)"/g),
    ].map((m) => m[1] ?? "");
    expect(resources.length).toBeGreaterThanOrEqual(2);
    for (const url of resources) expect(url).toMatch(/^\/(?!\/)/);
    const css = await anonymous().get(
      /href="(\/trust\/assets\/trust\.css\?v=[^"]+)"/.exec(body)?.[1] ?? "",
    );
    expect(css.status).toBe(200);
    expect(String(css.headers["content-type"])).toMatch(/^text\/css/);
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(css.body).toContain(".skip-link");
    expect(css.body).toContain("prefers-reduced-motion");
    expect(css.body).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
    expect(css.body).not.toMatch(/@import/);
  });

  it("should serve the colours as a generated stylesheet named by its content", async () => {
    const page = (await anonymous().get("/trust")).body as string;
    const href = /href="(\/trust\/assets\/theme\.css\?v=[^"]+)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const theme = await anonymous().get(href as string);
    expect(theme.status).toBe(200);
    expect(theme.body).toContain("--brand: #aa3300;");
    expect(theme.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const stale = await anonymous().get("/trust/assets/theme.css?v=old");
    expect(stale.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
  });

  it("should answer with a strong ETag, 304 on If-None-Match, and HEAD without a body", async () => {
    const first = await anonymous().get("/trust");
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    const again = await anonymous().get("/trust");
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);

    const revalidated = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": etag,
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe("");
    expect(revalidated.headers.etag).toBe(etag);
    const other = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": '"something-else"',
    });
    expect(other.status).toBe(200);

    const head = await t.app.inject({ method: "HEAD", url: "/trust" });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers.etag).toBe(etag);
  });

  it("should show the controls by category in catalog order, in place only while passing, with no failure details", async () => {
    const catalog = (await owner.client.get("/api/v1/trust-center")).body.categories;
    const chosen = await owner.client.patch("/api/v1/trust-center", {
      shownCategories: catalog.map((c: { name: string }) => c.name),
    });
    expect(chosen.status).toBe(200);
    await owner.client.post("/api/v1/trust-center/publish");
    const page = (await anonymous().get("/trust")).body as string;
    const categories = [...page.matchAll(/<h3 id="category-[^"]+">([^<]+)<\/h3>/g)].map(
      (m) => m[1],
    );
    expect(categories).toEqual([
      "Availability",
      "Confidentiality",
      "Vulnerability Management",
      "Incident Response",
      "Access Security",
      "Communications",
    ]);
    expect(page.match(/class="card control"/g)).toHaveLength(29);
    const card = controlCard(page, "description-of-services");
    expect(card).toContain("Description of Services");
    expect(card).toContain("In progress");
    expect(card).not.toContain("In place");
    expect(page).not.toContain("failing");
    expect(page).not.toContain("There is no policy");
    expect(page).not.toContain("/policies/new");
  });

  it("should revalidate when a control starts passing and show the Description of Services with its version and date", async () => {
    const before = await anonymous().get("/trust");
    servicesId = (await publishPolicy(owner, "description-of-services")).id;
    const after = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": String(before.headers.etag),
    });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const page = after.body as string;
    expect(controlCard(page, "description-of-services")).toContain("In place");
    expect(page).toContain('id="services"');
    const today = new Date().toISOString().slice(0, 10);
    expect(page).toMatch(
      new RegExp(
        `id="services-title">Description of Services</h2>\\s*<p class="doc-meta">Version 1 · effective <time datetime="${today}">`,
      ),
    );
  });

  it("should show the Security Commitments, and hide either document when the settings say so", async () => {
    (await publishPolicy(owner, "security-commitments")).id;
    let page = (await anonymous().get("/trust")).body as string;
    expect(page).toContain('id="commitments-title">Security Commitments</h2>');
    await owner.client.patch("/api/v1/trust-center", {
      showSecurityCommitments: false,
      showDescriptionOfServices: false,
    });
    page = (await anonymous().get("/trust")).body as string;
    expect(page).toContain('id="commitments"'); // the draft is not live yet
    await owner.client.post("/api/v1/trust-center/publish");
    page = (await anonymous().get("/trust")).body as string;
    expect(page).not.toContain('id="commitments"');
    expect(page).not.toContain('id="services"');
    await owner.client.patch("/api/v1/trust-center", {
      showSecurityCommitments: true,
      showDescriptionOfServices: true,
    });
    await owner.client.post("/api/v1/trust-center/publish");
    page = (await anonymous().get("/trust")).body as string;
    expect(page).toContain('id="commitments"');
  });

  it("should show only the categories and controls chosen", async () => {
    const everything = (await owner.client.get("/api/v1/trust-center")).body.draft.shownCategories;
    await owner.client.patch("/api/v1/trust-center", {
      shownCategories: ["Communications"],
      shownControls: ["incident-lessons-learned"],
    });
    await owner.client.post("/api/v1/trust-center/publish");
    const page = (await anonymous().get("/trust")).body as string;
    expect(page).not.toContain(">Availability</h3>");
    expect(page).not.toContain('id="control-bcdr-policy"');
    expect(page).not.toContain('id="control-incident-tracking"');
    expect(page).toContain('id="control-incident-lessons-learned"');
    expect(page).toContain('id="control-description-of-services"');
    await owner.client.patch("/api/v1/trust-center", {
      shownCategories: everything,
      shownControls: [],
    });
    await owner.client.post("/api/v1/trust-center/publish");
  });

  it("should list the public policies and serve each with its version, date and earlier versions", async () => {
    termsId = (await publishPolicy(owner, "terms-of-service")).id;
    let page = (await anonymous().get("/trust")).body as string;
    expect(page).toContain(`href="/trust/policies/${termsId}">Terms of Service</a>`);
    expect(page).toContain(`href="/trust/policies/${servicesId}"`);
    // Made internal, the Description of Services stays on the page but leaves the public documents.
    await owner.client.patch(`/api/v1/policies/${servicesId}`, { visibility: "internal" });
    page = (await anonymous().get("/trust")).body as string;
    expect(page).toContain('id="services-title"');
    expect(page).not.toContain(`href="/trust/policies/${servicesId}"`);
    expect((await anonymous().get(`/trust/policies/${servicesId}`)).status).toBe(404);

    await publishNewVersion(termsId, "# Terms of Service\n\nVersion two of the <terms>.");
    page = (await anonymous().get("/trust")).body as string;
    expect(page).toMatch(/Terms of Service<\/a>\s*<span class="doc-meta">Version 2/);
    const current = await anonymous().get(`/trust/policies/${termsId}`);
    expect(current.status).toBe(200);
    expect(current.body).toContain("Version two of the &lt;terms&gt;.");
    expect(current.body).toContain("Version 2 · effective");
    expect(current.body).toContain(`href="/trust/policies/${termsId}/versions/1">Version 1</a>`);
    expect(current.headers.etag).toBeDefined();

    const earlier = await anonymous().get(`/trust/policies/${termsId}/versions/1`);
    expect(earlier.status).toBe(200);
    expect(earlier.body).toContain("This is an earlier version.");
    expect(earlier.body).toContain("superseded");
    expect(earlier.body).not.toContain("Version two of the");
    expect((await anonymous().get(`/trust/policies/${termsId}/versions/9`)).status).toBe(404);
    expect((await anonymous().get(`/trust/policies/${termsId}/versions/x`)).status).toBe(404);
    expect((await anonymous().get("/trust/policies/not-a-uuid")).status).toBe(404);
    expect((await anonymous().get("/trust/no-such-page")).status).toBe(404);
    const slash = await anonymous().get("/trust/");
    expect(slash.status).toBe(301);
    expect(slash.headers.location).toBe("/trust");

    await owner.client.patch(`/api/v1/policies/${termsId}`, { visibility: "internal" });
    expect((await anonymous().get(`/trust/policies/${termsId}`)).status).toBe(404);
    expect((await anonymous().get("/trust")).body).not.toContain(`/trust/policies/${termsId}`);
    await owner.client.patch(`/api/v1/policies/${termsId}`, { visibility: "public" });
  });

  it("should sum up for the publish confirmation the documents, controls and public policies", async () => {
    const reply = await editor.client.get("/api/v1/trust-center/publish-summary");
    expect(reply.status).toBe(200);
    const sections = reply.body.sections as { key: string; title: string; items: string[] }[];
    expect(sections.slice(0, 4).map((s) => s.key)).toEqual([
      "services",
      "commitments",
      "controls",
      "policies",
    ]);
    expect(sections[0]?.items).toEqual([expect.stringMatching(/, version 1$/)]);
    expect(sections[3]?.items).toContain("Terms of Service, version 2");
    expect(sections[3]?.items).not.toContain("Description of Services, version 1"); // internal
    expect(reply.body.controls.shown).toBe(29);
    expect(reply.body.controls.inPlace).toBeGreaterThan(0);
    expect(reply.body.controls.inProgress).toBe(29 - reply.body.controls.inPlace);
    expect(reply.body.online).toBe(true);
    expect((await anonymous().get("/api/v1/trust-center/publish-summary")).status).toBe(401);
  });

  it("should render the sections other modules register, revalidate on their stamp, and survive one that fails", async () => {
    let version = "one";
    let failing = false;
    registerTrustSection({
      key: "test-section",
      order: 500,
      async render(_tx, site) {
        if (failing) throw new Error("section broken");
        return html`<section class="trust-section" id="test-section"><h2>Extra ${version} for ${site.companyName}</h2></section>`;
      },
      async stamp() {
        return version;
      },
    });
    await notifyChange(t.deps.db, owner.organizationId, "test");
    const first = await anonymous().get("/trust");
    expect(first.body).toContain("<h2>Extra one for Acme &lt;Cloud&gt; &amp; Co</h2>");

    version = "<two>";
    // A change on this node drops the remembered stamp at once (elsewhere: within a second).
    await notifyChange(t.deps.db, owner.organizationId, "test");
    const second = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": String(first.headers.etag),
    });
    expect(second.status).toBe(200);
    expect(second.body).toContain("<h2>Extra &lt;two&gt; for");

    failing = true;
    version = "three";
    await notifyChange(t.deps.db, owner.organizationId, "test");
    const broken = await anonymous().get("/trust");
    expect(broken.status).toBe(200);
    expect(broken.body).not.toContain('id="test-section"');
    expect(broken.body).toContain('id="controls"');
    // Not kept: once the section works again, the page has it without any other change.
    failing = false;
    const repaired = await anonymous().get("/trust");
    expect(repaired.body).toContain("<h2>Extra three for");
    registerTrustSection({ key: "test-section", order: 500, render: async () => null });
    await notifyChange(t.deps.db, owner.organizationId, "test");
  });

  it("should serve the trust center at the root of ATTEST_TRUST_HOST, and nothing else there", async () => {
    const onHost = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: "GET", url, headers: { host: TRUST_HOST, ...headers } });
    const home = await onHost("/");
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain("Acme &lt;Cloud&gt; &amp; Co Trust Center");
    expect(home.body).toContain('href="/assets/trust.css?v=');
    expect(home.body).toContain(`href="/policies/${termsId}"`);
    expect(home.body).not.toContain('href="/trust');
    // Its own cached copy, with links of its own, hence its own ETag.
    expect(home.headers.etag).not.toBe((await anonymous().get("/trust")).headers.etag);
    expect((await onHost("/", { "if-none-match": String(home.headers.etag) })).statusCode).toBe(
      304,
    );
    expect((await onHost(`/policies/${termsId}`)).statusCode).toBe(200);
    expect((await onHost("/assets/trust.css")).statusCode).toBe(200);
    expect((await onHost("/TRUST")).statusCode).toBe(404);
    expect((await onHost("/trust")).statusCode).toBe(404);
    expect((await onHost("/api/v1/trust-center")).statusCode).toBe(404);
    expect((await onHost("/healthz")).statusCode).toBe(404);
    expect((await onHost("/login")).statusCode).toBe(404);
    const upper = await t.app.inject({
      method: "GET",
      url: "/",
      headers: { host: "TRUST.example.test" },
    });
    expect(upper.statusCode).toBe(200);
    // Elsewhere, the usual paths.
    expect((await anonymous().get("/healthz")).status).toBe(200);
  });

  it("should take a logo in each image type, serve it with its type, nosniff and for SVG a sandboxing CSP", async () => {
    const png = await owner.client.request("PUT", "/api/v1/trust-center/logo", {
      contentType: "image/png",
      data: PNG.toString("base64"),
    });
    expect(png.status).toBe(200);
    expect(png.body.logo).toMatchObject({ contentType: "image/png", size: PNG.length });
    const draftLogo = await editor.client.get("/api/v1/trust-center/logo");
    expect(draftLogo.status).toBe(200);
    expect(draftLogo.headers["content-type"]).toBe("image/png");
    expect((await anonymous().get("/trust/assets/logo")).status).toBe(404); // not published yet

    await owner.client.post("/api/v1/trust-center/publish");
    const page = (await anonymous().get("/trust")).body as string;
    const src = /<img class="brand-logo" src="([^"]+)" alt=""/.exec(page)?.[1];
    expect(src).toMatch(/^\/trust\/assets\/logo\?v=/);
    const logo = await t.app.inject({ method: "GET", url: src as string });
    expect(logo.statusCode).toBe(200);
    expect(logo.headers["content-type"]).toBe("image/png");
    expect(logo.headers["x-content-type-options"]).toBe("nosniff");
    expect(logo.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(logo.rawPayload.equals(PNG)).toBe(true);

    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32)]);
    const webp = Buffer.concat([
      Buffer.from("RIFF"),
      Buffer.from([0x20, 0, 0, 0]),
      Buffer.from("WEBPVP8 "),
      Buffer.alloc(24),
    ]);
    for (const [contentType, data] of [
      ["image/jpeg", jpeg],
      ["image/webp", webp],
    ] as const) {
      const uploaded = await owner.client.request("PUT", "/api/v1/trust-center/logo", {
        contentType,
        data: data.toString("base64"),
      });
      expect(uploaded.status).toBe(200);
      expect(uploaded.body.logo.contentType).toBe(contentType);
    }

    const svg = await owner.client.request("PUT", "/api/v1/trust-center/logo", {
      contentType: "image/svg+xml",
      data: Buffer.from(SVG).toString("base64"),
    });
    expect(svg.status).toBe(200);
    await owner.client.post("/api/v1/trust-center/publish");
    const svgLogo = await anonymous().get("/trust/assets/logo");
    expect(svgLogo.status).toBe(200);
    expect(svgLogo.headers["content-type"]).toBe("image/svg+xml");
    expect(svgLogo.headers["content-security-policy"]).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    expect(svgLogo.headers["x-content-type-options"]).toBe("nosniff");
    expect(svgLogo.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    const revalidated = await anonymous().request("GET", "/trust/assets/logo", undefined, {
      "if-none-match": String(svgLogo.headers.etag),
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(svgLogo.headers.etag);
    const draftSvg = await owner.client.get("/api/v1/trust-center/logo");
    expect(draftSvg.headers["content-security-policy"]).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    expect(await auditActions()).toContain("trust_center.logo_uploaded");
  });

  it("should refuse a logo of another type, whose bytes do not match its type, or over 256 KiB", async () => {
    const put = (body: unknown) => owner.client.request("PUT", "/api/v1/trust-center/logo", body);
    expectValidation(
      await put({ contentType: "image/gif", data: PNG.toString("base64") }),
      "contentType",
    );
    expectValidation(
      await put({ contentType: "image/jpeg", data: PNG.toString("base64") }),
      "data",
    );
    expectValidation(
      await put({
        contentType: "image/svg+xml",
        data: Buffer.from("<html></html>").toString("base64"),
      }),
      "data",
    );
    expectValidation(await put({ contentType: "image/png", data: "not base64!" }), "data");
    const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024)]);
    expectValidation(await put({ contentType: "image/png", data: big.toString("base64") }), "data");
  });

  it("should remove the logo from the draft, keeping the published one until the next publication", async () => {
    const removed = await owner.client.delete("/api/v1/trust-center/logo");
    expect(removed.status).toBe(200);
    expect(removed.body.logo).toBeNull();
    expect(removed.body.hasUnpublishedChanges).toBe(true);
    expect((await owner.client.delete("/api/v1/trust-center/logo")).status).toBe(404);
    expect((await anonymous().get("/trust/assets/logo")).status).toBe(200);
    await owner.client.post("/api/v1/trust-center/publish");
    expect((await anonymous().get("/trust/assets/logo")).status).toBe(404);
    expect((await anonymous().get("/trust")).body).not.toContain("brand-logo");
    expect(await auditActions()).toContain("trust_center.logo_removed");
    // Logos are kept only while the draft or a publication uses them.
    const stored = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("trust_center_logos").select(["content_type"]).execute(),
    );
    expect(stored.map((l) => l.content_type).sort()).toEqual(["image/png", "image/svg+xml"]);
  });

  it("should take the trust center offline as a publication, answer 404, and come back on publishing", async () => {
    const offline = await owner.client.post("/api/v1/trust-center/offline");
    expect(offline.status).toBe(200);
    expect(offline.body.online).toBe(false);
    expect(offline.body.history[0]).toMatchObject({ online: false, publishedBy: { id: owner.id } });
    expect(await auditActions()).toContain("trust_center.taken_offline");
    const page = await anonymous().get("/trust");
    expect(page.status).toBe(404);
    expect(page.headers.etag).toBeUndefined();
    expect((await anonymous().get(`/trust/policies/${termsId}`)).status).toBe(404);
    expect((await owner.client.post("/api/v1/trust-center/offline")).status).toBe(409);
    expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    expect((await anonymous().get("/trust")).status).toBe(200);
  });
});
