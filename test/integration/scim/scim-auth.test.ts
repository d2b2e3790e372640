import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Org,
  organization,
  ScimClient,
  scimClient,
  scimToken,
  scimUser,
  user,
} from "../../factories.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * A SCIM token is its own credential: it reaches /scim/v2 and nothing else, and nothing else
 * reaches /scim/v2 (sessions, API tokens); owners alone make and revoke tokens; every SCIM
 * change is audited as the token that made it; one organization's ids are 404 to another's.
 */
let t: TestApp;
let org: Org;
let idp: ScimClient;
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  idp = await scimClient(org);
});
afterAll(() => t?.close());

function expectScim401(reply: { status: number; body: unknown; headers: Record<string, unknown> }) {
  expect(reply.status).toBe(401);
  expect(reply.body).toMatchObject({ schemas: [ERROR], status: "401" });
  expect(reply.headers["www-authenticate"]).toMatch(/^Bearer/);
}

describe("the SCIM credential", () => {
  it("refuses /scim/v2 without a token, with a session, with an API token, with a made-up token", async () => {
    const anonymous = new Client(t.app);
    expectScim401(await anonymous.get("/scim/v2/Users"));
    expectScim401(await org.owner.client.get("/scim/v2/Users"));
    expectScim401(await org.owner.client.get("/scim/v2/ServiceProviderConfig"));
    const api = await org.owner.client.post("/api/v1/tokens", { name: "script" });
    expect(api.status).toBe(201);
    const withApiToken = new Client(t.app);
    withApiToken.bearer = api.body.token;
    expectScim401(await withApiToken.get("/scim/v2/Users"));
    expectScim401(await new ScimClient(org, "attest_scim_madeup").scim("GET", "/Users"));
  });

  it("is refused everywhere under /api/v1", async () => {
    for (const url of ["/api/v1/me", "/api/v1/people", "/api/v1/scim-tokens", "/api/v1/controls"]) {
      const reply = await idp.get(url);
      expect({ url, status: reply.status, code: reply.body?.code }).toEqual({
        url,
        status: 401,
        code: "unauthenticated",
      });
    }
  });

  it("stops working once revoked", async () => {
    const made = await scimToken(org, "Short-lived");
    const client = await scimClient(org, made.token);
    expect((await client.scim("GET", "/Users")).status).toBe(200);
    const revoked = await org.owner.client.post(`/api/v1/scim-tokens/${made.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expectScim401(await client.scim("GET", "/Users"));
    expect((await org.owner.client.post(`/api/v1/scim-tokens/${made.id}/revoke`)).status).toBe(404);
  });
});

describe("SCIM tokens under /api/v1", () => {
  it("are made by owners only, shown once with the base URL, listed with their last use", async () => {
    const admin = await user(org, "admin");
    expect((await admin.client.post("/api/v1/scim-tokens", { name: "x" })).status).toBe(403);
    expect((await admin.client.get("/api/v1/scim-tokens")).status).toBe(403);
    const made = await scimToken(org, "Okta");
    expect(made.token).toMatch(/^attest_scim_/);
    expect(made.baseUrl).toMatch(/\/scim\/v2$/);
    await (await scimClient(org, made.token)).scim("GET", "/ServiceProviderConfig");
    const list = await org.owner.client.get("/api/v1/scim-tokens");
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === made.id);
    expect(listed).toMatchObject({ name: "Okta", revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(made.token);
  });

  it("refuse a nameless token with a problem naming the field", async () => {
    const reply = await org.owner.client.post("/api/v1/scim-tokens", { name: "" });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("name");
  });
});

describe("audit and tenancy", () => {
  it("audits every SCIM change as the token that made it", async () => {
    const made = await scimToken(org, "Entra provisioning");
    const client = await scimClient(org, made.token);
    const created = await scimUser(client);
    await client.scim("PATCH", `/Users/${created.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "title", value: "Engineer" }],
    });
    const events = await org.owner.client.get("/api/v1/audit-events?limit=50");
    const mine = events.body.items.filter(
      (e: { actorType: string; actorName: string }) =>
        e.actorType === "scim" && e.actorName === "Entra provisioning",
    );
    const actions = mine.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["scim_user.provisioned", "person.created", "scim_user.updated"]),
    );
    for (const event of mine) expect(event.summary).toMatch(/^SCIM token Entra provisioning /);
  });

  it("answers 404 for another organization's users and groups", async () => {
    const other = await organization(t);
    const theirs = await scimClient(other);
    const theirUser = await scimUser(theirs);
    const theirGroup = (await theirs.scim("POST", "/Groups", { displayName: "Theirs" })).body;
    for (const [method, path] of [
      ["GET", `/Users/${theirUser.id}`],
      ["DELETE", `/Users/${theirUser.id}`],
      ["GET", `/Groups/${theirGroup.id}`],
      ["DELETE", `/Groups/${theirGroup.id}`],
    ] as const) {
      expect({ method, path, status: (await idp.scim(method, path)).status }).toEqual({
        method,
        path,
        status: 404,
      });
    }
    const put = await idp.scim("PUT", `/Users/${theirUser.id}`, { userName: "x@example.test" });
    expect(put.status).toBe(404);
    const list = await idp.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`id eq "${theirUser.id}"`)}`,
    );
    expect(list.body.totalResults).toBe(0);
    const member = await idp.scim("POST", "/Groups", {
      displayName: `Mine ${randomUUID()}`,
      members: [{ value: theirUser.id }],
    });
    expect(member.status).toBe(400);
    expect(member.body.scimType).toBe("invalidValue");
    expect((await theirs.scim("GET", `/Users/${theirUser.id}`)).status).toBe(200);
  });
});
