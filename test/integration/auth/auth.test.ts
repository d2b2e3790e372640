import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  currentTotp,
  PASSWORD,
  type TestApp,
} from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("first-run setup", () => {
  it("should create the organization and its owner once, then refuse", async () => {
    const client = new Client(t.app);
    expect((await client.get("/api/v1/setup")).body).toEqual({ required: true });

    const bad = await client.post("/api/v1/setup", {
      organizationName: "Acme",
      name: "Ada",
      email: "nope",
      password: "short",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "email",
      "password",
    ]);
    expect((await client.get("/api/v1/setup")).body).toEqual({ required: true });

    const done = await client.post("/api/v1/setup", {
      organizationName: "Acme",
      name: "Ada Lovelace",
      email: "Ada@Acme.test",
      password: PASSWORD,
    });
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({
      email: "ada@acme.test",
      role: "owner",
      mfaEnabled: false,
    });
    expect(done.headers["set-cookie"]).toMatch(/HttpOnly/);
    expect(done.headers["set-cookie"]).toMatch(/SameSite=Lax/);

    const me = await client.get("/api/v1/me");
    expect(me.body.organization.name).toBe("Acme");
    const controls = await client.get("/api/v1/controls");
    expect(controls.body.items).toHaveLength(29);

    const again = await new Client(t.app).post("/api/v1/setup", {
      organizationName: "Evil",
      name: "Mallory",
      email: "mallory@evil.test",
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("setup_already_done");
    expect((await client.get("/api/v1/setup")).body).toEqual({ required: false });

    const events = await client.get("/api/v1/audit-events?action=organization.created");
    expect(events.body.items).toHaveLength(1);
  });
});

describe("sign-in", () => {
  it("should sign in with email and password and out again", async () => {
    const owner = await createOrganization(t, "Login Co");
    const client = new Client(t.app);
    const ok = await client.login(owner.email.toUpperCase());
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("ok");
    expect(typeof ok.body.csrfToken).toBe("string");
    expect((await client.get("/api/v1/me")).status).toBe(200);

    expect((await client.post("/api/v1/auth/logout")).status).toBe(204);
    expect((await client.get("/api/v1/me")).status).toBe(401);
  });

  it("should refuse a wrong password and record the failure", async () => {
    const owner = await createOrganization(t, "Failures Co");
    const wrong = await new Client(t.app).login(owner.email, "not the password at all");
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_credentials");
    const unknown = await new Client(t.app).login("nobody@example.test", "whatever whatever");
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe("invalid_credentials");

    const events = await owner.client.get("/api/v1/audit-events?action=auth.login_failed");
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      targetId: owner.id,
      after: { reason: "password" },
    });
  });

  it("should expire a session that has been idle too long", async () => {
    const owner = await createOrganization(t, "Idle Co");
    const client = new Client(t.app);
    await client.login(owner.email);
    expect((await client.get("/api/v1/me")).status).toBe(200);
    const idleMinutes = t.deps.config.sessionIdleMinutes;
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - (idleMinutes + 1) * 60_000) })
        .where("user_id", "=", owner.id)
        .execute(),
    );
    expect((await client.get("/api/v1/me")).status).toBe(401);
  });

  it("should refuse a deactivated person and an auditor past their access end", async () => {
    const owner = await createOrganization(t, "Ends Co");
    const editor = await addPerson(t, owner, "editor");
    expect((await owner.client.post(`/api/v1/users/${editor.id}/deactivate`)).status).toBe(200);
    expect((await editor.client.get("/api/v1/me")).status).toBe(401);
    expect((await new Client(t.app).login(editor.email)).status).toBe(401);

    const auditor = await addPerson(t, owner, "auditor");
    expect((await auditor.client.get("/api/v1/controls")).status).toBe(200);
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .updateTable("users")
        .set({ access_expires_at: new Date(Date.now() - 1000) })
        .where("id", "=", auditor.id)
        .execute(),
    );
    expect((await auditor.client.get("/api/v1/controls")).status).toBe(401);
  });
});

describe("multi-factor authentication", () => {
  it("should enrol, then require the code at sign-in, accept a recovery code once, and refuse replay", async () => {
    const owner = await createOrganization(t, "MFA Co");
    const enroll = await owner.client.post("/api/v1/me/mfa/enroll", { password: PASSWORD });
    expect(enroll.status).toBe(200);
    const secret: string = enroll.body.secret;
    expect(enroll.body.otpauthUrl).toContain(`secret=${secret}`);

    const wrong = await owner.client.post("/api/v1/me/mfa/confirm", {
      code: "000000" === currentTotp(secret) ? "111111" : "000000",
    });
    expect(wrong.status).toBe(401);
    const confirmed = await owner.client.post("/api/v1/me/mfa/confirm", {
      code: currentTotp(secret),
    });
    expect(confirmed.status).toBe(200);
    const recoveryCodes: string[] = confirmed.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);

    // Password alone is no longer enough.
    const client = new Client(t.app);
    const first = await client.login(owner.email);
    expect(first.body).toEqual({ status: "mfa_required" });
    expect((await client.get("/api/v1/me")).status).toBe(401);
    const badCode = await client.post("/api/v1/auth/login", {
      code: "123456" === currentTotp(secret) ? "654321" : "123456",
    });
    expect(badCode.status).toBe(401);
    expect(badCode.body.code).toBe("invalid_mfa_code");
    // The step used at confirmation cannot be used again; the next one can.
    const ok = await client.post("/api/v1/auth/login", { code: currentTotp(secret, 1) });
    expect(ok.status).toBe(200);
    expect(ok.body.user.mfaEnabled).toBe(true);
    expect((await client.get("/api/v1/me")).status).toBe(200);

    const replay = new Client(t.app);
    await replay.login(owner.email);
    expect((await replay.post("/api/v1/auth/login", { code: currentTotp(secret, 1) })).status).toBe(
      401,
    );

    const recovery = new Client(t.app);
    await recovery.login(owner.email);
    const recovered = await recovery.post("/api/v1/auth/login", {
      code: recoveryCodes[0]?.toUpperCase(),
    });
    expect(recovered.status).toBe(200);
    const reuse = new Client(t.app);
    await reuse.login(owner.email);
    expect((await reuse.post("/api/v1/auth/login", { code: recoveryCodes[0] })).status).toBe(401);

    const actions = (await owner.client.get("/api/v1/audit-events?limit=50")).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toContain("mfa.enabled");
    expect(actions.filter((a: string) => a === "auth.login_failed").length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it("should hold people without MFA to enrolment when the organization requires it", async () => {
    const owner = await createOrganization(t, "Strict Co");
    const member = await addPerson(t, owner, "member");
    expect((await owner.client.patch("/api/v1/organization", { requireMfa: true })).status).toBe(
      200,
    );

    const me = await member.client.get("/api/v1/me");
    expect(me.body.mfaEnrollmentRequired).toBe(true);
    expect(me.body.permissions).toEqual([]);
    const blocked = await member.client.get("/api/v1/controls");
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe("mfa_enrollment_required");

    const secret = (await member.client.post("/api/v1/me/mfa/enroll", { password: PASSWORD })).body
      .secret;
    expect(
      (await member.client.post("/api/v1/me/mfa/confirm", { code: currentTotp(secret) })).status,
    ).toBe(200);
    expect((await member.client.get("/api/v1/controls")).status).toBe(200);

    const disable = await member.client.post("/api/v1/me/mfa/disable", { password: PASSWORD });
    expect(disable.status).toBe(409);
    expect(disable.body.code).toBe("mfa_required_by_organization");
  });
});

describe("API tokens", () => {
  it("should show a token once, authenticate with it without CSRF, and stop after revocation", async () => {
    const owner = await createOrganization(t, "Tokens Co");
    const created = await owner.client.post("/api/v1/tokens", { name: "CI importer" });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^attest_/);

    const listed = await owner.client.get("/api/v1/tokens");
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const script = new Client(t.app);
    script.bearer = token;
    expect((await script.get("/api/v1/controls")).status).toBe(200);
    const write = await script.patch("/api/v1/controls/bcdr-policy", { criteria: ["A1.2"] });
    expect(write.status).toBe(200);
    const events = await owner.client.get("/api/v1/audit-events?action=control.updated");
    expect(events.body.items[0]).toMatchObject({ actorType: "token", actor: { id: owner.id } });

    expect((await owner.client.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    const after = await script.get("/api/v1/controls");
    expect(after.status).toBe(401);
    const bogus = new Client(t.app);
    bogus.bearer = "attest_not-a-token";
    expect((await bogus.get("/api/v1/controls")).status).toBe(401);
  });
});
