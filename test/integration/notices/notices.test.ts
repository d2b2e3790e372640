import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedIncident } from "../../factories/incidents-stored.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";

/**
 * Notices through the admin API and the public pages and Atom feed. Mail and subscriptions
 * are in notices-mail.test.ts.
 */
let t: TestApp;
let owner: Person;
beforeAll(async () => {
  t = await createTestApp({ publicUrl: "https://attest.acme.test", trustHost: "trust.acme.test" });
  // The first organization is the one the public pages serve.
  owner = await createOrganization(t, "Notices & Co");
  expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
});
afterAll(() => t.close());

async function visit(url: string, headers: Record<string, string> = {}) {
  const response = await t.app.inject({ method: "GET", url, headers });
  return { status: response.statusCode, body: response.body, headers: response.headers };
}

async function publishedNotice(input: Record<string, unknown>) {
  const created = await owner.client.post("/api/v1/notices", {
    severity: "medium",
    body: "Details follow.",
    ...input,
  });
  expect(created.status).toBe(201);
  const published = await owner.client.post(`/api/v1/notices/${created.body.id}/publish`, {
    notifySubscribers: false,
  });
  expect(published.status).toBe(200);
  return published.body;
}

describe("notices in the admin API", () => {
  it("should write a draft, publish it, post an update and resolve it, auditing every change", async () => {
    const created = await owner.client.post("/api/v1/notices", {
      title: "Vulnerability in the export service",
      body: "We fixed a **flaw** in exports.",
      severity: "high",
      kind: "security",
      affectedServices: ["Exports", " API ", "Exports", ""],
      incidentId: null,
    });
    // An empty service name is refused, not silently dropped.
    expect(created.status).toBe(400);
    expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "affectedServices.3",
    ]);

    const draft = await owner.client.post("/api/v1/notices", {
      title: "Vulnerability in the export service",
      body: "We fixed a **flaw** in exports.",
      severity: "high",
      kind: "security",
      affectedServices: ["Exports", " API ", "Exports"],
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      status: "draft",
      severity: "high",
      kind: "security",
      affectedServices: ["Exports", "API"],
      publishedAt: null,
      incidentId: null,
      html: "<p>We fixed a <strong>flaw</strong> in exports.</p>\n",
      updates: [],
      deliveries: { pending: 0, sent: 0, failed: 0, skipped: 0 },
    });
    const id = draft.body.id;

    // Only an incident of the organization: another id is refused, naming the field.
    const unknown = await owner.client.patch(`/api/v1/notices/${id}`, { incidentId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("incidentId");
    const strange = await owner.client.post("/api/v1/notices", {
      title: "T",
      body: "x",
      severity: "low",
      incidentId: randomUUID(),
    });
    expect(strange.status).toBe(400);
    expect(strange.body.errors[0].field).toBe("incidentId");

    const org = { t, id: owner.organizationId, name: "Notices & Co", owner };
    const { id: incidentId } = await storedIncident(org, { customersAffected: true });
    const edited = await owner.client.patch(`/api/v1/notices/${id}`, {
      title: "Vulnerability in the export service (fixed)",
      incidentId,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.title).toBe("Vulnerability in the export service (fixed)");
    expect(edited.body.incidentId).toBe(incidentId);
    const linked = await owner.client.get(`/api/v1/notices?incidentId=${incidentId}`);
    expect(linked.body.items.map((n: { id: string }) => n.id)).toEqual([id]);

    const drafts = await owner.client.get("/api/v1/notices?status=draft");
    expect(drafts.body.items.map((n: { id: string }) => n.id)).toContain(id);

    const published = await owner.client.post(`/api/v1/notices/${id}/publish`, {});
    expect(published.status).toBe(200);
    expect(published.body.status).toBe("published");
    expect(Date.parse(published.body.publishedAt)).not.toBeNaN();
    expect((await owner.client.post(`/api/v1/notices/${id}/publish`, {})).status).toBe(409);

    // Published words stay as published: changes go in updates. Severity may still change.
    const retitled = await owner.client.patch(`/api/v1/notices/${id}`, { title: "Other" });
    expect(retitled.status).toBe(400);
    expect(retitled.body.errors[0].field).toBe("title");
    const raised = await owner.client.patch(`/api/v1/notices/${id}`, { severity: "critical" });
    expect(raised.body.severity).toBe("critical");

    const first = await owner.client.post(`/api/v1/notices/${id}/updates`, {
      body: "All customers' exports were checked.",
    });
    expect(first.status).toBe(200);
    const second = await owner.client.post(`/api/v1/notices/${id}/updates`, {
      body: "Customers with affected exports were contacted.",
      notifySubscribers: true,
    });
    expect(second.body.updates.map((u: { body: string }) => u.body)).toEqual([
      "All customers' exports were checked.",
      "Customers with affected exports were contacted.",
    ]);

    const resolved = await owner.client.post(`/api/v1/notices/${id}/resolve`, {
      note: "Closed.",
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("resolved");
    expect(resolved.body.updates).toHaveLength(3);
    expect(
      (await owner.client.post(`/api/v1/notices/${id}/updates`, { body: "Late" })).status,
    ).toBe(409);
    expect((await owner.client.delete(`/api/v1/notices/${id}`)).status).toBe(409);

    const actions = async (targetId: string) =>
      (await owner.client.get(`/api/v1/audit-events?targetId=${targetId}&limit=50`)).body.items
        .map((e: { action: string }) => e.action)
        .reverse();
    expect(await actions(id)).toEqual([
      "notice.created",
      "notice.updated",
      "notice.published",
      "notice.updated",
      "notice.update_posted",
      "notice.update_posted",
      "notice.resolved",
    ]);

    const other = await owner.client.post("/api/v1/notices", {
      title: "Never mind",
      body: "",
      severity: "info",
    });
    expect((await owner.client.post(`/api/v1/notices/${other.body.id}/publish`, {})).status).toBe(
      400,
    );
    expect((await owner.client.delete(`/api/v1/notices/${other.body.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/v1/notices/${other.body.id}`)).status).toBe(404);
    expect(await actions(other.body.id)).toEqual(["notice.created", "notice.deleted"]);
  });

  it("should refuse bad input naming the field, and write nothing", async () => {
    const before = (await owner.client.get("/api/v1/notices?limit=200")).body.items.length;
    const cases: [unknown, string][] = [
      [{ title: " ", body: "x", severity: "low" }, "title"],
      [{ title: "T", body: "x", severity: "severe" }, "severity"],
      [{ title: "T", body: "x", severity: "low", kind: "rumour" }, "kind"],
      [{ title: "T", body: "x", severity: "low", incidentId: "INC-1" }, "incidentId"],
      [{ title: "T", body: "x", severity: "low", status: "published" }, "body"],
    ];
    for (const [body, field] of cases) {
      const reply = await owner.client.post("/api/v1/notices", body);
      expect(reply.status).toBe(400);
      expect(reply.body.detail).toContain(field);
    }
    expect((await owner.client.get("/api/v1/notices?limit=200")).body.items.length).toBe(before);
    const filter = await owner.client.get("/api/v1/notices?severity=urgent");
    expect(filter.status).toBe(400);
    expect(filter.body.errors[0].field).toBe("severity");
  });

  it("should let only owners and admins publish: a member cannot, and an editor reads without writing", async () => {
    const draft = await owner.client.post("/api/v1/notices", {
      title: "Maintenance window",
      body: "Saturday.",
      severity: "low",
      kind: "maintenance",
    });
    const member = await addPerson(t, owner, "member", "Mia Member");
    const memberPublish = await member.client.post(`/api/v1/notices/${draft.body.id}/publish`, {});
    expect(memberPublish.status).toBe(403);
    expect((await member.client.get("/api/v1/notices")).status).toBe(403);

    const editor = await addPerson(t, owner, "editor", "Eda Editor");
    expect((await editor.client.get(`/api/v1/notices/${draft.body.id}`)).status).toBe(200);
    expect((await editor.client.post(`/api/v1/notices/${draft.body.id}/publish`, {})).status).toBe(
      403,
    );
    expect((await editor.client.get("/api/v1/notices/subscribers")).status).toBe(403);
    expect((await owner.client.get(`/api/v1/notices/${draft.body.id}`)).body.status).toBe("draft");
  });

  it("should filter and page the list", async () => {
    const a = await publishedNotice({ title: "Filter A", severity: "critical" });
    const list = await owner.client.get("/api/v1/notices?severity=critical&status=published");
    expect(list.body.items.map((n: { id: string }) => n.id)).toContain(a.id);
    expect(list.body.items.every((n: { severity: string }) => n.severity === "critical")).toBe(
      true,
    );
    const first = await owner.client.get("/api/v1/notices?limit=2");
    expect(first.body.items).toHaveLength(2);
    const next = await owner.client.get(`/api/v1/notices?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.status).toBe(200);
    const ids = [...first.body.items, ...next.body.items].map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await owner.client.get("/api/v1/notices?cursor=nonsense")).status).toBe(400);
  });
});

describe("the public notice pages", () => {
  it("should show published notices only, escaped, and never a draft", async () => {
    const draft = await owner.client.post("/api/v1/notices", {
      title: "Draft about the breach nobody knows of",
      body: "secret",
      severity: "critical",
    });
    const shown = await publishedNotice({
      title: `Phishing <script>alert("x")</script> & more`,
      body: "Do not open <img src=x onerror=alert(1)> attachments.\n\n[bad](javascript:alert(1))",
      severity: "high",
      affectedServices: ["Mail <relay>"],
    });

    const list = await visit("/trust/notices");
    expect(list.status).toBe(200);
    expect(list.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(list.body).toContain(
      "Phishing &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more",
    );
    expect(list.body).toContain("Mail &lt;relay&gt;");
    expect(list.body).not.toContain("<script>alert");
    expect(list.body).not.toContain("breach nobody knows");
    expect(list.body).toContain(`href="/trust/notices/${shown.id}"`);
    // No outgoing mail here: the feed is offered, not a subscription (outgoing-mail.test.ts).
    expect(list.body).not.toContain('action="/trust/subscriptions"');
    expect(list.body).toContain('href="/trust/feed.atom"');

    const page = await visit(`/trust/notices/${shown.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.body).not.toContain("<img");
    expect(page.body).not.toContain('href="javascript:');
    expect(page.body).toContain("High");

    expect((await visit(`/trust/notices/${draft.body.id}`)).status).toBe(404);
    expect((await visit(`/trust/notices/${randomUUID()}`)).status).toBe(404);
    expect((await visit("/trust/notices/not-an-id")).status).toBe(404);
    expect((await visit("/trust/notices?page=0")).status).toBe(404);
  });

  it("should show updates in order and mark a resolved notice", async () => {
    const notice = await publishedNotice({ title: "Degraded search", kind: "incident" });
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, { body: "First update" });
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, { body: "Second update" });
    await owner.client.post(`/api/v1/notices/${notice.id}/resolve`, { note: "Fixed for good" });
    const page = await visit(`/trust/notices/${notice.id}`);
    const first = page.body.indexOf("First update");
    const second = page.body.indexOf("Second update");
    const last = page.body.indexOf("Fixed for good");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(last).toBeGreaterThan(second);
    expect(page.body).toContain("Resolved");
  });

  it("should answer 304 to a page whose ETag the client holds", async () => {
    const notice = await publishedNotice({ title: "Cached notice" });
    const first = await visit(`/trust/notices/${notice.id}`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await visit(`/trust/notices/${notice.id}`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, { body: "Changed" });
    expect((await visit(`/trust/notices/${notice.id}`, { "if-none-match": etag })).status).toBe(
      200,
    );
  });
});

describe("the notices section of the trust center page", () => {
  it("should list current notices first, then recently resolved ones, with the feed (no mail here), and no draft", async () => {
    await owner.client.post("/api/v1/notices", {
      title: "Section draft never shown",
      body: "secret",
      severity: "critical",
    });
    const current = await publishedNotice({
      title: "Section <current> notice",
      severity: "critical",
      affectedServices: ["Billing"],
    });
    const resolved = await publishedNotice({ title: "Section resolved notice" });
    await owner.client.post(`/api/v1/notices/${resolved.id}/resolve`, {});

    const page = await visit("/trust");
    expect(page.status).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="notices"'));
    expect(section).toContain("Section &lt;current&gt; notice");
    expect(section).toContain("Billing");
    expect(section).toContain("Critical");
    expect(section.indexOf("Section &lt;current&gt; notice")).toBeLessThan(
      section.indexOf("Recently resolved"),
    );
    expect(section.indexOf("Recently resolved")).toBeLessThan(
      section.indexOf("Section resolved notice"),
    );
    expect(section).toContain(`href="/trust/notices/${current.id}"`);
    expect(section).not.toContain('action="/trust/subscriptions"');
    expect(section).toContain('href="/trust/feed.atom"');
    expect(page.body).not.toContain("Section draft never shown");
    expect(page.body).not.toContain("<current>");

    // The cached page is rendered again when a notice is published.
    const etag = page.headers.etag as string;
    await publishedNotice({ title: "Section later notice" });
    const after = await visit("/trust", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.body).toContain("Section later notice");
  });
});

describe("the Atom feed", () => {
  it("should be well-formed Atom with an entry per published notice, escaped, and no draft", async () => {
    await owner.client.post("/api/v1/notices", {
      title: "Feed draft that must not leak",
      body: "secret",
      severity: "low",
    });
    const notice = await publishedNotice({
      title: "Feed <b>bold</b> & co",
      body: "Rotate your **keys** <now>.",
      severity: "critical",
      affectedServices: ["API"],
    });
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, { body: "Keys rotated." });

    const reply = await visit("/trust/feed.atom");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect(reply.body).not.toContain("Feed draft that must not leak");

    const feed = parseXml(reply.body);
    expect(feed.name).toBe("feed");
    expect(feed.attrs.xmlns).toBe("http://www.w3.org/2005/Atom");
    expect(child(feed, "id").text).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(child(feed, "title").text).toBe("Notices & Co notices");
    expect(Date.parse(child(feed, "updated").text)).not.toBeNaN();
    const links = feed.children.filter((c) => c.name === "link");
    expect(links.find((l) => l.attrs.rel === "self")?.attrs.href).toBe(
      "https://attest.acme.test/trust/feed.atom",
    );
    expect(links.find((l) => l.attrs.rel === "alternate")?.attrs.href).toBe(
      "https://attest.acme.test/trust/notices",
    );

    const entries = feed.children.filter((c) => c.name === "entry");
    const entry = entries.find((e) => child(e, "id").text === `urn:uuid:${notice.id}`);
    if (!entry) throw new Error("the published notice has no entry");
    expect(child(entry, "title").text).toBe("Feed <b>bold</b> & co");
    expect(Date.parse(child(entry, "updated").text)).not.toBeNaN();
    expect(Date.parse(child(entry, "published").text)).not.toBeNaN();
    expect(child(child(entry, "author"), "name").text).toBe("Notices & Co");
    expect(child(entry, "link").attrs.href).toBe(
      `https://attest.acme.test/trust/notices/${notice.id}`,
    );
    expect(child(entry, "category").attrs.term).toBe("critical");
    const content = child(entry, "content");
    expect(content.attrs.type).toBe("html");
    // Once unescaped by the XML parser, the content is HTML with the user's text escaped in it.
    expect(content.text).toContain("<strong>keys</strong> &lt;now&gt;.");
    expect(content.text).toContain("Keys rotated.");
    expect(reply.body).toContain("&lt;strong&gt;keys&lt;/strong&gt; &amp;lt;now&amp;gt;.");
    for (const e of entries) {
      expect(child(e, "id").text).not.toBe("");
    }
  });

  it("should answer 304 on If-None-Match and If-Modified-Since, and change when a notice is published", async () => {
    const first = await visit("/trust/feed.atom");
    const etag = first.headers.etag as string;
    const lastModified = first.headers["last-modified"] as string;
    expect(etag).toBeTruthy();
    expect(Date.parse(lastModified)).not.toBeNaN();
    expect((await visit("/trust/feed.atom", { "if-none-match": etag })).status).toBe(304);
    expect((await visit("/trust/feed.atom", { "if-none-match": `W/${etag}` })).status).toBe(304);
    expect((await visit("/trust/feed.atom", { "if-modified-since": lastModified })).status).toBe(
      304,
    );
    expect(
      (
        await visit("/trust/feed.atom", {
          "if-none-match": '"stale"',
          "if-modified-since": lastModified,
        })
      ).status,
    ).toBe(200);

    await publishedNotice({ title: "A newer notice" });
    const after = await visit("/trust/feed.atom", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body).toContain("A newer notice");
  });

  it("should link to the trust host's root when read there", async () => {
    await publishedNotice({ title: "Read on the trust host" });
    const reply = await visit("/feed.atom", { host: "trust.acme.test" });
    const feed = parseXml(reply.body);
    const self = feed.children.find((c) => c.name === "link" && c.attrs.rel === "self");
    expect(self?.attrs.href).toBe("http://trust.acme.test/feed.atom");
    const entry = feed.children.find((c) => c.name === "entry");
    if (!entry) throw new Error("no entry");
    expect(child(entry, "link").attrs.href).toMatch(
      /^http:\/\/trust\.acme\.test\/notices\/[0-9a-f-]{36}$/,
    );
  });
});

describe("an offline trust center", () => {
  it("should hide the notice pages and the feed while the trust center is offline", async () => {
    const notice = await publishedNotice({ title: "Hidden while offline" });
    expect((await owner.client.post("/api/v1/trust-center/offline", {})).status).toBe(200);
    try {
      expect((await visit("/trust/notices")).status).toBe(404);
      expect((await visit(`/trust/notices/${notice.id}`)).status).toBe(404);
      const feed = await visit("/trust/feed.atom");
      expect(feed.status).toBe(404);
      expect(feed.body).not.toContain("Hidden while offline");
    } finally {
      expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    }
    expect((await visit(`/trust/notices/${notice.id}`)).status).toBe(200);
  });
});

describe("public notice list pages", () => {
  it("should page through every published notice, newest first", async () => {
    for (let i = 0; i < 21; i++) await publishedNotice({ title: `Bulk notice ${i}` });
    const first = await visit("/trust/notices");
    expect(first.body).toContain("Bulk notice 20");
    expect(first.body).not.toContain("Bulk notice 0<");
    expect(first.body).toContain('href="/trust/notices?page=2"');
    const second = await visit("/trust/notices?page=2");
    expect(second.status).toBe(200);
    expect(second.body).toContain("Bulk notice 0<");
    expect(second.body).toContain('rel="prev" href="/trust/notices"');
  });
});

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function child(node: XmlNode, name: string): XmlNode {
  const found = node.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${node.name}> has no <${name}>`);
  return found;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (text.includes("<")) throw new Error("unescaped < in text");
  return text.replace(/&([^;&\s]*);?/g, (match, name: string) => {
    if (!match.endsWith(";")) throw new Error(`unterminated entity ${match}`);
    if (name in ENTITIES) return ENTITIES[name] as string;
    const code = /^#(\d+)$/.exec(name)?.[1] ?? /^#x([0-9a-f]+)$/i.exec(name)?.[1];
    if (code === undefined) throw new Error(`unknown entity &${name};`);
    return String.fromCodePoint(name.startsWith("#x") ? Number.parseInt(code, 16) : Number(code));
  });
}

/**
 * A strict, small XML parser for the feed (Node has none built in): elements, attributes,
 * text and the five predefined entities; throws on anything not well-formed.
 */
function parseXml(source: string): XmlNode {
  let i = 0;
  const declaration = /^<\?xml [^?]*\?>/.exec(source);
  if (declaration) i = declaration[0].length;
  const document: XmlNode = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [document];
  const tag =
    /<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const attribute = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
  while (i < source.length) {
    const top = stack.at(-1) as XmlNode;
    const lt = source.indexOf("<", i);
    const text = source.slice(i, lt === -1 ? source.length : lt);
    if (top === document) {
      if (text.trim()) throw new Error("text outside the root element");
    } else {
      top.text += decodeEntities(text);
    }
    if (lt === -1) break;
    if (source.startsWith("</", lt)) {
      const end = source.indexOf(">", lt);
      const name = source.slice(lt + 2, end).trim();
      if (stack.pop()?.name !== name || stack.length === 0)
        throw new Error(`unexpected </${name}>`);
      i = end + 1;
      continue;
    }
    tag.lastIndex = lt;
    const match = tag.exec(source);
    if (!match) throw new Error(`malformed tag at ${lt}: ${source.slice(lt, lt + 40)}`);
    const node: XmlNode = { name: match[1] as string, attrs: {}, children: [], text: "" };
    for (const a of (match[2] ?? "").matchAll(attribute)) {
      const name = a[1] as string;
      if (name in node.attrs) throw new Error(`repeated attribute ${name}`);
      node.attrs[name] = decodeEntities(a[2] ?? a[3] ?? "");
    }
    if (top === document && document.children.length > 0) throw new Error("two root elements");
    top.children.push(node);
    if (match[3] !== "/") stack.push(node);
    i = lt + match[0].length;
  }
  if (stack.length !== 1 || document.children.length !== 1) throw new Error("unclosed elements");
  return document.children[0] as XmlNode;
}
