import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  PASSWORD,
  type Person,
  type Reply,
  signedIn,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";
import { accessBadRequests } from "./bad-requests/access.ts";
import { accessImportBadRequests } from "./bad-requests/access-import.ts";
import { accessReviewsBadRequests } from "./bad-requests/access-reviews.ts";
import { accessWorkflowBadRequests } from "./bad-requests/access-workflow.ts";
// issue 15: continuity
import { continuityBadRequests } from "./bad-requests/continuity.ts";
// issue 15: customers
import { customersBadRequests } from "./bad-requests/customers.ts";
// issue 15: encryption
import { encryptionBadRequests } from "./bad-requests/encryption.ts";
// issue 15: endpoints
import { endpointsBadRequests } from "./bad-requests/endpoints.ts";
// issue 14: exercises
import { exercisesBadRequests } from "./bad-requests/exercises.ts";
// issue 13: findings
import { findingsBadRequests } from "./bad-requests/findings.ts";
import { hostListingsBadRequests } from "./bad-requests/host-listings.ts";
// issue 14: incidents core
import { incidentsBadRequests } from "./bad-requests/incidents.ts";
// issue 14: lessons
import { lessonsBadRequests } from "./bad-requests/lessons.ts";
import { noticesBadRequests } from "./bad-requests/notices.ts";
// issue 13: pentests
import { pentestsBadRequests } from "./bad-requests/pentests.ts";
import { peopleBadRequests } from "./bad-requests/people.ts";
import { reportingBadRequests } from "./bad-requests/reporting.ts";
// issue 13: scan imports
import { scanImportsBadRequests } from "./bad-requests/scan-imports.ts";
// issue 16: scim
import { scimBadRequests } from "./bad-requests/scim.ts";
// issue 16: single sign-on
import { ssoBadRequests } from "./bad-requests/sso.ts";
import { systemsBadRequests } from "./bad-requests/systems.ts";
import { trustCenterBadRequests } from "./bad-requests/trust-center.ts";
import { trustDocumentsBadRequests } from "./bad-requests/trust-documents.ts";
import type { AreaBadRequests, BadRequest, Fixture } from "./bad-requests/types.ts";
import { senderOf, WELL_MADE } from "./bad-requests/well-made.ts";

let t: TestApp;
// The well-made uploads store files.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-input-"));
beforeAll(async () => {
  t = await createTestApp({ dataDir });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The problem+json shape every refusal has, naming the offending fields. */
function expectProblem(reply: Reply, status: number, code: string, fields?: string[]) {
  expect(reply.status).toBe(status);
  expect(String(reply.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    code,
    detail: expect.any(String),
    requestId: reply.headers["x-request-id"],
  });
  expect(reply.body.detail.length).toBeGreaterThan(0);
  if (fields) {
    expect(reply.body.errors).toEqual(
      fields.map((field) => ({ field, message: expect.any(String) })),
    );
    for (const error of reply.body.errors) expect(error.message.length).toBeGreaterThan(0);
  }
}

/**
 * Every row of every application table, hashed: a refused request must leave all of it as it
 * was. Sessions are left out only for their last-seen time, which reading a request touches.
 */
async function databaseFingerprint(): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not like 'attest_migrations%'
    order by table_name`.execute(t.deps.db);
  const fingerprint: Record<string, string> = {};
  await withSystem(t.deps.db, async (tx) => {
    for (const { table_name } of tables.rows) {
      const row = await sql<{ hash: string; count: number }>`
        select md5(coalesce(string_agg(
                 (to_jsonb(x) - 'last_seen_at')::text, '|' order by (to_jsonb(x))::text), ''))
                 as hash,
               count(*)::int as count
        from ${sql.table(table_name)} x`.execute(tx);
      fingerprint[table_name] = `${row.rows[0]?.count}:${row.rows[0]?.hash}`;
    }
  });
  return fingerprint;
}

/**
 * One bad request for every write route, keyed by "METHOD url" as the route table lists it. A
 * new write route without an entry here fails the coverage test below.
 */
const CORE_BAD_REQUESTS: Record<string, BadRequest> = {
  "POST /api/v1/setup": {
    as: "anonymous",
    body: { organizationName: "Evil", name: "Mallory", email: "not-an-email", password: PASSWORD },
    fields: ["email"],
  },
  "POST /api/v1/auth/login": {
    as: "anonymous",
    body: { email: "someone@example.test" },
    fields: ["password"],
  },
  "POST /api/v1/auth/logout": { as: "owner", raw: "{not json", fields: ["body"] },
  "POST /api/v1/me/password": {
    as: "owner",
    body: { currentPassword: PASSWORD, newPassword: "short" },
    fields: ["newPassword"],
  },
  "POST /api/v1/me/mfa/enroll": { as: "owner", raw: '{"unterminated": ', fields: ["body"] },
  "POST /api/v1/me/mfa/confirm": { as: "owner", body: { code: "12ab56" }, fields: ["code"] },
  "POST /api/v1/me/mfa/disable": {
    as: "owner",
    body: { password: 12345678 },
    fields: ["password"],
  },
  "POST /api/v1/tokens": { as: "owner", body: { name: "   " }, fields: ["name"] },
  "DELETE /api/v1/tokens/:id": {
    as: "owner",
    url: () => "/api/v1/tokens/not-a-uuid",
    fields: ["id"],
  },
  "POST /api/v1/users": {
    as: "owner",
    body: { email: uniqueEmail("bad"), name: "Bad Role", role: "superuser" },
    fields: ["role"],
  },
  "PATCH /api/v1/users/:id": {
    as: "owner",
    url: (f) => `/api/v1/users/${f.member.id}`,
    body: { name: "Renamed", accessExpiresAt: "next tuesday" },
    fields: ["accessExpiresAt"],
  },
  "POST /api/v1/users/:id/deactivate": {
    as: "owner",
    url: (f) => `/api/v1/users/${f.member.id.slice(0, -1)}/deactivate`,
    fields: ["id"],
  },
  "POST /api/v1/users/:id/reactivate": {
    as: "owner",
    url: (f) => `/api/v1/users/${f.member.id.slice(0, -1)}/reactivate`,
    fields: ["id"],
  },
  "DELETE /api/v1/users/:id/sign-in-lock": {
    as: "owner",
    url: (f) => `/api/v1/users/${f.member.id.slice(0, -1)}/sign-in-lock`,
    fields: ["id"],
  },
  "POST /api/v1/invitations/:token/accept": {
    as: "anonymous",
    url: (f) => `/api/v1/invitations/${f.inviteToken}/accept`,
    body: { name: "Invited Person", password: "short" },
    fields: ["password"],
  },
  "PATCH /api/v1/organization": {
    as: "owner",
    body: { name: "Renamed Co", requireMfa: "yes" },
    fields: ["requireMfa"],
  },
  "PATCH /api/v1/controls/:key": {
    as: "owner",
    url: () => "/api/v1/controls/bcdr-policy",
    body: { criteria: ["CC6.1", "not a criterion"] },
    fields: ["criteria.1"],
  },
  "POST /api/v1/people": {
    as: "owner",
    body: { name: "Pat Person", email: "not-an-email", startDate: "2026-01-01" },
    fields: ["email"],
  },
  "PATCH /api/v1/people/:id": {
    as: "owner",
    url: () => `/api/v1/people/${randomUUID()}`,
    body: { startDate: "some day" },
    fields: ["startDate"],
  },
  "POST /api/v1/policies/preview": { as: "owner", body: { body: 42 }, fields: ["body"] },
  "POST /api/v1/policies": {
    as: "owner",
    body: { title: "Untitled", body: "text", visibility: "secret" },
    fields: ["visibility"],
  },
  "PATCH /api/v1/policies/:id": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}`,
    body: { visibility: "secret" },
    fields: ["visibility"],
  },
  "PUT /api/v1/policies/:id/draft": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}/draft`,
    body: { body: "" },
    fields: ["body"],
  },
  "POST /api/v1/policies/:id/submit": {
    as: "owner",
    url: () => "/api/v1/policies/not-a-policy/submit",
    fields: ["id"],
  },
  "POST /api/v1/policies/:id/reject": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}/reject`,
    body: { reason: "   " },
    fields: ["reason"],
  },
  "POST /api/v1/policies/:id/approve": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}/approve`,
    body: { comment: 7 },
    fields: ["comment"],
  },
  "POST /api/v1/policies/:id/review": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}/review`,
    body: { comment: "x".repeat(1001) },
    fields: ["comment"],
  },
  "POST /api/v1/policies/:id/retire": {
    as: "owner",
    url: () => "/api/v1/policies/42/retire",
    fields: ["id"],
  },
  "POST /api/v1/policies/:id/acknowledge": {
    as: "owner",
    url: () => `/api/v1/policies/${randomUUID()}/acknowledge`,
    body: { versionId: "v1" },
    fields: ["versionId"],
  },
  "POST /api/v1/evidence/links": {
    as: "owner",
    body: {
      controlKey: "bcdr-policy",
      title: "Runbook",
      evidenceDate: "2026-01-01",
      url: "ftp://files.example.test/runbook",
    },
    fields: ["url"],
  },
  "POST /api/v1/evidence": {
    as: "owner",
    body: { title: "Not a file upload" },
    status: 415,
    fields: ["body"],
  },
  "DELETE /api/v1/evidence/:id": {
    as: "owner",
    url: () => "/api/v1/evidence/not-an-id",
    fields: ["id"],
  },
};

const AREAS: AreaBadRequests[] = [
  trustCenterBadRequests,
  trustDocumentsBadRequests,
  noticesBadRequests,
  reportingBadRequests,
  accessWorkflowBadRequests,
  peopleBadRequests,
  systemsBadRequests,
  accessImportBadRequests,
  accessBadRequests,
  accessReviewsBadRequests,
  hostListingsBadRequests,
  // issue 13: scan imports
  scanImportsBadRequests,
  // issue 13: findings
  findingsBadRequests,
  // issue 13: pentests
  pentestsBadRequests,
  // issue 14: incidents core
  incidentsBadRequests,
  // issue 14: lessons
  lessonsBadRequests,
  // issue 14: exercises
  exercisesBadRequests,
  // issue 15: encryption
  encryptionBadRequests,
  // issue 15: continuity
  continuityBadRequests,
  // issue 15: customers
  customersBadRequests,
  // issue 15: endpoints
  endpointsBadRequests,
  // issue 16: single sign-on
  ssoBadRequests,
  // issue 16: scim
  scimBadRequests,
];

const BAD_REQUESTS: Record<string, BadRequest> = Object.assign(
  {},
  CORE_BAD_REQUESTS,
  ...AREAS.map((area) => area.requests),
);

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

describe("bad input on every write route", () => {
  let f: Fixture;

  beforeAll(async () => {
    const owner = await createOrganization(t, "Validation Co");
    const member = await addPerson(t, owner, "member", "Valid Member");
    const invited = await owner.client.post("/api/v1/users", {
      email: uniqueEmail("invitee"),
      name: "Pending Invitee",
      role: "editor",
    });
    expect(invited.status).toBe(201);
    const token = await owner.client.post("/api/v1/tokens", { name: "validation token" });
    const ids: Record<string, string> = {};
    for (const area of AREAS) Object.assign(ids, await area.prepare?.(t, owner));
    f = {
      ids,
      owner,
      member,
      inviteToken: new URL(invited.body.inviteUrl).pathname.split("/").at(-1) ?? "",
      invitedId: invited.body.user.id,
      tokenId: token.body.id,
    };
  });

  it("should have a bad request in the table for every write route, and none for a route that is gone", () => {
    const writes = t.app.attestRoutes
      .filter((route) => route.url.startsWith("/api/v1/") && WRITE_METHODS.has(route.method))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(writes.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(BAD_REQUESTS).sort()).toEqual(writes);
  });

  for (const [route, bad] of Object.entries(BAD_REQUESTS)) {
    it(`should refuse bad input to ${route} naming ${bad.fields.join(", ")}, and write nothing`, async () => {
      const [method = "", pattern = ""] = route.split(" ");
      const url = bad.url ? bad.url(f) : pattern;
      const client =
        bad.as === "owner"
          ? await signedIn(t, f.owner.organizationId, f.owner.id)
          : new Client(t.app);
      const before = await databaseFingerprint();
      const events = (await f.owner.client.get("/api/v1/audit-events?limit=200")).body.items;

      const reply =
        bad.raw === undefined
          ? await client.request(method, url, bad.body)
          : await client.request(method, url, bad.raw, { "content-type": "application/json" });

      expectProblem(reply, bad.status ?? 400, "validation_failed", bad.fields);
      for (const field of bad.fields) expect(reply.body.detail).toContain(field);
      expect(await databaseFingerprint()).toEqual(before);
      expect((await f.owner.client.get("/api/v1/audit-events?limit=200")).body.items).toEqual(
        events,
      );
    });
  }

  it("should replay every row of the table made well, and no other", () => {
    expect(Object.keys(WELL_MADE).sort()).toEqual(Object.keys(BAD_REQUESTS).sort());
  });

  // The same requests made well, so the table tests validation and not a dead route.
  for (const [route, good] of Object.entries(WELL_MADE)) {
    it(`should accept ${route} made well with ${good.status}`, async () => {
      const [method = "", pattern = ""] = route.split(" ");
      const bad = BAD_REQUESTS[route];
      const client = await senderOf(t, f, good.as ?? bad?.as);
      const ids = (await good.prepare?.({ t, f, client })) ?? {};
      const url = good.url ? good.url(f, ids) : bad?.url ? bad.url(f) : pattern;
      let reply: Reply;
      if (good.form) {
        const response = new Response(good.form(ids));
        reply = await client.request(method, url, Buffer.from(await response.arrayBuffer()), {
          "content-type": response.headers.get("content-type") as string,
        });
      } else {
        const body = typeof good.body === "function" ? good.body(f, ids) : good.body;
        reply = await client.request(method, url, body ?? (method === "DELETE" ? undefined : {}));
      }
      expect(reply.body?.code ?? null, JSON.stringify(reply.body)).not.toBe("validation_failed");
      expect(reply.status, JSON.stringify(reply.body)).toBe(good.status);
      if (reply.status === 404) {
        expect(reply.body).toMatchObject({ code: "not_found" });
        expect(reply.body.detail).not.toMatch(/^No route/);
      }
    });
  }
});

describe("malformed requests", () => {
  let owner: Person;
  beforeAll(async () => {
    owner = await createOrganization(t, "Malformed Co");
  });

  it("should answer invalid JSON with 400 naming the body", async () => {
    const before = await databaseFingerprint();
    for (const raw of ["{", '{"name": "x",}', "", "nul"]) {
      const reply = await owner.client.request("POST", "/api/v1/tokens", raw, {
        "content-type": "application/json",
      });
      expectProblem(reply, 400, "validation_failed", ["body"]);
    }
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should answer a JSON body that is not an object with 400 naming the body", async () => {
    for (const body of [[], null, "a token", 42]) {
      const reply = await owner.client.request("POST", "/api/v1/tokens", JSON.stringify(body), {
        "content-type": "application/json",
      });
      expectProblem(reply, 400, "validation_failed", ["body"]);
    }
  });

  it("should answer a body that is not JSON with 415", async () => {
    const before = await databaseFingerprint();
    for (const [type, payload] of [
      ["application/x-www-form-urlencoded", "name=form+token"],
      ["application/xml", "<token><name>x</name></token>"],
      [
        "multipart/form-data; boundary=x",
        '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--',
      ],
    ] as const) {
      const reply = await owner.client.request("POST", "/api/v1/tokens", payload, {
        "content-type": type,
      });
      expectProblem(reply, 415, "validation_failed", ["body"]);
    }
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should refuse a string holding the NUL character with 400 naming the field, not a database error", async () => {
    const member = await addPerson(t, owner, "member");
    const before = await databaseFingerprint();
    const attempts: [string, string, unknown, string][] = [
      ["POST", "/api/v1/tokens", { name: "ci\u0000token" }, "name"],
      ["PATCH", "/api/v1/organization", { name: "Evil\u0000Co" }, "name"],
      [
        "POST",
        "/api/v1/users",
        { email: uniqueEmail("nul"), name: "Nul\u0000Person", role: "member" },
        "name",
      ],
      ["PATCH", `/api/v1/users/${member.id}`, { name: "\u0000" }, "name"],
    ];
    for (const [method, url, body, field] of attempts) {
      const reply = await owner.client.request(method, url, body);
      expectProblem(reply, 400, "validation_failed", [field]);
    }
    const login = await new Client(t.app).post("/api/v1/auth/login", {
      email: `${owner.email}\u0000`,
      password: PASSWORD,
    });
    expectProblem(login, 400, "validation_failed", ["email"]);
    for (const filter of ["action", "targetType", "targetId"]) {
      const reply = await owner.client.get(`/api/v1/audit-events?${filter}=a%00b`);
      expectProblem(reply, 400, "validation_failed", [filter]);
    }
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should refuse a lone surrogate with 400 naming the field, in a body, a key or a query", async () => {
    const before = await databaseFingerprint();
    // JSON escapes a surrogate that no UTF-8 can hold; PostgreSQL's JSON refuses it.
    const bodies: [string, string, string, string][] = [
      ["POST", "/api/v1/tokens", '{"name": "ci \\ud800 token"}', "name"],
      ["POST", "/api/v1/scim-tokens", '{"name": "Okta \\udc00"}', "name"],
      ["PATCH", "/api/v1/organization", '{"name": "Co", "\\ud800": 1}', "\ud800"],
    ];
    for (const [method, url, text, field] of bodies) {
      const reply = await owner.client.request(method, url, text, {
        "content-type": "application/json",
      });
      expectProblem(reply, 400, "validation_failed", [field]);
    }
    const query = await owner.client.get("/api/v1/audit-events?action=a%ED%A0%80b");
    expect(query.status).toBeLessThan(500);
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should answer an unknown control key with a 404 problem, and a malformed one with 400", async () => {
    const before = await databaseFingerprint();
    const unknown = await owner.client.get("/api/v1/controls/no-such-control");
    expectProblem(unknown, 404, "not_found");
    const patch = await owner.client.patch("/api/v1/controls/no-such-control", {
      criteria: ["CC6.1"],
    });
    expectProblem(patch, 404, "not_found");
    const malformed = await owner.client.patch("/api/v1/controls/Not_A_Key", {
      criteria: ["CC6.1"],
    });
    expectProblem(malformed, 400, "validation_failed", ["key"]);
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should answer a malformed uuid in the path with 400 naming id", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/users/123"],
      ["PATCH", "/api/v1/users/not-a-uuid"],
      ["POST", "/api/v1/users/00000000-0000-0000-0000-00000000000g/deactivate"],
      ["DELETE", "/api/v1/tokens/%27%20or%201=1--"],
    ] as const) {
      const reply = await owner.client.request(
        method,
        url,
        method === "GET" || method === "DELETE" ? undefined : { name: "x" },
      );
      expectProblem(reply, 400, "validation_failed", ["id"]);
    }
  });

  it("should answer a well-formed but unknown id with a 404 problem", async () => {
    const id = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";
    expectProblem(await owner.client.get(`/api/v1/users/${id}`), 404, "not_found");
    expectProblem(await owner.client.patch(`/api/v1/users/${id}`, { name: "x" }), 404, "not_found");
    expectProblem(await owner.client.post(`/api/v1/users/${id}/deactivate`), 404, "not_found");
    expectProblem(await owner.client.delete(`/api/v1/tokens/${id}`), 404, "not_found");
  });

  it("should answer a cursor the list did not hand out with 400 naming cursor", async () => {
    const forged = Buffer.from(JSON.stringify({ createdAt: "yesterday", id: "x" })).toString(
      "base64url",
    );
    for (const url of [
      "/api/v1/users?cursor=garbage",
      `/api/v1/users?cursor=${forged}`,
      "/api/v1/audit-events?cursor=garbage",
      `/api/v1/audit-events?cursor=${Buffer.from('{"seq":"1; drop table users"}').toString("base64url")}`,
    ]) {
      expectProblem(await owner.client.get(url), 400, "validation_failed", ["cursor"]);
    }
  });

  it("should page through a list with the cursors it hands out", async () => {
    const owner = await createOrganization(t, "Paging Co");
    await addPerson(t, owner, "member");
    await addPerson(t, owner, "editor");
    const seen: string[] = [];
    let url = "/api/v1/users?limit=1";
    for (let page = 0; page < 10; page++) {
      const reply = await owner.client.get(url);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((u: { id: string }) => u.id));
      if (!reply.body.nextCursor) break;
      url = `/api/v1/users?limit=1&cursor=${reply.body.nextCursor}`;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it("should answer bad query parameters with 400 naming them", async () => {
    expectProblem(await owner.client.get("/api/v1/users?limit=0"), 400, "validation_failed", [
      "limit",
    ]);
    expectProblem(await owner.client.get("/api/v1/users?limit=abc"), 400, "validation_failed", [
      "limit",
    ]);
    expectProblem(
      await owner.client.get("/api/v1/audit-events?from=last-week"),
      400,
      "validation_failed",
      ["from"],
    );
    expectProblem(
      await owner.client.get("/api/v1/audit-events?actorId=me"),
      400,
      "validation_failed",
      ["actorId"],
    );
  });

  it("should answer a duplicate email on invitation with 409 naming email, whatever its case", async () => {
    const member = await addPerson(t, owner, "member");
    const before = await databaseFingerprint();
    for (const email of [member.email, member.email.toUpperCase(), owner.email]) {
      const reply = await owner.client.post("/api/v1/users", {
        email,
        name: "Second Account",
        role: "editor",
      });
      expectProblem(reply, 409, "conflict", ["email"]);
    }
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("should name every offending field at once", async () => {
    const reply = await owner.client.post("/api/v1/users", {
      email: "nope",
      name: "",
      role: "tsar",
    });
    expectProblem(reply, 400, "validation_failed");
    expect(reply.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "email",
      "name",
      "role",
    ]);
  });
});

describe("the body size limit", () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ bodyLimitBytes: 2048 });
  });
  afterAll(() => small.close());

  it("should refuse a body over the limit with 413 payload_too_large and write nothing", async () => {
    const owner = await createOrganization(small, "Small Co");
    const tokensBefore = await owner.client.get("/api/v1/tokens");
    const big = await owner.client.post("/api/v1/tokens", { name: "x".repeat(4000) });
    expect(big.status).toBe(413);
    expect(String(big.headers["content-type"])).toMatch(/^application\/problem\+json/);
    expect(big.body).toMatchObject({
      status: 413,
      code: "payload_too_large",
      requestId: big.headers["x-request-id"],
    });
    expect((await owner.client.get("/api/v1/tokens")).body).toEqual(tokensBefore.body);

    // Just under the limit is parsed and validated as usual.
    const fits = await owner.client.post("/api/v1/tokens", { name: "x".repeat(1500) });
    expect(fits.status).toBe(400);
    expect(fits.body.errors[0].field).toBe("name");

    const anonymous = await new Client(small.app).post("/api/v1/auth/login", {
      email: "someone@example.test",
      password: "y".repeat(5000),
    });
    expect(anonymous.status).toBe(413);
    expect(anonymous.body.code).toBe("payload_too_large");
  });
});
