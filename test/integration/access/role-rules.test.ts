import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessSystem, type Org, organization, roleRule, user } from "../../factories.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/** Role rules through the API: created, listed with filters, removed with history kept. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Role Rules Co" });
});
afterAll(() => t.close());

describe("role rules", () => {
  it("should refuse the signed-out, members, and bad input naming the field", async () => {
    expect((await new Client(t.app).get("/api/v1/role-rules")).status).toBe(401);
    const member = await user(org, "member");
    expect((await member.client.get("/api/v1/role-rules")).status).toBe(403);
    const editor = await user(org, "editor");
    expect((await editor.client.get("/api/v1/role-rules")).status).toBe(200);
    const system = await accessSystem(org);
    expect(
      (
        await editor.client.post("/api/v1/role-rules", {
          jobRole: "Engineer",
          systemId: system.id,
          systemRole: "user",
        })
      ).status,
    ).toBe(403);
    const bad = await org.owner.client.post("/api/v1/role-rules", {
      jobRole: " ",
      systemId: system.id,
      systemRole: "user",
      admin: "yes",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("jobRole");
    expect(bad.body.detail).toContain("admin");
    const unknown = await org.owner.client.post("/api/v1/role-rules", {
      jobRole: "Engineer",
      systemId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
      systemRole: "user",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain("systemId");
  });

  it("should create, list by job role and system, refuse a duplicate, and remove keeping history", async () => {
    const system = await accessSystem(org, { name: "Jira" });
    const created = await org.owner.client.post("/api/v1/role-rules", {
      jobRole: "Designer",
      systemId: system.id,
      systemRole: "editor",
      admin: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      jobRole: "Designer",
      system: { id: system.id, name: "Jira" },
      systemRole: "editor",
      admin: true,
      removedAt: null,
    });
    const twice = await org.owner.client.post("/api/v1/role-rules", {
      jobRole: "Designer",
      systemId: system.id,
      systemRole: "editor",
    });
    expect(twice.status).toBe(409);
    await roleRule(org, { jobRole: "Writer", systemId: system.id, systemRole: "viewer" });
    const byRole = await org.owner.client.get("/api/v1/role-rules?jobRole=Designer");
    expect(byRole.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const bySystem = await org.owner.client.get(`/api/v1/role-rules?systemId=${system.id}&limit=1`);
    expect(bySystem.body.items).toHaveLength(1);
    expect(bySystem.body.nextCursor).not.toBeNull();

    const removed = await org.owner.client.delete(`/api/v1/role-rules/${created.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.removedAt).not.toBeNull();
    expect((await org.owner.client.delete(`/api/v1/role-rules/${created.body.id}`)).status).toBe(
      409,
    );
    const current = await org.owner.client.get(`/api/v1/role-rules?systemId=${system.id}`);
    expect(current.body.items).toHaveLength(1);
    const all = await org.owner.client.get(
      `/api/v1/role-rules?systemId=${system.id}&includeRemoved=true`,
    );
    expect(all.body.items).toHaveLength(2);
    const events = (await org.owner.client.get("/api/v1/audit-events?limit=20")).body.items;
    const removal = events.find((e: { action: string }) => e.action === "role_rule.removed");
    expect(removal.target).toMatchObject({
      name: "Designer → editor (admin)",
      path: "/access/role-rules",
      deleted: false,
    });
  });
});
