import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  currentTotp,
  enableTwoFactor,
  PASSWORD,
  type Person,
  signedIn,
  type TestApp,
} from "../../helpers/app.ts";

const PARALLEL = 6;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function userRow(person: Person) {
  return withTenant(t.deps.db, person.organizationId, (tx) =>
    tx
      .selectFrom("users")
      .select(["mfa_enabled_at", "mfa_pending_secret_enc", "mfa_last_counter"])
      .where("id", "=", person.id)
      .executeTakeFirstOrThrow(),
  );
}

/**
 * Sends several sign-ins with one code at once: exactly one gets in; the others are refused, as
 * a spent code (401) or, past the account's five attempts in progress, by the per-account limit
 * (429).
 */
async function expectOneSignIn(person: Person, code: string) {
  const replies = await Promise.all(
    Array.from({ length: PARALLEL }, () =>
      new Client(t.app).post("/api/v1/auth/login", {
        email: person.email,
        password: PASSWORD,
        code,
      }),
    ),
  );
  const statuses = replies.map((r) => r.status);
  expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  expect(statuses.filter((status) => status !== 200 && status !== 401 && status !== 429)).toEqual(
    [],
  );
}

describe("one code, one sign-in", () => {
  it("should let exactly one of several sign-ins sent at once with one TOTP code through", async () => {
    const owner = await createOrganization(t, "Parallel TOTP Co");
    const { secret } = await enableTwoFactor(owner);
    // The step used at confirmation is spent; the next one is fresh.
    const code = currentTotp(secret, 1);
    await expectOneSignIn(owner, code);
    const logins = await owner.client.get("/api/v1/audit-events?action=auth.login&limit=50");
    expect(logins.body.items).toHaveLength(1);
  });

  it("should let a recovery code sent several times at once sign in once", async () => {
    const owner = await createOrganization(t, "Parallel Recovery Co");
    const { confirmed } = await enableTwoFactor(owner);
    const [code = ""] = confirmed.recoveryCodes as string[];
    await expectOneSignIn(owner, code);
  });
});

describe("credential changes behind the password", () => {
  it("should refuse to start enrolment without the password or with a wrong one, changing nothing", async () => {
    const owner = await createOrganization(t, "Stolen Session Co");
    const missing = await owner.client.post("/api/v1/me/mfa/enroll", {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: "password" }));
    const wrong = await owner.client.post("/api/v1/me/mfa/enroll", { password: "not it at all" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors).toContainEqual(expect.objectContaining({ field: "password" }));

    expect(await userRow(owner)).toEqual({
      mfa_enabled_at: null,
      mfa_pending_secret_enc: null,
      mfa_last_counter: null,
    });
    const started = await owner.client.get(
      "/api/v1/audit-events?action=mfa.enrollment_started&limit=5",
    );
    expect(started.body.items).toHaveLength(0);
  });

  it("should sign the person out everywhere else when two-factor is turned on, and say so", async () => {
    const owner = await createOrganization(t, "Other Sessions Co");
    const elsewhere = await signedIn(t, owner.organizationId, owner.id);
    const another = await signedIn(t, owner.organizationId, owner.id);
    const colleague = await addPerson(t, owner, "member");
    expect((await elsewhere.get("/api/v1/me")).status).toBe(200);

    const { confirmed } = await enableTwoFactor(owner);
    expect(confirmed.sessionsEnded).toBe(2);
    expect((await elsewhere.get("/api/v1/me")).status).toBe(401);
    expect((await another.get("/api/v1/me")).status).toBe(401);
    // The session that turned it on stays, and nobody else is touched.
    expect((await owner.client.get("/api/v1/me")).status).toBe(200);
    expect((await colleague.client.get("/api/v1/me")).status).toBe(200);
    const enabled = await owner.client.get("/api/v1/audit-events?action=mfa.enabled&limit=5");
    expect(enabled.body.items[0].after).toMatchObject({ mfaEnabled: true, sessionsEnded: 2 });
  });
});

describe("a password change", () => {
  it("should revoke the person's API tokens and other sessions, and say so", async () => {
    const owner = await createOrganization(t, "Rotate Co");
    const colleague = await addPerson(t, owner, "admin");
    const script = new Client(t.app);
    script.bearer = (await owner.client.post("/api/v1/tokens", { name: "CI" })).body.token;
    const theirs = new Client(t.app);
    theirs.bearer = (await colleague.client.post("/api/v1/tokens", { name: "CI" })).body.token;
    const elsewhere = await signedIn(t, owner.organizationId, owner.id);
    expect((await script.get("/api/v1/controls")).status).toBe(200);

    const changed = await owner.client.post("/api/v1/me/password", {
      currentPassword: PASSWORD,
      newPassword: "a new and longer passphrase",
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expect((await script.get("/api/v1/controls")).status).toBe(401);
    expect((await elsewhere.get("/api/v1/me")).status).toBe(401);
    expect((await owner.client.get("/api/v1/me")).status).toBe(200);
    // Another person's token is theirs to keep.
    expect((await theirs.get("/api/v1/controls")).status).toBe(200);
    const tokens = await owner.client.get("/api/v1/tokens");
    expect(tokens.body.items[0].revokedAt).not.toBeNull();
    const event = await owner.client.get("/api/v1/audit-events?action=user.password_changed");
    expect(event.body.items[0].after).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
  });
});

describe("the invitation link", () => {
  it("should come from the server's own address, never from the request's Host header", async () => {
    const owner = await createOrganization(t, "Forged Host Co");
    const invited = await owner.client.request(
      "POST",
      "/api/v1/users",
      { email: "new.person@example.test", name: "New Person", role: "member" },
      { host: "evil.example", "x-forwarded-host": "evil.example" },
    );
    expect(invited.status).toBe(201);
    const link = new URL(invited.body.inviteUrl);
    expect(link.host).not.toContain("evil");
    expect(link.origin).toBe(`http://${t.deps.config.host}:${t.deps.config.port}`);
    expect(link.pathname).toMatch(/^\/invite\/[\w-]+$/);
  });

  it("should come from ATTEST_PUBLIC_URL when it is set", async () => {
    const configured = await createTestApp({ publicUrl: "https://attest.acme.test" });
    try {
      const owner = await createOrganization(configured, "Configured Co");
      const invited = await owner.client.request(
        "POST",
        "/api/v1/users",
        { email: "someone@example.test", name: "Someone", role: "member" },
        { host: "evil.example" },
      );
      expect(invited.status).toBe(201);
      expect(invited.body.inviteUrl).toMatch(/^https:\/\/attest\.acme\.test\/invite\//);
    } finally {
      await configured.close();
    }
  });
});
