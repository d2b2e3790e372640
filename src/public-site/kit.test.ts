import { describe, expect, it } from "vitest";
import { contrast, themeStylesheet } from "./assets.ts";
import { html, raw } from "./html.ts";
import { markdownUnder } from "./markdown.ts";
import { trustHostRewrite, trustLink } from "./site.ts";

describe("the trust page kit", () => {
  it("should escape interpolated text and keep markup marked safe", () => {
    const name = `<script>alert("x")</script> & 'co'`;
    expect(html`<p title="${name}">${name}</p>${raw("<b>ok</b>")}`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p><b>ok</b>',
    );
  });

  it("should write dark text on a pale brand colour, and keep links readable on white", () => {
    const pale = themeStylesheet({ primaryColor: "#fde68a", accentColor: "#0f766e" });
    expect(pale).toContain("--brand-contrast: #111827;");
    expect(pale).toContain("--link: #1e40af;");
    const dark = themeStylesheet({ primaryColor: "#1d4ed8", accentColor: "#fef3c7" });
    expect(dark).toContain("--brand-contrast: #ffffff;");
    expect(dark).toContain("--link: #1d4ed8;");
    expect(dark).toContain("--accent-contrast: #111827;");
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
  });

  it("should move a document's headings below the page's", () => {
    const out = markdownUnder("# Title\n\n## Part\n\n###### Deep\n\nText <h1>raw</h1>", 2).value;
    expect(out).toContain("<h3>Title</h3>");
    expect(out).toContain("<h4>Part</h4>");
    expect(out).toContain("<h6>Deep</h6>");
    expect(out).toContain("&lt;h1&gt;raw&lt;/h1&gt;");
  });

  it("should serve the trust center at the root of the trust host only", () => {
    const rewrite = trustHostRewrite("trust.example.test");
    const on = (url: string, host = "trust.example.test") =>
      rewrite({ url, headers: { host } } as never);
    expect(on("/")).toBe("/trust");
    expect(on("/?utm=1")).toBe("/trust?utm=1");
    expect(on("/policies/x")).toBe("/trust/policies/x");
    expect(on("/api/v1/me")).toBe("/trust/api/v1/me");
    expect(on("/", "TRUST.example.test")).toBe("/trust");
    expect(on("/api/v1/me", "app.example.test")).toBe("/api/v1/me");
    expect(trustHostRewrite(undefined)({ url: "/x", headers: { host: "a" } } as never)).toBe("/x");
    const site = { organizationId: "o", companyName: "C", basePath: "" };
    expect(trustLink(site)).toBe("/");
    expect(trustLink(site, "/feed.atom")).toBe("/feed.atom");
    expect(trustLink({ ...site, basePath: "/trust" })).toBe("/trust");
  });
});
