import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { createMailer } from "../../../src/platform/mail.ts";
import { buildServer } from "../../../src/server.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { makePdf } from "../../helpers/pdf-text.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * Whether outgoing mail is configured (ATTEST_SMTP_URL) is said to owners and admins, and the
 * public pages offer nothing by email when it is not: no subscription form (the Atom feed
 * stays), a subscription posted anyway is answered plainly, the access request pages do not
 * promise a mail, and no request is approved at once with a link nobody can send.
 */

interface Site {
  t: TestApp;
  owner: Person;
  noticeId: string;
}

async function publishedSite(t: TestApp, name: string): Promise<Site> {
  const owner = await createOrganization(t, name);
  expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
  const created = await owner.client.post("/api/v1/notices", {
    title: "Scheduled maintenance",
    body: "The API pauses for ten minutes.",
    severity: "low",
    kind: "maintenance",
  });
  expect(created.status).toBe(201);
  const published = await owner.client.post(`/api/v1/notices/${created.body.id}/publish`, {
    notifySubscribers: false,
  });
  expect(published.status).toBe(200);
  return { t, owner, noticeId: created.body.id };
}

async function visit(t: TestApp, url: string) {
  const response = await t.app.inject({ method: "GET", url });
  return { status: response.statusCode, body: response.body };
}

/** The public pages that carried the "Get notices by email" form. */
const noticePages = (site: Site) => ["/trust", "/trust/notices", `/trust/notices/${site.noticeId}`];

async function subscriberCount(site: Site) {
  const rows = await withTenant(site.t.deps.db, site.owner.organizationId, (tx) =>
    tx.selectFrom("notice_subscribers").select("id").execute(),
  );
  return rows.length;
}

describe("without outgoing mail", () => {
  let site: Site;
  beforeAll(async () => {
    site = await publishedSite(await createTestApp(), "Quiet Co");
  });
  afterAll(() => site.t.close());

  it("should tell owners and admins that mail is off, and nobody else", async () => {
    const admin = await addPerson(site.t, site.owner, "admin");
    for (const person of [site.owner, admin]) {
      const reply = await person.client.get("/api/v1/outgoing-mail");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ configured: false });
    }
    const member = await addPerson(site.t, site.owner, "member");
    expect((await member.client.get("/api/v1/outgoing-mail")).status).toBe(403);
  });

  it("should not offer notices by email on any public page, and keep the Atom feed", async () => {
    for (const url of noticePages(site)) {
      const page = await visit(site.t, url);
      expect({ url, status: page.status }).toEqual({ url, status: 200 });
      expect({ url, form: page.body.includes('action="/trust/subscriptions"') }).toEqual({
        url,
        form: false,
      });
      expect(page.body).not.toContain("Get notices by email");
      expect(page.body).toContain('href="/trust/feed.atom"');
    }
    expect((await visit(site.t, "/trust/feed.atom")).status).toBe(200);
  });

  it("should answer a subscription posted anyway plainly, pointing to the feed, and store nothing", async () => {
    const form = await site.t.app.inject({
      method: "POST",
      url: "/trust/subscriptions",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "email=reader%40example.test",
    });
    expect(form.statusCode).toBe(404);
    expect(form.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(form.body).toContain("Notices by email are not offered");
    expect(form.body).toContain('href="/trust/feed.atom"');
    expect(form.body).not.toContain('action="/trust/subscriptions"');

    const json = await site.t.app.inject({
      method: "POST",
      url: "/trust/subscriptions",
      payload: { email: "reader@example.test" },
    });
    expect(json.statusCode).toBe(404);
    expect(json.headers["content-type"]).toContain("application/problem+json");
    expect(json.json()).toMatchObject({ code: "not_found" });
    expect(json.json().detail).toContain("does not send notices by email");
    expect(json.json().detail).toContain("/trust/feed.atom");
    expect(await subscriberCount(site)).toBe(0);
  });

  it("should not promise a mail to someone requesting documents", async () => {
    for (const url of ["/trust/request-access/sent", "/trust/request-access/sent?approved=1"]) {
      const page = await visit(site.t, url);
      expect(page.status).toBe(200);
      expect(page.body).not.toMatch(/email/i);
    }
  });

  it("should not approve a request at once, since its link could not be mailed: an admin approves it and passes the link on", async () => {
    const settings = await site.owner.client.request("PUT", "/api/v1/trust-documents/settings", {
      ndaText: "",
      autoApproveDomains: ["partner.test"],
      linkDays: 7,
    });
    expect(settings.status).toBe(200);
    const form = new FormData();
    form.append("title", "Quiet report");
    form.append("access", "gated");
    const pdf = await makePdf(["Quiet"]);
    form.append("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "q.pdf");
    const uploaded = await site.owner.client.postForm("/api/v1/trust-documents/upload", form);
    expect(uploaded.status).toBe(201);

    const submitted = await site.t.app.inject({
      method: "POST",
      url: "/trust/access-requests",
      payload: {
        name: "Pat Partner",
        company: "Partner Ltd",
        email: "pat@partner.test",
        reason: "Vendor review",
        documents: [uploaded.body.id],
      },
    });
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json().status).toBe("pending");
    expect(submitted.json().message).not.toMatch(/email/i);

    const list = await site.owner.client.get("/api/v1/trust-access-requests?status=pending");
    const request = list.body.items.find((r: { email: string }) => r.email === "pat@partner.test");
    const approved = await site.owner.client.post(
      `/api/v1/trust-access-requests/${request.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    expect(approved.body.mailSent).toBe(false);
    expect(approved.body.accessUrl).toMatch(/\/trust\/access\/[\w-]+$/);
  });

  it("should render the cached page for each mail setting, even over one database handle", async () => {
    // Two servers over the same database handle, one of them with a mailer: the page cache is
    // per database handle, so its key must tell the two apart.
    const smtp = await startSmtpServer();
    const config = { ...site.t.deps.config, smtpUrl: smtp.url };
    const mailer = createMailer(config);
    const other = await buildServer({ ...site.t.deps, config, mailer }, { logger: false });
    try {
      await other.ready();
      const quiet = await visit(site.t, "/trust");
      const withMail = await other.inject({ method: "GET", url: "/trust" });
      expect(quiet.body).not.toContain('action="/trust/subscriptions"');
      expect(withMail.body).toContain('action="/trust/subscriptions"');
      expect(withMail.headers.etag).not.toBe(
        (await site.t.app.inject({ method: "GET", url: "/trust" })).headers.etag,
      );
    } finally {
      await other.close();
      mailer?.close();
      await smtp.close();
    }
  });
});

describe("with outgoing mail", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let site: Site;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    site = await publishedSite(
      await createTestApp({ smtpUrl: smtp.url, mailFrom: "notices@acme.test" }),
      "Mailing Co",
    );
  });
  afterAll(async () => {
    await site.t.close();
    await smtp.close();
  });

  it("should tell owners that mail is configured", async () => {
    const reply = await site.owner.client.get("/api/v1/outgoing-mail");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ configured: true });
  });

  it("should offer notices by email on the public pages, next to the feed", async () => {
    for (const url of noticePages(site)) {
      const page = await visit(site.t, url);
      expect({ url, status: page.status }).toEqual({ url, status: 200 });
      expect(page.body).toContain('action="/trust/subscriptions"');
      expect(page.body).toContain("Get notices by email");
      expect(page.body).toContain('href="/trust/feed.atom"');
    }
    const sent = await visit(site.t, "/trust/request-access/sent?approved=1");
    expect(sent.body).toContain("We have emailed you a personal link");
  });

  it("should take a subscription", async () => {
    const reply = await site.t.app.inject({
      method: "POST",
      url: "/trust/subscriptions",
      payload: { email: "reader@example.test" },
    });
    expect(reply.statusCode).toBe(202);
    expect(await subscriberCount(site)).toBe(1);
  });
});
