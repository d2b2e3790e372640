import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  PASSWORD,
  type Person,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function auditOf(organizationId: string, action: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute(),
  );
}

async function personOf(owner: Person, email: string): Promise<string> {
  const list = await owner.client.get(`/api/v1/people?q=${encodeURIComponent(email)}`);
  const id = list.body.items.find((p: { email: string }) => p.email === email)?.id;
  if (!id) throw new Error(`no person for ${email}`);
  return id;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

describe("reactivating an account", () => {
  it("should give a deactivated account back, active and audited, its old sessions still ended", async () => {
    const owner = await createOrganization(t, "Back Co");
    const admin = await addPerson(t, owner, "admin");
    const editor = await addPerson(t, owner, "editor");
    expect((await owner.client.post(`/api/v1/users/${editor.id}/deactivate`)).status).toBe(200);
    expect((await editor.client.get("/api/v1/me")).status).toBe(401);

    const back = await admin.client.post(`/api/v1/users/${editor.id}/reactivate`);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({
      user: expect.objectContaining({ id: editor.id, role: "editor", status: "active" }),
      inviteUrl: null,
    });
    // Sessions revoked at deactivation stay revoked; a new sign-in works.
    expect((await editor.client.get("/api/v1/me")).status).toBe(401);
    const again = new Client(t.app);
    expect((await again.login(editor.email, PASSWORD)).status).toBe(200);
    expect((await again.get("/api/v1/me")).body.user.role).toBe("editor");

    const [event] = await auditOf(owner.organizationId, "user.reactivated");
    expect(event).toMatchObject({
      actor_id: admin.id,
      target_id: editor.id,
      before: expect.objectContaining({ status: "deactivated" }),
      after: expect.objectContaining({ status: "active" }),
    });

    const twice = await admin.client.post(`/api/v1/users/${editor.id}/reactivate`);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("invalid_state");
    expect(twice.body.detail).toMatch(/active, not deactivated/);
    expect(await auditOf(owner.organizationId, "user.reactivated")).toHaveLength(1);
  });

  it("should let only an owner reactivate an owner, and nobody below admin reactivate anyone", async () => {
    const owner = await createOrganization(t, "Owners Back Co");
    const admin = await addPerson(t, owner, "admin");
    const editor = await addPerson(t, owner, "editor");
    const second = await addPerson(t, owner, "admin");
    expect((await owner.client.patch(`/api/v1/users/${second.id}`, { role: "owner" })).status).toBe(
      200,
    );
    expect((await owner.client.post(`/api/v1/users/${second.id}/deactivate`)).status).toBe(200);

    const byAdmin = await admin.client.post(`/api/v1/users/${second.id}/reactivate`);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.detail).toMatch(/Only an owner/);
    expect((await editor.client.post(`/api/v1/users/${second.id}/reactivate`)).status).toBe(403);
    expect((await owner.client.post(`/api/v1/users/${second.id}/reactivate`)).status).toBe(200);

    // Another organization's account is not found, nor is an id that names nobody.
    const other = await createOrganization(t, "Elsewhere Co");
    expect((await other.client.post(`/api/v1/users/${second.id}/reactivate`)).status).toBe(404);
    const nobody = "00000000-0000-4000-8000-000000000000";
    expect((await owner.client.post(`/api/v1/users/${nobody}/reactivate`)).status).toBe(404);
    expect((await owner.client.post("/api/v1/users/not-an-id/reactivate")).status).toBe(400);
  });

  it("should invite again an account that never had a password, with a link that works", async () => {
    const owner = await createOrganization(t, "Invite Again Co");
    const email = uniqueEmail("invitee");
    const invited = await owner.client.post("/api/v1/users", {
      email,
      name: "Ivy Invitee",
      role: "member",
    });
    const oldToken = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
    const id = invited.body.user.id;
    expect((await owner.client.post(`/api/v1/users/${id}/deactivate`)).status).toBe(200);

    const back = await owner.client.post(`/api/v1/users/${id}/reactivate`);
    expect(back.status).toBe(200);
    expect(back.body.user.status).toBe("invited");
    expect(back.body.inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    const token = new URL(back.body.inviteUrl).pathname.split("/").at(-1);
    expect(token).not.toBe(oldToken);
    expect((await new Client(t.app).get(`/api/v1/invitations/${oldToken}`)).status).toBe(404);

    const joined = await new Client(t.app).post(`/api/v1/invitations/${token}/accept`, {
      name: "Ivy Invitee",
      password: PASSWORD,
    });
    expect(joined.status).toBe(200);
    const [event] = await auditOf(owner.organizationId, "user.reactivated");
    expect(event?.after).toMatchObject({ status: "invited" });
  });

  it("should refuse a leaver's account until the end date is cleared", async () => {
    const owner = await createOrganization(t, "Leavers Co");
    const editor = await addPerson(t, owner, "editor");
    const personId = await personOf(owner, editor.email);
    const ended = await owner.client.patch(`/api/v1/people/${personId}`, {
      endDate: today(),
    });
    expect(ended.status).toBe(200);
    expect((await owner.client.post(`/api/v1/users/${editor.id}/deactivate`)).status).toBe(200);

    const refused = await owner.client.post(`/api/v1/users/${editor.id}/reactivate`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/employment has ended: clear the end date/);
    const account = await owner.client.get(`/api/v1/users/${editor.id}`);
    expect(account.body.status).toBe("deactivated");

    // A re-hire: the end date cleared, the account can come back.
    expect((await owner.client.patch(`/api/v1/people/${personId}`, { endDate: null })).status).toBe(
      200,
    );
    const back = await owner.client.post(`/api/v1/users/${editor.id}/reactivate`);
    expect(back.status).toBe(200);
    expect(back.body.user.status).toBe("active");
  });
});
