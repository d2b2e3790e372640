import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  Client,
  createOrganization,
  currentTotp,
  enableTwoFactor,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import type { TestOidcProvider } from "../../helpers/oidc-provider.ts";
import { providerSettings, ssoSignIn, startSsoWorld, stopSsoWorld } from "../../helpers/sso.ts";

/**
 * Single sign-on and the organization's other sign-in rules: password sign-in turned off for
 * everyone but owners, and two-factor: the provider's (its `amr`/`acr`) stands for Attest's own
 * only when the organization accepts it; otherwise Attest's TOTP is still asked for.
 */
let t: TestApp;
let idp: TestOidcProvider;

beforeAll(async () => {
  ({ t, idp } = await startSsoWorld());
});
afterAll(() => stopSsoWorld({ t, idp }));

async function organizationWithSso(overrides: Record<string, unknown> = {}): Promise<Person> {
  const owner = await createOrganization(t, "Strict SSO");
  const saved = await owner.client.request(
    "PUT",
    "/api/v1/sso/provider",
    providerSettings(idp.issuer, { allowedDomains: ["example.test", "example.com"], ...overrides }),
  );
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return owner;
}

describe("password sign-in with single sign-on", () => {
  it("is refused to non-owners when the provider says so, never to owners", async () => {
    const owner = await organizationWithSso();
    const member = await addPerson(t, owner, "member");
    expect((await new Client(t.app).login(member.email)).status).toBe(200);
    const off = await owner.client.request(
      "PUT",
      "/api/v1/sso/provider",
      providerSettings(idp.issuer, {
        allowedDomains: ["example.test"],
        passwordSignInAllowed: false,
      }),
    );
    expect(off.status).toBe(200);
    const refused = await new Client(t.app).login(member.email);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("password_sign_in_disabled");
    expect(refused.body.detail).toMatch(/single sign-on/);
    // A wrong password still says only that the credentials are wrong.
    expect((await new Client(t.app).login(member.email, "wrong password")).status).toBe(401);
    expect((await new Client(t.app).login(owner.email)).status).toBe(200);
    // Single sign-on turned off: passwords work again.
    const disabled = await owner.client.request(
      "PUT",
      "/api/v1/sso/provider",
      providerSettings(idp.issuer, {
        allowedDomains: ["example.test"],
        passwordSignInAllowed: false,
        enabled: false,
      }),
    );
    expect(disabled.status).toBe(200);
    expect((await new Client(t.app).login(member.email)).status).toBe(200);
  });
});

describe("two-factor at single sign-on", () => {
  it("accepts the provider's two-factor when the organization says so", async () => {
    const owner = await organizationWithSso({ acceptProviderMfa: true });
    expect((await owner.client.patch("/api/v1/organization", { requireMfa: true })).status).toBe(
      200,
    );
    const address = `mfa-${randomBytes(3).toString("hex")}@example.com`;
    idp.setAccount({ email: address, amr: ["pwd", "otp"] });
    const client = new Client(t.app);
    expect((await ssoSignIn(t, idp, client, address, owner.organizationId)).location).toBe("/");
    const me = await client.get("/api/v1/me");
    expect(me.body.mfaEnrollmentRequired).toBe(false);
    expect((await client.get("/api/v1/controls")).status).toBe(200);
    // A password-only sign-in at the provider is not two-factor: enrolment is still due.
    idp.setAccount({ email: address, amr: ["pwd"] });
    const weaker = new Client(t.app);
    expect((await ssoSignIn(t, idp, weaker, address, owner.organizationId)).location).toBe("/");
    expect((await weaker.get("/api/v1/me")).body.mfaEnrollmentRequired).toBe(true);
    expect((await weaker.get("/api/v1/controls")).body.code).toBe("mfa_enrollment_required");
    // An account of single sign-on has no password: it enrols with its session alone.
    const enrolled = await weaker.post("/api/v1/me/mfa/enroll", {});
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    const confirmed = await weaker.post("/api/v1/me/mfa/confirm", {
      code: currentTotp(enrolled.body.secret),
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await weaker.get("/api/v1/controls")).status).toBe(200);
  });

  it("accepts a configured acr value as two-factor", async () => {
    const owner = await organizationWithSso({
      acceptProviderMfa: true,
      mfaAcrValues: ["urn:example:loa:mfa"],
    });
    expect((await owner.client.patch("/api/v1/organization", { requireMfa: true })).status).toBe(
      200,
    );
    const address = `acr-${randomBytes(3).toString("hex")}@example.com`;
    idp.setAccount({ email: address, acr: "urn:example:loa:mfa" });
    const client = new Client(t.app);
    await ssoSignIn(t, idp, client, address, owner.organizationId);
    expect((await client.get("/api/v1/me")).body.mfaEnrollmentRequired).toBe(false);
  });

  it("still asks for Attest's code when the organization does not accept the provider's", async () => {
    const owner = await organizationWithSso({ acceptProviderMfa: false });
    const editor = await addPerson(t, owner, "editor");
    const { secret } = await enableTwoFactor(editor);
    idp.setAccount({ email: editor.email, amr: ["pwd", "mfa"] });
    const client = new Client(t.app);
    const back = await ssoSignIn(t, idp, client, editor.email, owner.organizationId);
    expect(back.location).toBe("/login?sso=mfa");
    expect((await client.get("/api/v1/me")).status).toBe(401);
    const wrong = await client.post("/api/v1/auth/login", { code: "000000" });
    expect(wrong.status).toBe(401);
    const done = await client.post("/api/v1/auth/login", { code: currentTotp(secret, 1) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await client.get("/api/v1/me")).body.user.email).toBe(editor.email);
  });
});
