import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { runScheduledEvaluation } from "../../../src/modules/monitoring/monitor.ts";
import { ACCESS_REQUEST_RATE_LIMIT } from "../../../src/modules/trust-documents/trust-documents.public.ts";
import {
  addPerson,
  type Client,
  createOrganization,
  createTestApp,
  type FilePart,
  formOf,
  type Person,
  type Reply,
  type TestApp,
} from "../../helpers/app.ts";
import { makePdf, pageTexts } from "../../helpers/pdf-text.ts";
import { createFinishedPolicy } from "../../helpers/policies.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let owner: Person;
let dataDir: string;
const NDA = "# Mutual NDA\n\nYou keep **everything** you read here confidential.";

beforeAll(async () => {
  smtp = await startSmtpServer();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-trust-documents-"));
  t = await createTestApp({
    dataDir,
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
  // The first organization is the one the public /trust pages serve.
  owner = await createOrganization(t, "Acme");
  const published = await owner.client.post("/api/v1/trust-center/publish");
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  const settings = await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
    ndaText: NDA,
    autoApproveDomains: [],
    linkDays: 7,
  });
  if (settings.status !== 200) throw new Error(`settings: ${JSON.stringify(settings.body)}`);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

function upload(client: Client, fields: Record<string, string>, file?: FilePart) {
  return client.postForm("/api/v1/trust-documents/upload", formOf(fields, file));
}

async function uploadGatedPdf(title: string, pages: string[]) {
  const pdf = await makePdf(pages);
  const reply = await upload(
    owner.client,
    { title, access: "gated", description: `${title}, for customers` },
    { name: `${title}.pdf`, content: pdf, type: "application/pdf" },
  );
  expect(reply.status).toBe(201);
  return reply.body as { id: string; title: string };
}

let address = 0;
/** A visitor's request from an address of its own, so the per-address rate limit stays out. */
async function visit(
  method: "GET" | "POST",
  url: string,
  options: { form?: Record<string, string | string[]>; json?: unknown; ip?: string } = {},
) {
  address++;
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (options.form) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      for (const item of [value].flat()) params.append(name, item);
    }
    payload = params.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.accept = "text/html";
  } else if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  const response = await t.app.inject({
    method,
    url,
    headers,
    remoteAddress: options.ip ?? `198.51.${Math.floor(address / 250)}.${(address % 250) + 1}`,
    ...(payload === undefined ? {} : { payload }),
  });
  return response;
}

function ndaSha256(): string {
  return createHash("sha256").update(NDA).digest("hex");
}

let requesterCount = 0;
function requester(domain = "customer.test") {
  requesterCount++;
  return {
    name: `Ada Lovelace ${requesterCount}`,
    company: "Customer Ltd",
    email: `ada.${requesterCount}@${domain}`,
    reason: "Vendor security review",
  };
}

/** Submits a JSON request and answers its id (found through the admin API). */
async function requestAccess(documents: string[], who = requester()) {
  const reply = await visit("POST", "/trust/access-requests", {
    json: { ...who, documents, acceptNda: true, ndaSha256: ndaSha256() },
  });
  expect(reply.statusCode).toBe(201);
  const list = await owner.client.get("/api/v1/trust-access-requests?limit=200");
  const found = list.body.items.find((r: { email: string }) => r.email === who.email);
  return { id: found.id as string, who, status: JSON.parse(reply.body).status as string };
}

function mailsTo(email: string) {
  return smtp.messages.filter((m) => m.to.includes(email));
}

function linkIn(body: string): string {
  const match = /https:\/\/attest\.acme\.test\/trust\/access\/[A-Za-z0-9_-]+/.exec(body);
  if (!match) throw new Error(`no access link in: ${body}`);
  return new URL(match[0]).pathname;
}

async function approve(id: string, who: { email: string }, note?: string) {
  const reply = await owner.client.post(
    `/api/v1/trust-access-requests/${id}/approve`,
    note ? { note } : {},
  );
  expect(reply.status).toBe(200);
  const mail = mailsTo(who.email).find((m) => m.subject.startsWith("Your access"));
  expect(mail).toBeDefined();
  return { reply, link: linkIn(mail?.body ?? "") };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function blobs(): string[] {
  const directory = path.join(dataDir, "trust-documents");
  return fs.existsSync(directory) ? fs.readdirSync(directory) : [];
}

async function publishPolicy(template: string): Promise<string> {
  const created = await createFinishedPolicy(owner, template);
  expect(created.status).toBe(201);
  await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
  expect((await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status).toBe(
    200,
  );
  return created.body.id;
}

function problemFields(reply: Reply): string[] {
  return (reply.body.errors ?? []).map((e: { field: string }) => e.field);
}

// ---------------------------------------------------------------------------------------------

describe("trust center documents", () => {
  it("should keep an uploaded file encrypted at rest, list it on /trust and serve a public one to anyone", async () => {
    const secret = `Security overview, plaintext marker ${Date.now()}`;
    const before = blobs().length;
    const reply = await upload(
      owner.client,
      { title: "Security overview", access: "public", position: "1" },
      { name: "overview.txt", content: secret, type: "text/plain" },
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      title: "Security overview",
      access: "public",
      shown: true,
      position: 1,
      source: "file",
      fileName: "overview.txt",
      contentType: "text/plain",
      sizeBytes: secret.length,
      sha256: createHash("sha256").update(secret).digest("hex"),
    });
    expect(blobs()).toHaveLength(before + 1);
    for (const blob of blobs()) {
      const stored = fs.readFileSync(path.join(dataDir, "trust-documents", blob));
      expect(stored.includes(Buffer.from("plaintext marker"))).toBe(false);
    }

    const gated = await uploadGatedPdf("SOC 2 Type II report", ["Report page one"]);
    const page = await visit("GET", "/trust");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Security overview");
    expect(page.body).toContain(`/trust/documents/${reply.body.id}`);
    expect(page.body).toContain("SOC 2 Type II report");
    expect(page.body).toContain(`/trust/request-access?documents=${gated.id}`);
    expect(page.body).toContain("shared after approval, under a non-disclosure agreement.");
    expect(page.body).not.toContain("Request several documents at once");

    const download = await visit("GET", `/trust/documents/${reply.body.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(secret);
    expect(download.headers["content-type"]).toMatch(/^text\/plain/);
    expect(download.headers["content-disposition"]).toContain("overview.txt");
    // A gated document is never downloaded without a link.
    expect((await visit("GET", `/trust/documents/${gated.id}`)).statusCode).toBe(404);

    const audit = await owner.client.get(
      `/api/v1/audit-events?action=trust_document.uploaded&targetId=${reply.body.id}`,
    );
    expect(audit.body.items).toHaveLength(1);
  });

  it("should take gated documents as readable PDFs only, and a public one from a short list", async () => {
    const before = blobs().length;
    const text = await upload(
      owner.client,
      { title: "Gated text", access: "gated" },
      { name: "notes.txt", content: "hello", type: "text/plain" },
    );
    expect(text.status).toBe(415);
    expect(problemFields(text)).toEqual(["file"]);
    const fake = await upload(
      owner.client,
      { title: "Fake PDF", access: "gated" },
      { name: "fake.pdf", content: "%PDF-1.7 not really", type: "application/pdf" },
    );
    expect(fake.status).toBe(400);
    expect(problemFields(fake)).toEqual(["file"]);
    const executable = await upload(
      owner.client,
      { title: "Tool", access: "public" },
      { name: "tool.exe", content: "MZ", type: "application/octet-stream" },
    );
    expect(executable.status).toBe(415);
    const missingTitle = await upload(
      owner.client,
      { access: "public" },
      { name: "a.txt", content: "a", type: "text/plain" },
    );
    expect(missingTitle.status).toBe(400);
    expect(problemFields(missingTitle)).toEqual(["title"]);
    expect(blobs()).toHaveLength(before);

    // A public text file cannot become gated: its downloads could not be stamped.
    const publicText = await upload(
      owner.client,
      { title: "Public text", access: "public", shown: "false" },
      { name: "p.txt", content: "p", type: "text/plain" },
    );
    const gate = await owner.client.patch(`/api/v1/trust-documents/${publicText.body.id}`, {
      access: "gated",
    });
    expect(gate.status).toBe(400);
    expect(problemFields(gate)).toEqual(["access"]);
  });

  it("should add a policy as a document and serve its current published version as a PDF", async () => {
    const policyId = await publishPolicy("bcdr-policy");
    const created = await owner.client.post("/api/v1/trust-documents", {
      title: "Business continuity",
      access: "public",
      policyId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: "policy",
      policy: { id: policyId, publishedVersion: 1 },
      fileName: null,
    });
    const download = await visit("GET", `/trust/documents/${created.body.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");

    const draftOnly = await owner.client.post("/api/v1/policies", {
      templateKey: "data-classification-policy",
    });
    expect(draftOnly.status).toBe(201);
    const refused = await owner.client.post("/api/v1/trust-documents", {
      title: "Not yet",
      access: "gated",
      policyId: draftOnly.body.id,
    });
    expect(refused.status).toBe(400);
    expect(problemFields(refused)).toEqual(["policyId"]);

    // Hidden, then deleted: off the page and not downloadable.
    await owner.client.patch(`/api/v1/trust-documents/${created.body.id}`, { shown: false });
    expect((await visit("GET", "/trust")).body).not.toContain("Business continuity");
    expect((await visit("GET", `/trust/documents/${created.body.id}`)).statusCode).toBe(404);
    expect((await owner.client.delete(`/api/v1/trust-documents/${created.body.id}`)).status).toBe(
      204,
    );
    const listed = await owner.client.get("/api/v1/trust-documents");
    expect(listed.body.items.map((d: { id: string }) => d.id)).not.toContain(created.body.id);
    const withDeleted = await owner.client.get("/api/v1/trust-documents?includeDeleted=true");
    expect(
      withDeleted.body.items.find((d: { id: string }) => d.id === created.body.id).deletedAt,
    ).not.toBeNull();
    const audit = await owner.client.get(
      `/api/v1/audit-events?targetId=${created.body.id}&targetType=trust_document`,
    );
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      "trust_document.created",
      "trust_document.deleted",
      "trust_document.updated",
    ]);
  });

  it("should show the request form with the NDA and re-render it with errors naming the fields", async () => {
    const doc = await uploadGatedPdf("Pentest summary", ["Pentest page"]);
    expect((await visit("GET", "/trust")).body).toContain("Request several documents at once");
    const form = await visit("GET", `/trust/request-access?documents=${doc.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.headers["content-type"]).toMatch(/^text\/html/);
    expect(form.body).toContain("<strong>everything</strong>");
    expect(form.body).toContain(`name="ndaSha256" value="${ndaSha256()}"`);
    expect(form.body).toMatch(new RegExp(`value="${doc.id}" checked`));
    expect(form.body).toContain("I accept the non-disclosure agreement");

    const requestsBefore = (await owner.client.get("/api/v1/trust-access-requests")).body.items
      .length;
    const who = requester();
    const invalid = await visit("POST", "/trust/access-requests", {
      form: { ...who, email: "not-an-email", documents: doc.id, ndaSha256: ndaSha256() },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers["content-type"]).toMatch(/^text\/html/);
    expect(invalid.body).toContain('id="email-error"');
    expect(invalid.body).toContain(`value="${who.name}"`);
    const withoutNda = await visit("POST", "/trust/access-requests", {
      form: { ...who, documents: doc.id, ndaSha256: ndaSha256() },
    });
    expect(withoutNda.statusCode).toBe(400);
    expect(withoutNda.body).toContain('id="acceptNda-error"');
    expect(withoutNda.body).toContain("you must accept the agreement");
    const noDocuments = await visit("POST", "/trust/access-requests", {
      form: { ...who, acceptNda: "yes", ndaSha256: ndaSha256() },
    });
    expect(noDocuments.statusCode).toBe(400);
    expect(noDocuments.body).toContain('id="documents-error"');
    expect((await owner.client.get("/api/v1/trust-access-requests")).body.items).toHaveLength(
      requestsBefore,
    );

    const sent = await visit("POST", "/trust/access-requests", {
      form: { ...who, documents: [doc.id], acceptNda: "yes", ndaSha256: ndaSha256() },
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe("/trust/request-access/sent");
    const thanks = await visit("GET", sent.headers.location as string);
    expect(thanks.body).toContain("Thank you");

    const list = await owner.client.get("/api/v1/trust-access-requests?status=pending");
    const created = list.body.items.find((r: { email: string }) => r.email === who.email);
    expect(created).toMatchObject({
      name: who.name,
      company: who.company,
      reason: who.reason,
      status: "pending",
      linkState: "none",
      documents: [{ id: doc.id, title: "Pentest summary", deleted: false }],
      nda: { sha256: ndaSha256(), text: NDA, acceptedAt: expect.any(String) },
    });
    // The deciders (here the owner) are told.
    const notice = mailsTo(owner.email).find((m) => m.subject.includes(who.name));
    expect(notice?.subject).toBe(`New document request from ${who.name} (Customer Ltd)`);
    expect(notice?.body).toContain("https://attest.acme.test/trust-center/requests");
    const audit = await owner.client.get(`/api/v1/audit-events?targetId=${created.id}`);
    expect(audit.body.items[0]).toMatchObject({
      action: "trust_access_request.submitted",
      actorType: "visitor",
    });
  });

  it("should answer JSON requests with problems naming the fields, and refuse an agreement that changed", async () => {
    const doc = await uploadGatedPdf("ISO certificate", ["Certificate"]);
    const who = requester();
    const missing = await visit("POST", "/trust/access-requests", {
      json: { email: who.email, documents: [doc.id], acceptNda: true },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(missing.body).errors.map((e: { field: string }) => e.field)).toEqual([
      "name",
      "company",
      "reason",
    ]);
    const noNda = await visit("POST", "/trust/access-requests", {
      json: { ...who, documents: [doc.id] },
    });
    expect(noNda.statusCode).toBe(400);
    expect(JSON.parse(noNda.body).errors).toEqual([
      { field: "acceptNda", message: expect.any(String) },
    ]);
    const publicDoc = (await owner.client.get("/api/v1/trust-documents")).body.items.find(
      (d: { access: string }) => d.access === "public",
    );
    const notGated = await visit("POST", "/trust/access-requests", {
      json: { ...who, documents: [publicDoc.id], acceptNda: true },
    });
    expect(notGated.statusCode).toBe(400);
    expect(JSON.parse(notGated.body).errors[0].field).toBe("documents");
    const twoLines = await visit("POST", "/trust/access-requests", {
      json: {
        ...who,
        name: "Eve\r\nBcc: everyone@example.test",
        documents: [doc.id],
        acceptNda: true,
      },
    });
    expect(twoLines.statusCode).toBe(400);
    expect(JSON.parse(twoLines.body).errors[0].field).toBe("name");
    const stale = await visit("POST", "/trust/access-requests", {
      json: { ...who, documents: [doc.id], acceptNda: true, ndaSha256: "0".repeat(64) },
    });
    expect(stale.statusCode).toBe(400);
    expect(JSON.parse(stale.body).errors[0].field).toBe("ndaSha256");

    const created = await visit("POST", "/trust/access-requests", {
      json: { ...who, documents: [doc.id], acceptNda: true },
    });
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ status: "pending" });
  });

  it("should mail an approved requester a link to their documents only, stamped on every page, and log every view and download", async () => {
    const pages = ["Alpha page one", "Alpha page two", "Alpha page three"];
    const doc = await uploadGatedPdf("Alpha report", pages);
    const other = await uploadGatedPdf("Other report", ["Other"]);
    const { id, who } = await requestAccess([doc.id]);
    const { reply, link } = await approve(id, who, "Welcome aboard");
    expect(reply.body).toMatchObject({
      mailSent: true,
      accessUrl: null,
      request: { status: "approved", linkState: "active", decisionNote: "Welcome aboard" },
    });
    const expiresAt = Date.parse(reply.body.request.expiresAt);
    const days = (expiresAt - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Only the SHA-256 of the token is stored.
    const token = link.split("/").at(-1) as string;
    const stored = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("trust_access_requests")
        .select("token_hash")
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.token_hash).toBe(createHash("sha256").update(token).digest("hex"));

    const access = await visit("GET", link);
    expect(access.statusCode).toBe(200);
    expect(access.headers["cache-control"]).toBe("no-store");
    expect(access.body).toContain("Alpha report");
    expect(access.body).not.toContain("Other report");
    expect(access.body).toContain(`${link}/documents/${doc.id}`);

    const dayBefore = today();
    const download = await visit("GET", `${link}/documents/${doc.id}`);
    const dayAfter = today();
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    const texts = await pageTexts(download.rawPayload);
    expect(texts).toHaveLength(3);
    texts.forEach((text, index) => {
      expect(text).toContain(pages[index]);
      expect(text).toContain(`Confidential — provided to ${who.name} <${who.email}>`);
      expect(text.includes(dayBefore) || text.includes(dayAfter)).toBe(true);
    });
    // The original, as uploaded, carries no stamp: the stamp is made for each download.
    const original = await t.app.inject({
      method: "GET",
      url: `/api/v1/trust-documents/${doc.id}/download`,
      headers: { cookie: owner.client.cookie as string },
    });
    expect(original.statusCode).toBe(200);
    const originalTexts = await pageTexts(original.rawPayload);
    expect(originalTexts).toEqual(pages);
    expect(originalTexts.join("\n")).not.toContain("Confidential");

    // Another document, granted to nobody here: 404, and not logged.
    expect((await visit("GET", `${link}/documents/${other.id}`)).statusCode).toBe(404);

    const events = await owner.client.get(`/api/v1/trust-access-requests/${id}/events`);
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
      "download",
      "view",
    ]);
    expect(events.body.items[0].document).toEqual({ id: doc.id, title: "Alpha report" });
    const downloaded = await owner.client.get(
      `/api/v1/audit-events?action=trust_document.downloaded&targetId=${doc.id}`,
    );
    // The requester's stamped download, and the owner's download of the original.
    expect(
      downloaded.body.items.map((e: { actorType: string; actorName: string }) => [
        e.actorType,
        e.actorName,
      ]),
    ).toEqual([
      ["user", `Owner of Acme`],
      ["visitor", `${who.name} <${who.email}>`],
    ]);
    // A HEAD (a mail scanner checking the link) is neither a view nor a download.
    expect((await visit("GET", link)).statusCode).toBe(200);
    const head = await t.app.inject({ method: "HEAD", url: `${link}/documents/${doc.id}` });
    expect(head.statusCode).toBe(200);
    expect((await t.app.inject({ method: "HEAD", url: link })).statusCode).toBe(200);
    const after = await owner.client.get(`/api/v1/trust-access-requests/${id}/events`);
    expect(after.body.items.map((e: { action: string }) => e.action)).toEqual([
      "view",
      "download",
      "view",
    ]);
    const viewed = await owner.client.get(
      `/api/v1/audit-events?action=trust_access.viewed&targetId=${id}`,
    );
    expect(viewed.body.items).toHaveLength(2);
  });

  it("should stamp a gated policy document rendered from the policy", async () => {
    const policyId = await publishPolicy("incident-response-plan");
    const created = await owner.client.post("/api/v1/trust-documents", {
      title: "Information security policy",
      access: "gated",
      policyId,
    });
    expect(created.status).toBe(201);
    const { id, who } = await requestAccess([created.body.id]);
    const { link } = await approve(id, who);
    const download = await visit("GET", `${link}/documents/${created.body.id}`);
    expect(download.statusCode).toBe(200);
    const texts = await pageTexts(download.rawPayload);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toContain(`provided to ${who.name} <${who.email}>`);
  });

  it("should stop serving a deleted document through links already sent, and keep the others", async () => {
    const kept = await uploadGatedPdf("Kept report", ["Kept"]);
    const dropped = await uploadGatedPdf("Dropped report", ["Dropped"]);
    const { id, who } = await requestAccess([kept.id, dropped.id]);
    const { link } = await approve(id, who);
    expect((await visit("GET", `${link}/documents/${dropped.id}`)).statusCode).toBe(200);
    expect((await owner.client.delete(`/api/v1/trust-documents/${dropped.id}`)).status).toBe(204);
    const page = await visit("GET", link);
    expect(page.body).toContain("Kept report");
    expect(page.body).not.toContain("Dropped report");
    expect((await visit("GET", `${link}/documents/${dropped.id}`)).statusCode).toBe(404);
    expect((await visit("GET", `${link}/documents/${kept.id}`)).statusCode).toBe(200);
    const view = await owner.client.get(`/api/v1/trust-access-requests/${id}`);
    expect(view.body.documents).toEqual([
      { id: kept.id, title: "Kept report", deleted: false },
      { id: dropped.id, title: "Dropped report", deleted: true },
    ]);
  });

  it("should answer an expired link with a friendly 410 page offering to request again", async () => {
    const doc = await uploadGatedPdf("Expiring report", ["Expiring"]);
    const { id, who } = await requestAccess([doc.id]);
    const { link } = await approve(id, who);
    expect((await visit("GET", link)).statusCode).toBe(200);
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      sql`update trust_access_requests set expires_at = now() - interval '1 minute' where id = ${id}`.execute(
        tx,
      ),
    );
    const gone = await visit("GET", link);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers["content-type"]).toMatch(/^text\/html/);
    expect(gone.body).toContain("This link has expired");
    expect(gone.body).toContain(`/trust/request-access?documents=${doc.id}`);
    expect((await visit("GET", `${link}/documents/${doc.id}`)).statusCode).toBe(410);
    const view = await owner.client.get(`/api/v1/trust-access-requests/${id}`);
    expect(view.body.linkState).toBe("expired");
  });

  it("should tell a denied requester politely, and never give the request a link", async () => {
    const doc = await uploadGatedPdf("Denied report", ["Denied"]);
    const { id, who } = await requestAccess([doc.id]);
    const denied = await owner.client.post(`/api/v1/trust-access-requests/${id}/deny`, {
      note: "We only share this with customers.",
    });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({
      mailSent: true,
      request: { status: "denied", linkState: "none" },
    });
    const mail = mailsTo(who.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe("Your request for Acme documents");
    expect(mail[0]?.body).toContain("We only share this with customers.");
    expect(mail[0]?.body).not.toMatch(/\/trust\/access\//);
    const row = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("trust_access_requests")
        .select(["token_hash", "expires_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ token_hash: null, expires_at: null });
    const again = await owner.client.post(`/api/v1/trust-access-requests/${id}/approve`, {});
    expect(again.status).toBe(409);
  });

  it("should revoke an approved link at once", async () => {
    const doc = await uploadGatedPdf("Revoked report", ["Revoked"]);
    const { id, who } = await requestAccess([doc.id]);
    const { link } = await approve(id, who);
    expect((await visit("GET", `${link}/documents/${doc.id}`)).statusCode).toBe(200);
    const revoked = await owner.client.post(`/api/v1/trust-access-requests/${id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "revoked", linkState: "revoked" });
    const gone = await visit("GET", link);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain("no longer valid");
    expect((await visit("GET", `${link}/documents/${doc.id}`)).statusCode).toBe(410);
    const audit = await owner.client.get(
      `/api/v1/audit-events?action=trust_access_request.revoked&targetId=${id}`,
    );
    expect(audit.body.items).toHaveLength(1);
  });

  it("should approve a request at once when its email domain is auto-approved, and only that exact domain", async () => {
    const doc = await uploadGatedPdf("Partner report", ["Partner"]);
    const settings = await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
      ndaText: NDA,
      autoApproveDomains: ["Partner.TEST"],
      linkDays: 3,
    });
    expect(settings.status).toBe(200);
    expect(settings.body.autoApproveDomains).toEqual(["partner.test"]);
    try {
      const who = requester("PARTNER.test");
      const form = await visit("POST", "/trust/access-requests", {
        form: { ...who, documents: doc.id, acceptNda: "yes" },
      });
      expect(form.statusCode).toBe(303);
      expect(form.headers.location).toBe("/trust/request-access/sent?approved=1");
      const email = who.email.toLowerCase();
      const mail = mailsTo(email).find((m) => m.subject.startsWith("Your access"));
      const link = linkIn(mail?.body ?? "");
      expect((await visit("GET", `${link}/documents/${doc.id}`)).statusCode).toBe(200);
      const list = await owner.client.get("/api/v1/trust-access-requests?status=approved");
      const request = list.body.items.find((r: { email: string }) => r.email === email);
      expect(request).toMatchObject({
        autoApprovedRule: "email domain partner.test",
        decidedBy: null,
      });
      const days = (Date.parse(request.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(2.9);
      expect(days).toBeLessThanOrEqual(3);
      const audit = await owner.client.get(
        `/api/v1/audit-events?action=trust_access_request.auto_approved&targetId=${request.id}`,
      );
      expect(audit.body.items[0]).toMatchObject({
        actorType: "system",
        after: expect.objectContaining({ rule: "email domain partner.test" }),
      });

      const sub = await requestAccess([doc.id], requester("eu.partner.test"));
      expect(sub.status).toBe("pending");
    } finally {
      await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
        ndaText: NDA,
        autoApproveDomains: [],
        linkDays: 7,
      });
    }
  });

  it("should limit requests per address with 429", async () => {
    const doc = await uploadGatedPdf("Limited report", ["Limited"]);
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    const { max } = ACCESS_REQUEST_RATE_LIMIT;
    for (let i = 0; i < max; i++) {
      const reply = await visit("POST", "/trust/access-requests", {
        ip,
        json: { ...requester(), documents: [doc.id] }, // refused (no NDA), but counted
      });
      statuses.push(reply.statusCode);
    }
    expect(statuses).toEqual(Array(max).fill(400));
    const json = await visit("POST", "/trust/access-requests", {
      ip,
      json: { ...requester(), documents: [doc.id], acceptNda: true },
    });
    expect(json.statusCode).toBe(429);
    expect(json.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const form = await visit("POST", "/trust/access-requests", {
      ip,
      form: { ...requester(), documents: doc.id, acceptNda: "yes" },
    });
    expect(form.statusCode).toBe(429);
    expect(form.headers["content-type"]).toMatch(/^text\/html/);
    expect(form.body).toContain("Too many requests");
    // Another address is not affected.
    expect(
      (
        await visit("POST", "/trust/access-requests", {
          json: { ...requester(), documents: [doc.id], acceptNda: true },
        })
      ).statusCode,
    ).toBe(201);
  });

  it("should not let a member decide on requests, nor an editor; an auditor may read them", async () => {
    const doc = await uploadGatedPdf("Role report", ["Role"]);
    const { id } = await requestAccess([doc.id]);
    const member = await addPerson(t, owner, "member");
    const editor = await addPerson(t, owner, "editor");
    const auditor = await addPerson(t, owner, "auditor");
    expect(
      (await member.client.post(`/api/v1/trust-access-requests/${id}/approve`, {})).status,
    ).toBe(403);
    expect(
      (await editor.client.post(`/api/v1/trust-access-requests/${id}/approve`, {})).status,
    ).toBe(403);
    expect((await member.client.get(`/api/v1/trust-access-requests/${id}`)).status).toBe(403);
    expect((await auditor.client.get(`/api/v1/trust-access-requests/${id}`)).status).toBe(200);
    expect((await owner.client.get(`/api/v1/trust-access-requests/${id}`)).body.status).toBe(
      "pending",
    );
  });

  it("should answer an unknown link with 404 and page through requests pending first", async () => {
    const unknown = await visit("GET", "/trust/access/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain("Link not found");

    const first = await owner.client.get("/api/v1/trust-access-requests?limit=2");
    expect(first.status).toBe(200);
    const seen = [...first.body.items];
    let cursor = first.body.nextCursor;
    for (let i = 0; cursor && i < 100; i++) {
      const next = await owner.client.get(`/api/v1/trust-access-requests?limit=2&cursor=${cursor}`);
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    const all = await owner.client.get("/api/v1/trust-access-requests?limit=200");
    expect(seen.map((r) => r.id)).toEqual(all.body.items.map((r: { id: string }) => r.id));
    const statuses = seen.map((r) => r.status);
    const firstDecided = statuses.findIndex((s) => s !== "pending");
    expect(statuses.slice(firstDecided)).not.toContain("pending");
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
  });
  it("should remind the deciders once of a request pending for more than two days", async () => {
    const doc = await uploadGatedPdf("Waiting report", ["Waiting"]);
    const old = await requestAccess([doc.id]);
    const fresh = await requestAccess([doc.id]);
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      sql`update trust_access_requests set created_at = created_at - interval '3 days'
          where id = ${old.id}`.execute(tx),
    );
    const reminders = () =>
      mailsTo(owner.email).filter((m) => m.subject.endsWith("for your decision"));
    const before = reminders().length;
    expect(await runScheduledEvaluation(t.deps, t.app.log)).toBe(true);
    const sent = reminders().slice(before);
    expect(sent.map((m) => m.subject)).toEqual(["A document request waits for your decision"]);
    expect(sent[0]?.body).toContain(`${old.who.name} <${old.who.email}>`);
    expect(sent[0]?.body).not.toContain(fresh.who.email);
    expect(sent[0]?.body).toContain("https://attest.acme.test/trust-center/requests");
    // The next run (a day later) does not remind of it again.
    const later = new Date(Date.now() + 86_400_000);
    expect(await runScheduledEvaluation(t.deps, t.app.log, later)).toBe(true);
    expect(reminders().slice(before)).toHaveLength(1);
    await owner.client.post(`/api/v1/trust-access-requests/${fresh.id}/deny`, {});
  });

  it("should keep the request pages closed while the trust center is offline, and the links working", async () => {
    const doc = await uploadGatedPdf("Offline report", ["Offline"]);
    const { id, who } = await requestAccess([doc.id]);
    const { link } = await approve(id, who);
    expect((await owner.client.post("/api/v1/trust-center/offline")).status).toBe(200);
    try {
      expect((await visit("GET", "/trust/request-access")).statusCode).toBe(404);
      const refused = await visit("POST", "/trust/access-requests", {
        json: { ...requester(), documents: [doc.id], acceptNda: true },
      });
      expect(refused.statusCode).toBe(404);
      expect((await visit("GET", `${link}/documents/${doc.id}`)).statusCode).toBe(200);
    } finally {
      expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    }
  });
});

describe("trust center documents without mail", () => {
  it("should hand the admin the link when it cannot be emailed, and serve the pages at the root of the trust host", async () => {
    const silent = await createTestApp({
      dataDir,
      publicUrl: "https://attest.acme.test",
      trustHost: "trust.quiet.test",
    });
    try {
      const admin = await createOrganization(silent, "Quiet Co");
      expect((await admin.client.post("/api/v1/trust-center/publish")).status).toBe(200);
      const pdf = await makePdf(["Quiet"]);
      const uploaded = await upload(
        admin.client,
        { title: "Quiet report", access: "gated" },
        { name: "quiet.pdf", content: pdf, type: "application/pdf" },
      );
      expect(uploaded.status).toBe(201);
      const host = { host: "trust.quiet.test" };
      const home = await silent.app.inject({ method: "GET", url: "/", headers: host });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain(`href="/request-access?documents=${uploaded.body.id}"`);
      const form = await silent.app.inject({
        method: "GET",
        url: `/request-access?documents=${uploaded.body.id}`,
        headers: host,
      });
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('action="/access-requests"');
      const who = requester();
      const submitted = await silent.app.inject({
        method: "POST",
        url: "/access-requests",
        headers: { ...host, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ ...who, documents: uploaded.body.id }).toString(),
      });
      expect(submitted.statusCode).toBe(303);
      expect(submitted.headers.location).toBe("/request-access/sent");
      const list = await admin.client.get("/api/v1/trust-access-requests");
      const approved = await admin.client.post(
        `/api/v1/trust-access-requests/${list.body.items[0].id}/approve`,
        {},
      );
      expect(approved.status).toBe(200);
      expect(approved.body.mailSent).toBe(false);
      // Customers' links point at the trust host (with the scheme of the public URL).
      const url = new URL(approved.body.accessUrl);
      expect(url.origin).toBe("https://trust.quiet.test");
      expect(url.pathname).toMatch(/^\/access\/[\w-]+$/);
      const download = await silent.app.inject({
        method: "GET",
        url: `${url.pathname}/documents/${uploaded.body.id}`,
        headers: host,
      });
      expect(download.statusCode).toBe(200);
      const texts = await pageTexts(download.rawPayload);
      expect(texts[0]).toContain(`provided to ${who.name} <${who.email}> by Quiet Co`);
    } finally {
      await silent.close();
    }
  });
});

describe("gating a public document", () => {
  it("should refuse to gate a public PDF that cannot be stamped, naming access, and gate one that can", async () => {
    const unreadable = await upload(
      owner.client,
      { title: "Unreadable brochure", access: "public" },
      {
        name: "brochure.pdf",
        content: "%PDF-1.4\nnot really a PDF\n%%EOF\n",
        type: "application/pdf",
      },
    );
    expect(unreadable.status).toBe(201);
    const refused = await owner.client.patch(`/api/v1/trust-documents/${unreadable.body.id}`, {
      access: "gated",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: "access", message: expect.any(String) }]);
    expect(
      (await owner.client.get(`/api/v1/trust-documents/${unreadable.body.id}`)).body.access,
    ).toBe("public");

    const readable = await upload(
      owner.client,
      { title: "Readable brochure", access: "public" },
      { name: "readable.pdf", content: await makePdf(["Brochure"]), type: "application/pdf" },
    );
    expect(readable.status).toBe(201);
    const gated = await owner.client.patch(`/api/v1/trust-documents/${readable.body.id}`, {
      access: "gated",
    });
    expect(gated.status).toBe(200);
    expect(gated.body.access).toBe("gated");
  });
});

describe("links in mail", () => {
  it("should build the emailed access link from the configured address, not from the Host header a visitor sends", async () => {
    await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
      ndaText: NDA,
      autoApproveDomains: ["trusted-customer.test"],
      linkDays: 7,
    });
    try {
      const document = await uploadGatedPdf("Host header report", ["Page one"]);
      const who = requester("trusted-customer.test");
      const email = who.email;
      const before = smtp.messages.length;
      const submitted = await t.app.inject({
        method: "POST",
        url: "/trust/access-requests",
        headers: { host: "attacker.example", "content-type": "application/json" },
        remoteAddress: "192.0.2.200",
        payload: JSON.stringify({
          ...who,
          documents: [document.id],
          acceptNda: true,
          ndaSha256: ndaSha256(),
        }),
      });
      expect(submitted.statusCode).toBe(201);
      expect(JSON.parse(submitted.body).status).toBe("approved");
      await expect
        .poll(() => smtp.messages.slice(before).some((m) => m.to.includes(email)))
        .toBe(true);
      const mail = smtp.messages.slice(before).find((m) => m.to.includes(email));
      expect(mail?.body).toContain("https://attest.acme.test/trust/access/");
      expect(mail?.body).not.toContain("attacker.example");
    } finally {
      await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
        ndaText: NDA,
        autoApproveDomains: [],
        linkDays: 7,
      });
    }
  });
});

describe("public downloads", () => {
  it("should limit downloads of public documents per address with 429", async () => {
    const created = await upload(
      owner.client,
      { title: "Limited whitepaper", access: "public" },
      { name: "whitepaper.txt", content: "Our security whitepaper.", type: "text/plain" },
    );
    expect(created.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const reply = await visit("GET", `/trust/documents/${created.body.id}`, {
        ip: "192.0.2.123",
      });
      statuses.push(reply.statusCode);
    }
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(statuses[60]).toBe(429);
    // Another address is not held back.
    expect((await visit("GET", `/trust/documents/${created.body.id}`)).statusCode).toBe(200);
  });
});
