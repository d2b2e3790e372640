import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import type { TestOidcProvider } from "../../helpers/oidc-provider.ts";
import {
  OTHER_CLIENT,
  providerSettings,
  ssoSignIn,
  startSsoWorld,
  stopSsoWorld,
} from "../../helpers/sso.ts";

/**
 * What single sign-on refuses, each landing on the sign-in page with a reason and in the audit
 * trail: an issuer that cannot be discovered, a domain not allowed, an unverified email, a
 * deactivated account, an ended employment; and ID tokens that do not validate, made so by the
 * real provider: issued to another client, already expired, signed by a key its published key
 * set does not hold. A provider that rotates its signing key keeps working.
 */
let t: TestApp;
let idp: TestOidcProvider;

beforeAll(async () => {
  ({ t, idp } = await startSsoWorld());
});
afterEach(() => idp?.setFaults({}));
afterAll(() => stopSsoWorld({ t, idp }));

let n = 0;
function email(prefix: string, domain = "example.com") {
  n++;
  return `${prefix}-${n}-${randomBytes(3).toString("hex")}@${domain}`;
}

async function organizationWithSso(overrides: Record<string, unknown> = {}): Promise<Person> {
  const owner = await createOrganization(t, "Refusing Org");
  const saved = await owner.client.request(
    "PUT",
    "/api/v1/sso/provider",
    providerSettings(idp.issuer, overrides),
  );
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return owner;
}

async function lastRefusal(organizationId: string) {
  const rows = await withSystem(t.deps.db, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["after"])
      .where("organization_id", "=", organizationId)
      .where("action", "=", "auth.sso_login_failed")
      .orderBy("seq", "desc")
      .limit(1)
      .execute(),
  );
  return rows[0]?.after as Record<string, unknown> | undefined;
}

/** Signs in as a new provider account; answers where Attest sent the browser. */
async function attempt(owner: Person, account: Parameters<TestOidcProvider["setAccount"]>[0]) {
  idp.setAccount(account);
  const client = new Client(t.app);
  const back = await ssoSignIn(t, idp, client, account.email, owner.organizationId);
  return { ...back, client };
}

describe("single sign-on refuses", () => {
  it("an issuer it cannot discover, as a 422 naming issuerUrl (400 when it is not https)", async () => {
    const owner = await createOrganization(t, "No discovery");
    const unreachable = await owner.client.post("/api/v1/sso/provider/discovery", {
      issuerUrl: "http://127.0.0.1:9/nothing-here",
    });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.code).toBe("discovery_failed");
    expect(unreachable.body.errors[0].field).toBe("issuerUrl");
    expect(unreachable.body.detail).toMatch(/discovery failed/);
    const plain = await owner.client.post("/api/v1/sso/provider/discovery", {
      issuerUrl: "http://login.example.com",
    });
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0]).toMatchObject({ field: "issuerUrl", message: /must use https/ });
    const found = await owner.client.post("/api/v1/sso/provider/discovery", {
      issuerUrl: idp.issuer,
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks` });
  });

  it("an email whose domain is not allowed, and one the provider has not verified", async () => {
    const owner = await organizationWithSso();
    const outsider = await attempt(owner, { email: email("eve", "elsewhere.org") });
    expect(outsider.location).toBe("/login?sso_error=domain_not_allowed");
    expect(outsider.client.cookie).toBeUndefined();
    expect(await lastRefusal(owner.organizationId)).toMatchObject({ reason: "domain_not_allowed" });
    const unverified = await attempt(owner, { email: email("mallory"), emailVerified: false });
    expect(unverified.location).toBe("/login?sso_error=email_unverified");
  });

  it("a deactivated account, and a person whose employment has ended", async () => {
    const owner = await organizationWithSso({ allowedDomains: ["example.test"] });
    const leaver = await addPerson(t, owner, "member");
    expect((await owner.client.post(`/api/v1/users/${leaver.id}/deactivate`)).status).toBe(200);
    const deactivated = await attempt(owner, { email: leaver.email });
    expect(deactivated.location).toBe("/login?sso_error=account_disabled");
    const ended = await addPerson(t, owner, "editor");
    const people = await owner.client.get("/api/v1/people?limit=200");
    const person = people.body.items.find((p: { email: string }) => p.email === ended.email);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const left = await owner.client.patch(`/api/v1/people/${person.id}`, {
      startDate: "2025-01-06",
      endDate: yesterday,
    });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const refused = await attempt(owner, { email: ended.email });
    expect(refused.location).toBe("/login?sso_error=employment_ended");
    expect(await lastRefusal(owner.organizationId)).toMatchObject({
      reason: "employment_ended",
      email: ended.email,
    });
  });

  it("an ID token issued to another client (the wrong audience)", async () => {
    const owner = await organizationWithSso();
    idp.setFaults({ issueTo: OTHER_CLIENT });
    const refused = await attempt(owner, { email: email("aud") });
    expect(refused.location).toBe("/login?sso_error=invalid_token");
    expect(refused.client.cookie).toBeUndefined();
    expect(String((await lastRefusal(owner.organizationId))?.detail)).toMatch(/aud/);
  });

  it("an ID token that has already expired (the provider's clock runs behind)", async () => {
    const owner = await organizationWithSso();
    idp.setFaults({ clockSkewSeconds: -600, idTokenTtlSeconds: 60 });
    const refused = await attempt(owner, { email: email("late") });
    expect(refused.location).toBe("/login?sso_error=invalid_token");
    expect(String((await lastRefusal(owner.organizationId))?.detail)).toMatch(/exp/);
  });

  it("an ID token whose signature the provider's published keys do not verify", async () => {
    const owner = await organizationWithSso();
    idp.setFaults({ jwks: "foreign" });
    const refused = await attempt(owner, { email: email("forged") });
    expect(refused.location).toBe("/login?sso_error=invalid_token");
    expect(String((await lastRefusal(owner.organizationId))?.detail)).toMatch(/signature/i);
  });
});

describe("single sign-on keeps working", () => {
  it("when the provider rotates its signing key", async () => {
    const owner = await organizationWithSso();
    const address = email("rotation");
    const before = await attempt(owner, { email: address });
    expect(before.location).toBe("/");
    const oldKid = idp.currentKid();
    expect(idp.lastIdTokenHeader()?.kid).toBe(oldKid);
    const newKid = idp.rotateKeys();
    const after = await attempt(owner, { email: address });
    expect(after.location).toBe("/");
    expect(idp.lastIdTokenHeader()?.kid).toBe(newKid);
    expect((await after.client.get("/api/v1/me")).body.user.email).toBe(address);
  });
});
