import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { findValidEvidence } from "../../../src/modules/evidence/evidence.service.ts";
import { onChange } from "../../../src/modules/monitoring/changes.ts";
import { ConfigError, loadConfig } from "../../../src/platform/config.ts";
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

const MAX_BYTES = 64 * 1024;
const CONTROL = "encryption-at-rest";
const TEST = "datastores-encrypted";
// A plaintext nobody would find in ciphertext by chance.
const SECRET = `ATTEST-PLAINTEXT-MARKER-${randomBytes(8).toString("hex")}`;

let t: TestApp;
let dataDir: string;
let owner: Person;
let editor: Person;
let member: Person;
let auditor: Person;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-evidence-"));
  t = await createTestApp({ dataDir, evidenceMaxBytes: MAX_BYTES });
  owner = await createOrganization(t, "Evidence Co");
  editor = await addPerson(t, owner, "editor");
  member = await addPerson(t, owner, "member");
  auditor = await addPerson(t, owner, "auditor");
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function upload(client: Client, fields: Record<string, string>, file?: FilePart): Promise<Reply> {
  return client.postForm("/api/v1/evidence", formOf(fields, file));
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const baseFields = () => ({
  controlKey: CONTROL,
  testKey: TEST,
  title: "Database volume encryption",
  evidenceDate: daysAgo(3),
});

const textFile = (content = `${SECRET}\nThe volumes are encrypted.\n`): FilePart => ({
  name: "encryption-report.txt",
  type: "text/plain",
  content,
});

function blobDir() {
  return path.join(dataDir, "evidence");
}

function blobs(): string[] {
  return fs.existsSync(blobDir()) ? fs.readdirSync(blobDir()).sort() : [];
}

async function evidenceRows(organizationId: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx.selectFrom("evidence").selectAll().orderBy("created_at").execute(),
  );
}

async function auditEvents(organizationId: string, action: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute(),
  );
}

function sha256(bytes: Buffer | string) {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("uploading and downloading evidence files", () => {
  it("should give back exactly the uploaded bytes, with their SHA-256, as a safe attachment", async () => {
    const content = Buffer.concat([Buffer.from(SECRET), randomBytes(20_000)]);
    const created = await upload(editor.client, baseFields(), {
      name: "../../etc/Report «Q3».pdf",
      type: "application/pdf",
      content,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      controlKey: CONTROL,
      testKey: TEST,
      kind: "file",
      title: "Database volume encryption",
      description: null,
      url: null,
      fileName: "Report «Q3».pdf",
      contentType: "application/pdf",
      sizeBytes: content.length,
      sha256: sha256(content),
      evidenceDate: daysAgo(3),
      valid: true,
      uploadedBy: { id: editor.id, name: "A editor" },
      deletedAt: null,
    });

    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/evidence/${created.body.id}/download`,
      headers: { cookie: auditor.client.cookie as string },
    });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(content)).toBe(true);
    expect(sha256(response.rawPayload)).toBe(created.body.sha256);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="Report _Q3_.pdf"; filename*=UTF-8''Report%20%C2%ABQ3%C2%BB.pdf`,
    );
  });

  it("should keep only ciphertext on disk, in a private directory, under random names", async () => {
    const created = await upload(editor.client, baseFields(), textFile());
    expect(created.status).toBe(201);
    const [row] = (await evidenceRows(owner.organizationId)).filter(
      (r) => r.id === created.body.id,
    );
    expect(row?.storage_key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const file = path.join(blobDir(), row?.storage_key as string);
    const stored = fs.readFileSync(file);
    expect(stored.length).toBe(created.body.sizeBytes);
    expect(stored.includes(Buffer.from(SECRET))).toBe(false);
    expect(stored.includes(Buffer.from("encrypted"))).toBe(false);
    for (const name of blobs()) {
      expect(fs.readFileSync(path.join(blobDir(), name)).includes(Buffer.from(SECRET))).toBe(false);
    }
    expect(fs.statSync(blobDir()).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The data key is stored wrapped, never in the clear.
    expect(row?.wrapped_key).toMatch(/^v2\.[0-9a-f]{16}\./);
    expect(Buffer.from(row?.iv as string, "base64")).toHaveLength(12);
    expect(Buffer.from(row?.auth_tag as string, "base64")).toHaveLength(16);
  });

  it("should refuse to serve a file whose stored bytes were altered, and record why", async () => {
    const created = await upload(editor.client, baseFields(), textFile());
    const [row] = (await evidenceRows(owner.organizationId)).filter(
      (r) => r.id === created.body.id,
    );
    const file = path.join(blobDir(), row?.storage_key as string);
    const bytes = fs.readFileSync(file);
    bytes[5] = (bytes[5] as number) ^ 0x01;
    fs.writeFileSync(file, bytes);

    const download = await auditor.client.get(`/api/v1/evidence/${created.body.id}/download`);
    expect(download.status).toBe(409);
    expect(download.body.code).toBe("invalid_state");
    expect(download.body.detail).toMatch(/stored file failed its integrity check/);

    const failures = await auditEvents(owner.organizationId, "evidence.integrity_failed");
    expect(failures.at(-1)).toMatchObject({
      target_id: created.body.id,
      actor_id: auditor.id,
      after: { reason: "tag" },
    });
    const downloads = await auditEvents(owner.organizationId, "evidence.downloaded");
    expect(downloads.map((e) => e.target_id)).not.toContain(created.body.id);

    // A missing file is refused the same way.
    fs.rmSync(file);
    const missing = await owner.client.get(`/api/v1/evidence/${created.body.id}/download`);
    expect(missing.status).toBe(409);
    expect(missing.body.detail).toMatch(/integrity check/);
  });

  it("should refuse a file over the size limit with 413 and leave no blob or row behind", async () => {
    const before = { blobs: blobs(), rows: (await evidenceRows(owner.organizationId)).length };
    const tooBig = await upload(editor.client, baseFields(), {
      name: "big.csv",
      type: "text/csv",
      content: Buffer.alloc(MAX_BYTES + 1, "a"),
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe("payload_too_large");
    expect(tooBig.body.errors).toEqual([
      { field: "file", message: `must be at most ${MAX_BYTES} bytes` },
    ]);

    const muchTooBig = await upload(editor.client, baseFields(), {
      name: "bigger.csv",
      type: "text/csv",
      content: Buffer.alloc(MAX_BYTES * 3, "a"),
    });
    expect(muchTooBig.status).toBe(413);
    expect(blobs()).toEqual(before.blobs);
    expect(await evidenceRows(owner.organizationId)).toHaveLength(before.rows);

    const exactly = await upload(editor.client, baseFields(), {
      name: "limit.csv",
      type: "text/csv",
      content: Buffer.alloc(MAX_BYTES, "a"),
    });
    expect(exactly.status).toBe(201);
  });

  it("should answer 413 over a real connection while the client is still sending", async () => {
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const send = async (size: number) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(baseFields())) form.append(name, value);
      form.append("file", new Blob([Buffer.alloc(size, "z")], { type: "text/plain" }), "a.txt");
      const response = await fetch(`${address}/api/v1/evidence`, {
        method: "POST",
        body: form,
        headers: {
          cookie: editor.client.cookie as string,
          "x-csrf-token": editor.client.csrfToken as string,
        },
      });
      return {
        status: response.status,
        body: (await response.json()) as { errors: { field: string }[] },
      };
    };
    const refused = await send(MAX_BYTES * 64);
    expect(refused.status).toBe(413);
    expect(refused.body.errors[0]?.field).toBe("file");
    expect((await send(1000)).status).toBe(201);
  });

  it("should refuse with 415 a file whose extension or declared type it does not keep", async () => {
    const before = { blobs: blobs(), rows: (await evidenceRows(owner.organizationId)).length };
    const cases: FilePart[] = [
      { name: "tool.exe", type: "application/octet-stream", content: "MZ" },
      { name: "page.html", type: "text/html", content: "<script>alert(1)</script>" },
      { name: "report.pdf", type: "text/html", content: "<script>alert(1)</script>" },
      { name: "no-extension", type: "text/plain", content: "text" },
      { name: "image.svg", type: "image/svg+xml", content: "<svg/>" },
    ];
    for (const file of cases) {
      const reply = await upload(editor.client, baseFields(), file);
      expect({ file: file.name, status: reply.status, fields: reply.body.errors }).toEqual({
        file: file.name,
        status: 415,
        fields: [{ field: "file", message: expect.any(String) }],
      });
    }
    expect(blobs()).toEqual(before.blobs);
    expect(await evidenceRows(owner.organizationId)).toHaveLength(before.rows);

    const allowed: FilePart[] = [
      { name: "screenshot.png", type: "image/png", content: randomBytes(100) },
      { name: "notes.md", type: "application/octet-stream", content: "# Notes" },
      { name: "scan.JSON", type: "application/json", content: "{}" },
      { name: "export.xlsx", type: "", content: randomBytes(100) },
    ];
    for (const file of allowed) {
      const reply = await upload(editor.client, baseFields(), file);
      expect({ file: file.name, status: reply.status }).toEqual({ file: file.name, status: 201 });
    }
  });

  it("should answer a JSON or form-encoded body with 415, not a server error", async () => {
    const json = await editor.client.post("/api/v1/evidence", { ...baseFields(), file: "x" });
    expect(json.status).toBe(415);
    expect(json.body.errors).toEqual([{ field: "body", message: expect.any(String) }]);
    const urlencoded = await editor.client.request("POST", "/api/v1/evidence", "title=x", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(urlencoded.status).toBe(415);
  });

  it("should answer 400 naming the field for each bad field, and store nothing", async () => {
    const before = { blobs: blobs(), rows: (await evidenceRows(owner.organizationId)).length };
    const tomorrow = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const cases: [Record<string, string>, string][] = [
      [{ ...baseFields(), title: "" }, "title"],
      [{ controlKey: CONTROL, evidenceDate: daysAgo(1) }, "title"],
      [{ ...baseFields(), controlKey: "Not A Key" }, "controlKey"],
      [{ ...baseFields(), evidenceDate: "2025-02-30" }, "evidenceDate"],
      [{ ...baseFields(), evidenceDate: tomorrow }, "evidenceDate"],
      [{ ...baseFields(), validUntil: daysAgo(10) }, "validUntil"],
      [{ ...baseFields(), validUntil: "soon" }, "validUntil"],
      [{ ...baseFields(), testKey: "policy-published" }, "testKey"],
      [{ ...baseFields(), colour: "blue" }, "colour"],
      [{ ...baseFields(), description: "x".repeat(5001) }, "description"],
    ];
    for (const [fields, field] of cases) {
      const reply = await upload(editor.client, fields, textFile());
      expect({ fields, status: reply.status, field: reply.body.errors?.[0]?.field }).toEqual({
        fields,
        status: 400,
        field,
      });
    }
    // The fields may also follow the file; they are checked all the same.
    const fileFirst = new FormData();
    fileFirst.append("file", new Blob(["late fields"], { type: "text/plain" }), "a.txt");
    fileFirst.append("controlKey", CONTROL);
    fileFirst.append("title", "Late");
    fileFirst.append("evidenceDate", "not a date");
    const late = await editor.client.postForm("/api/v1/evidence", fileFirst);
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([{ field: "evidenceDate", message: expect.any(String) }]);

    const noFile = await upload(editor.client, baseFields());
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors[0].field).toBe("file");
    const empty = await upload(editor.client, baseFields(), { ...textFile(), content: "" });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe("file");

    const unknownControl = await upload(
      editor.client,
      { ...baseFields(), controlKey: "no-such-control", testKey: "" },
      textFile(),
    );
    expect(unknownControl.status).toBe(404);

    const malformed = await editor.client.request("POST", "/api/v1/evidence", "--x\r\nnonsense", {
      "content-type": "multipart/form-data; boundary=x",
    });
    expect(malformed.status).toBe(400);

    expect(blobs()).toEqual(before.blobs);
    expect(await evidenceRows(owner.organizationId)).toHaveLength(before.rows);
  });
});

describe("evidence links", () => {
  it("should record a link with its dates and refuse other URL schemes", async () => {
    const created = await editor.client.post("/api/v1/evidence/links", {
      controlKey: CONTROL,
      title: "Cloud console: RDS encryption settings",
      description: "Screenshot in the wiki",
      url: "https://wiki.example.com/security/rds",
      evidenceDate: daysAgo(30),
      validUntil: daysAgo(-60),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "link",
      testKey: null,
      url: "https://wiki.example.com/security/rds",
      fileName: null,
      sizeBytes: null,
      validUntil: daysAgo(-60),
      valid: true,
    });

    for (const url of ["javascript:alert(1)", "ftp://files.example.com/x", "not a url"]) {
      const reply = await editor.client.post("/api/v1/evidence/links", {
        controlKey: CONTROL,
        title: "Bad",
        url,
        evidenceDate: daysAgo(1),
      });
      expect({ url, status: reply.status, field: reply.body.errors?.[0]?.field }).toEqual({
        url,
        status: 400,
        field: "url",
      });
    }
    const unknown = await editor.client.post("/api/v1/evidence/links", {
      controlKey: "no-such-control",
      title: "Bad",
      url: "https://example.com",
      evidenceDate: daysAgo(1),
    });
    expect(unknown.status).toBe(404);

    const download = await editor.client.get(`/api/v1/evidence/${created.body.id}/download`);
    expect(download.status).toBe(409);
  });
});

describe("listing and deleting evidence", () => {
  it("should list newest first with a cursor, filtered by control and test", async () => {
    const other = await createOrganization(t, "List Co");
    const titles = ["first", "second", "third"];
    for (const title of titles) {
      await other.client.post("/api/v1/evidence/links", {
        controlKey: CONTROL,
        testKey: TEST,
        title,
        url: "https://example.com",
        evidenceDate: daysAgo(1),
      });
    }
    await other.client.post("/api/v1/evidence/links", {
      controlKey: "asset-inventory",
      title: "inventory",
      url: "https://example.com",
      evidenceDate: daysAgo(1),
    });

    const seen: string[] = [];
    let url = `/api/v1/evidence?controlKey=${CONTROL}&testKey=${TEST}&limit=2`;
    for (;;) {
      const page = await other.client.get(url);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { title: string }) => item.title));
      if (!page.body.nextCursor) break;
      url = `/api/v1/evidence?controlKey=${CONTROL}&testKey=${TEST}&limit=2&cursor=${page.body.nextCursor}`;
    }
    expect(seen).toEqual(["third", "second", "first"]);
    const all = await other.client.get("/api/v1/evidence");
    expect(all.body.items).toHaveLength(4);
    const bad = await other.client.get("/api/v1/evidence?cursor=nonsense");
    expect(bad.status).toBe(400);
  });

  it("should delete softly: hidden from the list, kept with its deletion date, audited", async () => {
    const created = await upload(
      editor.client,
      { ...baseFields(), title: "To delete" },
      textFile(),
    );
    const gone = await editor.client.delete(`/api/v1/evidence/${created.body.id}`);
    expect(gone.status).toBe(204);

    const list = await owner.client.get(`/api/v1/evidence?controlKey=${CONTROL}&limit=200`);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
    const withDeleted = await owner.client.get(
      `/api/v1/evidence?controlKey=${CONTROL}&includeDeleted=true&limit=200`,
    );
    expect(withDeleted.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);

    const kept = await owner.client.get(`/api/v1/evidence/${created.body.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.deletedAt).not.toBeNull();
    expect(kept.body.valid).toBe(false);

    const [row] = (await evidenceRows(owner.organizationId)).filter(
      (r) => r.id === created.body.id,
    );
    expect(row?.deleted_by).toBe(editor.id);
    expect(fs.existsSync(path.join(blobDir(), row?.storage_key as string))).toBe(true);

    // Deleting again changes nothing and records nothing.
    expect((await editor.client.delete(`/api/v1/evidence/${created.body.id}`)).status).toBe(204);
    const deletions = await auditEvents(owner.organizationId, "evidence.deleted");
    expect(deletions.filter((e) => e.target_id === created.body.id)).toHaveLength(1);
    expect(deletions.at(-1)?.before).toMatchObject({ id: created.body.id, deletedAt: null });
    expect(deletions.at(-1)?.after).toMatchObject({
      id: created.body.id,
      deletedAt: expect.any(String),
    });
  });

  it("should refuse the application's role any change to evidence beyond marking it deleted", async () => {
    const created = await upload(editor.client, baseFields(), textFile());
    await expect(
      withTenant(t.deps.db, owner.organizationId, (tx) =>
        tx
          .updateTable("evidence")
          .set({ title: "rewritten" })
          .where("id", "=", created.body.id)
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(t.deps.db, owner.organizationId, (tx) =>
        tx.deleteFrom("evidence").where("id", "=", created.body.id).execute(),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe("who may see and change evidence", () => {
  it("should let editors upload, auditors read and download only, and members nothing", async () => {
    const created = await upload(editor.client, baseFields(), textFile());
    expect(created.status).toBe(201);
    const id = created.body.id;

    for (const url of [
      "/api/v1/evidence",
      `/api/v1/evidence/${id}`,
      `/api/v1/evidence/${id}/download`,
    ]) {
      expect({ url, status: (await member.client.get(url)).status }).toEqual({ url, status: 403 });
      expect({ url, status: (await auditor.client.get(url)).status }).toEqual({ url, status: 200 });
    }
    expect((await upload(auditor.client, baseFields(), textFile())).status).toBe(403);
    expect((await upload(member.client, baseFields(), textFile())).status).toBe(403);
    const link = {
      controlKey: CONTROL,
      title: "x",
      url: "https://example.com",
      evidenceDate: daysAgo(1),
    };
    expect((await auditor.client.post("/api/v1/evidence/links", link)).status).toBe(403);
    expect((await auditor.client.delete(`/api/v1/evidence/${id}`)).status).toBe(403);
    expect((await member.client.delete(`/api/v1/evidence/${id}`)).status).toBe(403);
    expect((await owner.client.get(`/api/v1/evidence/${id}`)).body.deletedAt).toBeNull();
  });

  it("should keep each organization's evidence invisible to every other", async () => {
    const created = await upload(editor.client, baseFields(), textFile());
    const stranger = await createOrganization(t, "Stranger Co");
    const id = created.body.id;
    expect((await stranger.client.get(`/api/v1/evidence/${id}`)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/evidence/${id}/download`)).status).toBe(404);
    expect((await stranger.client.delete(`/api/v1/evidence/${id}`)).status).toBe(404);
    expect((await stranger.client.get("/api/v1/evidence")).body.items).toEqual([]);
    expect((await owner.client.get(`/api/v1/evidence/${id}`)).body.deletedAt).toBeNull();
    const found = await withTenant(t.deps.db, stranger.organizationId, (tx) =>
      findValidEvidence(tx, {
        organizationId: owner.organizationId,
        controlKey: CONTROL,
        testKey: TEST,
        asOf: new Date(),
      }),
    );
    expect(found).toEqual([]);
  });
});

describe("the audit trail of evidence", () => {
  it("should record uploads, links, downloads and deletions with snapshots but no key material", async () => {
    const org = await createOrganization(t, "Audit Co");
    const changes: string[] = [];
    const stop = onChange(t.deps.db, (organizationId, source) => {
      if (organizationId === org.organizationId) changes.push(source);
    });
    const file = await upload(org.client, baseFields(), textFile());
    const link = await org.client.post("/api/v1/evidence/links", {
      controlKey: CONTROL,
      title: "Link",
      url: "https://example.com/x",
      evidenceDate: daysAgo(1),
    });
    await org.client.get(`/api/v1/evidence/${file.body.id}/download`);
    await org.client.delete(`/api/v1/evidence/${link.body.id}`);
    stop();
    expect(changes).toEqual(["evidence", "evidence", "evidence"]);

    const events = await org.client.get("/api/v1/audit-events?targetType=evidence");
    expect(events.body.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      "evidence.uploaded",
      "evidence.linked",
      "evidence.downloaded",
      "evidence.deleted",
    ]);
    const uploaded = events.body.items.at(-1);
    expect(uploaded).toMatchObject({
      targetId: file.body.id,
      actor: { id: org.id },
      before: null,
      after: {
        id: file.body.id,
        controlKey: CONTROL,
        testKey: TEST,
        kind: "file",
        fileName: "encryption-report.txt",
        sha256: file.body.sha256,
        sizeBytes: file.body.sizeBytes,
        evidenceDate: daysAgo(3),
      },
    });
    const [row] = await evidenceRows(org.organizationId);
    const text = JSON.stringify(events.body.items);
    for (const secret of [row?.wrapped_key, row?.iv, row?.auth_tag, row?.storage_key]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/wrappedKey|authTag|storageKey/);
  });
});

describe("evidence in control tests (findValidEvidence)", () => {
  let org: Person;
  const ids: Record<string, string> = {};

  async function link(title: string, fields: Record<string, string | undefined>) {
    const reply = await org.client.post("/api/v1/evidence/links", {
      controlKey: CONTROL,
      title,
      url: "https://example.com/evidence",
      ...fields,
    });
    expect(reply.status).toBe(201);
    ids[title] = reply.body.id;
  }

  async function backdate(title: string, days: number) {
    await sql`update evidence set created_at = now() - make_interval(days => ${days})
              where id = ${ids[title]}`.execute(t.deps.db);
  }

  async function valid(asOf: Date, options: { testKey?: string; maxAgeDays?: number } = {}) {
    const rows = await withTenant(t.deps.db, org.organizationId, (tx) =>
      findValidEvidence(tx, {
        organizationId: org.organizationId,
        controlKey: CONTROL,
        testKey: options.testKey ?? TEST,
        asOf,
        ...(options.maxAgeDays ? { maxAgeDays: options.maxAgeDays } : {}),
      }),
    );
    return rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0]).sort();
  }

  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

  beforeAll(async () => {
    org = await createOrganization(t, "Evaluation Co");
    await link("recent", { testKey: TEST, evidenceDate: daysAgo(100) });
    await link("too old", { testKey: TEST, evidenceDate: daysAgo(400) });
    await link("old, long-lived", {
      testKey: TEST,
      evidenceDate: daysAgo(400),
      validUntil: daysAgo(-300),
    });
    await link("expired", { testKey: TEST, evidenceDate: daysAgo(100), validUntil: daysAgo(10) });
    await link("control-wide", { evidenceDate: daysAgo(50) });
    await link("deleted", { testKey: TEST, evidenceDate: daysAgo(60) });
    for (const title of Object.keys(ids)) await backdate(title, 40);
    await org.client.delete(`/api/v1/evidence/${ids.deleted}`);
  });

  it("should count evidence dated within 365 days and still within its validity", async () => {
    expect(await valid(new Date())).toEqual(["control-wide", "recent"]);
  });

  it("should not count evidence older than 365 days, whatever else holds", async () => {
    expect(await valid(new Date())).not.toContain("too old");
    // Its own validity runs for another 300 days, but the test asks for a recent date.
    expect(await valid(new Date())).not.toContain("old, long-lived");
    // 300 days ago the same evidence was 100 days old, but it was recorded only 40 days ago.
    expect(await valid(ago(300))).toEqual([]);
  });

  it("should count evidence until its validUntil day and not after", async () => {
    expect(await valid(ago(20))).toContain("expired");
    expect(await valid(ago(10))).toContain("expired");
    expect(await valid(ago(9))).not.toContain("expired");
  });

  it("should count deleted evidence before its deletion and not after", async () => {
    expect(await valid(ago(5))).toContain("deleted");
    expect(await valid(new Date(Date.now() + 1000))).not.toContain("deleted");
  });

  it("should count evidence recorded without a test for every test of its control", async () => {
    expect(await valid(new Date(), { testKey: "some-other-test" })).toEqual(["control-wide"]);
  });

  it("should apply a shorter maximum age when the test asks for one", async () => {
    expect(await valid(new Date(), { maxAgeDays: 60 })).toEqual(["control-wide"]);
  });

  it("should show the same validity in the evidence view", async () => {
    const view = async (title: string) =>
      (await org.client.get(`/api/v1/evidence/${ids[title]}`)).body;
    expect(await view("recent")).toMatchObject({ valid: true, validUntil: daysAgo(100 - 365) });
    expect(await view("too old")).toMatchObject({ valid: false, validUntil: daysAgo(400 - 365) });
    // The view speaks of the item's own validity; the control test adds its maximum age.
    expect(await view("old, long-lived")).toMatchObject({ valid: true, validUntil: daysAgo(-300) });
    expect(await view("expired")).toMatchObject({ valid: false, validUntil: daysAgo(10) });
    expect(await view("deleted")).toMatchObject({ valid: false });
  });
});

describe("the evidence size limit setting", () => {
  it("should default to 25 MiB and name ATTEST_EVIDENCE_MAX_BYTES when it is not a number", () => {
    expect(loadConfig({}).evidenceMaxBytes).toBe(26_214_400);
    expect(loadConfig({ ATTEST_EVIDENCE_MAX_BYTES: "1048576" }).evidenceMaxBytes).toBe(1_048_576);
    expect(() => loadConfig({ ATTEST_EVIDENCE_MAX_BYTES: "lots" })).toThrow(ConfigError);
    expect(() => loadConfig({ ATTEST_EVIDENCE_MAX_BYTES: "lots" })).toThrow(
      /ATTEST_EVIDENCE_MAX_BYTES:/,
    );
  });
});
