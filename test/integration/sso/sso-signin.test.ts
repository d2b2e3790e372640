import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import { Keyring, sealedKeyId } from "../../../src/platform/keyring.ts";
import { resealAll } from "../../../src/platform/keyring-rotation.ts";
import {
  addPerson,
  Client,
  createOrganization,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import type { TestOidcProvider } from "../../helpers/oidc-provider.ts";
import {
  ATTEST_URL,
  backToAttest,
  providerSettings,
  ssoSignIn,
  startSsoWorld,
  stopSsoWorld,
  throughProvider,
} from "../../helpers/sso.ts";

/**
 * Single sign-on end to end against a real OpenID provider on loopback: the authorization
 * code flow with PKCE, state and nonce, played with plain HTTP requests through the
 * provider's login form; accounts made just in time, linked to their person, roles from
 * groups; and a state that comes back twice.
 */
let t: TestApp;
let idp: TestOidcProvider;

beforeAll(async () => {
  ({ t, idp } = await startSsoWorld());
});
afterAll(() => stopSsoWorld({ t, idp }));

let n = 0;
function email(prefix: string) {
  n++;
  return `${prefix}-${n}-${randomBytes(3).toString("hex")}@example.com`;
}

async function organizationWithSso(overrides: Record<string, unknown> = {}): Promise<Person> {
  const owner = await createOrganization(t, "Acme SSO");
  const saved = await owner.client.request(
    "PUT",
    "/api/v1/sso/provider",
    providerSettings(idp.issuer, overrides),
  );
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return owner;
}

async function auditActions(organizationId: string) {
  return withSystem(t.deps.db, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["action", "after"])
      .where("organization_id", "=", organizationId)
      .orderBy("seq")
      .execute(),
  );
}

describe("the provider settings", () => {
  it("are the owner's alone; the client secret is sealed, never answered, never audited", async () => {
    const owner = await organizationWithSso();
    const answer = await owner.client.get("/api/v1/sso/provider");
    expect(answer.body.redirectUri).toBe(`${ATTEST_URL}/api/v1/auth/sso/callback`);
    expect(answer.body.provider).toMatchObject({ name: "Test IdP", clientSecretSet: true });
    expect(JSON.stringify(answer.body)).not.toContain("attest client secret");
    const stored = await withSystem(t.deps.db, (tx) =>
      tx
        .selectFrom("sso_providers")
        .select("client_secret_enc")
        .where("organization_id", "=", owner.organizationId)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.client_secret_enc).not.toContain("attest client secret");
    expect(t.deps.keyring.open(stored.client_secret_enc)).toBe("attest client secret");
    // A change without the secret keeps it; one with it says only that it changed.
    const { clientSecret: _kept, ...withoutSecret } = providerSettings(idp.issuer);
    expect((await owner.client.request("PUT", "/api/v1/sso/provider", withoutSecret)).status).toBe(
      200,
    );
    const changed = await owner.client.request("PUT", "/api/v1/sso/provider", {
      ...providerSettings(idp.issuer),
      clientSecret: "a new secret",
    });
    expect(changed.status).toBe(200);
    const trail = JSON.stringify(await auditActions(owner.organizationId));
    expect(trail).toContain("sso.provider_configured");
    expect(trail).toContain("clientSecretChanged");
    expect(trail).not.toContain("attest client secret");
    expect(trail).not.toContain("a new secret");
    // `attest keys rotate` re-seals it under the new key (the server then runs with the new ring).
    const rotated = Keyring.of(randomBytes(32), ...t.deps.keyring.keys.map((k) => k.key));
    await resealAll(t.deps.db, rotated);
    t.deps.keyring = rotated;
    const resealed = await withSystem(t.deps.db, (tx) =>
      tx
        .selectFrom("sso_providers")
        .select("client_secret_enc")
        .where("organization_id", "=", owner.organizationId)
        .executeTakeFirstOrThrow(),
    );
    expect(sealedKeyId(resealed.client_secret_enc)).toBe(rotated.current.id);
    expect(rotated.open(resealed.client_secret_enc)).toBe("a new secret");
    const admin = await addPerson(t, owner, "admin");
    expect((await admin.client.get("/api/v1/sso/provider")).status).toBe(403);
    // The sign-in page is told of the organization's provider by an email of its domain.
    const offered = await new Client(t.app).get(
      "/api/v1/auth/sso/options?email=someone@example.com",
    );
    expect(offered.body.provider?.name).toBe("Test IdP");
    const unknown = await new Client(t.app).get(
      "/api/v1/auth/sso/options?email=someone@nowhere.org",
    );
    expect(unknown.body.provider).toBeNull();
    expect((await owner.client.delete("/api/v1/sso/provider")).status).toBe(204);
    expect((await owner.client.get("/api/v1/sso/provider")).body.provider).toBeNull();
  });
});

describe("single sign-on", () => {
  it("creates an account at the first sign-in, with the role its groups map to, and opens a session", async () => {
    const owner = await organizationWithSso();
    const address = email("dana");
    idp.setAccount({ email: address, name: "Dana Scully", groups: ["engineering"], amr: ["pwd"] });
    const client = new Client(t.app);
    const back = await ssoSignIn(t, idp, client, address, owner.organizationId);
    expect(back).toEqual({ status: 302, location: "/" });
    const me = await client.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: address, name: "Dana Scully", role: "editor" });
    expect(me.body.mfaEnrollmentRequired).toBe(false);
    // The person is listed, linked to the account.
    const people = await owner.client.get("/api/v1/people?limit=200");
    const person = people.body.items.find((p: { email: string }) => p.email === address);
    expect(person).toBeTruthy();
    expect(person.userId).toBe(me.body.user.id);
    const actions = (await auditActions(owner.organizationId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.created_by_sso", "auth.sso_login"]));
    const login = (await auditActions(owner.organizationId)).find(
      (e) => e.action === "auth.sso_login",
    );
    expect(login?.after).toMatchObject({ amr: ["pwd"], provider: "Test IdP", providerMfa: false });
  });

  it("links an account to the person already listed with that email, and follows the groups at each sign-in", async () => {
    const owner = await organizationWithSso();
    const address = email("fox");
    const listed = await owner.client.post("/api/v1/people", {
      name: "Fox Mulder",
      email: address,
      startDate: "2026-01-05",
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    idp.setAccount({ email: address, name: "Fox Mulder", groups: ["attest-admins"] });
    const client = new Client(t.app);
    await ssoSignIn(t, idp, client, address, owner.organizationId);
    const me = await client.get("/api/v1/me");
    expect(me.body.user.role).toBe("admin");
    const person = await owner.client.get(`/api/v1/people/${listed.body.id}`);
    expect(person.body.userId).toBe(me.body.user.id);
    // Out of the admins' group: the next sign-in makes them a member (the default role).
    idp.setAccount({ email: address, name: "Fox Mulder", groups: [] });
    const again = new Client(t.app);
    await ssoSignIn(t, idp, again, address, owner.organizationId);
    expect((await again.get("/api/v1/me")).body.user.role).toBe("member");
    const changed = (await auditActions(owner.organizationId)).find(
      (e) => e.action === "user.role_changed",
    );
    expect(changed?.after).toMatchObject({ role: "member", via: "single sign-on groups" });
  });

  it("accepts an invitation not yet accepted when the invitee signs in through the provider", async () => {
    const owner = await organizationWithSso();
    const address = email("ivy");
    const invited = await owner.client.post("/api/v1/users", {
      email: address,
      name: "Ivy Invitee",
      role: "member",
    });
    expect(invited.status).toBe(201);
    const token = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
    idp.setAccount({ email: address, name: "Ivy Invitee", groups: ["engineering"] });
    const client = new Client(t.app);
    expect(await ssoSignIn(t, idp, client, address, owner.organizationId)).toEqual({
      status: 302,
      location: "/",
    });
    const me = (await client.get("/api/v1/me")).body.user;
    expect(me).toMatchObject({ id: invited.body.user.id, role: "editor" });
    const account = await owner.client.get(`/api/v1/users/${invited.body.user.id}`);
    expect(account.body.status).toBe("active");
    // The emailed link is spent: nobody else can set a password with it.
    expect((await new Client(t.app).get(`/api/v1/invitations/${token}`)).status).toBe(404);
    const accepted = (await auditActions(owner.organizationId)).find(
      (e) => e.action === "user.invitation_accepted",
    );
    expect(accepted?.after).toMatchObject({ status: "active", via: "Test IdP" });
  });

  it("never changes an owner's role from groups", async () => {
    const owner = await organizationWithSso({ allowedDomains: ["example.test"] });
    idp.setAccount({ email: owner.email, groups: ["engineering"] });
    const client = new Client(t.app);
    expect(await ssoSignIn(t, idp, client, owner.email, owner.organizationId)).toEqual({
      status: 302,
      location: "/",
    });
    expect((await client.get("/api/v1/me")).body.user.role).toBe("owner");
  });

  it("refuses a state that comes back a second time", async () => {
    const owner = await organizationWithSso();
    const address = email("replay");
    idp.setAccount({ email: address });
    const round = await throughProvider(t, idp, { email: address }, owner.organizationId);
    const first = await backToAttest(t, new Client(t.app), round);
    expect(first.location).toBe("/");
    const replayed = new Client(t.app);
    const second = await backToAttest(t, replayed, round);
    expect(second).toEqual({ status: 302, location: "/login?sso_error=expired" });
    expect(replayed.cookie).toBeUndefined();
  });

  it("refuses an email whose account belongs to another organization, naming no account of it", async () => {
    const elsewhere = await createOrganization(t, "Elsewhere");
    const owner = await organizationWithSso({ allowedDomains: ["example.test"] });
    idp.setAccount({ email: elsewhere.email });
    const client = new Client(t.app);
    const back = await ssoSignIn(t, idp, client, elsewhere.email, owner.organizationId);
    expect(back.location).toBe("/login?sso_error=other_organization");
    const refused = await withSystem(t.deps.db, (tx) =>
      tx
        .selectFrom("audit_events")
        .select(["target_type", "target_id"])
        .where("organization_id", "=", owner.organizationId)
        .where("action", "=", "auth.sso_login_failed")
        .executeTakeFirstOrThrow(),
    );
    expect(refused).toEqual({ target_type: "sso_provider", target_id: null });
  });

  it("refuses a callback finished in another browser than the one that started it", async () => {
    const owner = await organizationWithSso();
    const address = email("other-browser");
    idp.setAccount({ email: address });
    const round = await throughProvider(t, idp, { email: address }, owner.organizationId);
    const client = new Client(t.app);
    const back = await backToAttest(t, client, { ...round, browserCookie: "attest_sso=forged" });
    expect(back.location).toBe("/login?sso_error=other_browser");
    expect(client.cookie).toBeUndefined();
  });
});
