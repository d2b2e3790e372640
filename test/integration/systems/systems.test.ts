import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { type Org, organization, ownerPersonId, person, system, user } from "../../factories.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

let t: TestApp;
let acme: Org;
beforeAll(async () => {
  t = await createTestApp();
  acme = await organization(t, { name: "Systems Co" });
});
afterAll(() => t.close());

describe("the inventory of systems", () => {
  it("should refuse a signed-out caller and a member, and let an editor read but not write", async () => {
    expect((await new Client(t.app).get("/api/v1/systems")).status).toBe(401);
    const member = await user(acme, "member");
    expect((await member.client.get("/api/v1/systems")).status).toBe(403);
    const editor = await user(acme, "editor");
    expect((await editor.client.get("/api/v1/systems")).status).toBe(200);
    expect((await editor.client.post("/api/v1/systems", { name: "X", kind: "saas" })).status).toBe(
      403,
    );
  });

  it("should create a system with every attribute, owned by an active person, and read it back", async () => {
    const owner = await person(acme, { name: "Olive Owner" });
    const created = await acme.owner.client.post("/api/v1/systems", {
      name: "Billing API",
      kind: "application",
      description: "Invoices customers.",
      ownerId: owner.id,
      production: true,
      classification: "confidential",
      customerData: true,
      backedUp: true,
      scanned: true,
      internetFacing: true,
      allowedRoles: ["Engineer", "Support", "Engineer"],
      adminRoles: ["SRE"],
      reviewPeriodDays: 30,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: "Billing API",
      ownerId: owner.id,
      ownerName: "Olive Owner",
      ownerActive: true,
      classification: "confidential",
      allowedRoles: ["Engineer", "Support"],
      adminRoles: ["SRE"],
      reviewPeriodDays: 30,
      archived: false,
    });
    const read = await acme.owner.client.get(`/api/v1/systems/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const history = await acme.owner.client.get(`/api/v1/systems/${created.body.id}/history`);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ validTo: null, changedFields: [] });
    expect(history.body.items[0].validFrom).toBe(created.body.createdAt);
  });

  it("should refuse bad attributes, an owner who is not an active person, and a taken name", async () => {
    const c = acme.owner.client;
    const bad = await c.post("/api/v1/systems", { name: "Y", kind: "mainframe" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("kind");
    const left = await person(acme, { startDate: "2020-01-01" });
    await c.patch(`/api/v1/people/${left.id}`, { endDate: "2021-01-01" });
    const gone = await c.post("/api/v1/systems", { name: "Y", kind: "saas", ownerId: left.id });
    expect(gone.status).toBe(400);
    expect(gone.body.detail).toContain("ownerId");
    const { name } = await system(acme);
    const taken = await c.post("/api/v1/systems", { name: name.toUpperCase(), kind: "saas" });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/name/);
  });

  it("should keep a version per change with who made it and what changed, and none for no change", async () => {
    const { id } = await system(acme, { classification: null });
    const c = acme.owner.client;
    const changed = await c.patch(`/api/v1/systems/${id}`, {
      classification: "restricted",
      production: true,
    });
    expect(changed.status).toBe(200);
    expect((await c.patch(`/api/v1/systems/${id}`, { production: true })).status).toBe(200);
    const history = (await c.get(`/api/v1/systems/${id}/history`)).body.items;
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      validTo: null,
      classification: "restricted",
      changedFields: ["production", "classification"],
      changedByName: `Owner of ${acme.name}`,
    });
    expect(history[1].validTo).toBe(history[0].validFrom);
    expect(history[1].classification).toBeNull();
    const events = await c.get(`/api/v1/audit-events?targetId=${id}`);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
      "system.updated",
      "system.created",
    ]);
    // The audit log names the system and links its page.
    expect(events.body.items[0].target).toMatchObject({
      path: `/systems/${id}`,
      deleted: false,
    });
    expect(events.body.items[0].target.name).toMatch(/^System /);
  });

  it("should archive keeping history, free the name, and restore", async () => {
    const { id, name } = await system(acme);
    const c = acme.owner.client;
    const archived = await c.post(`/api/v1/systems/${id}/archive`, {});
    expect(archived.body).toMatchObject({ archived: true });
    expect((await c.post(`/api/v1/systems/${id}/archive`, {})).status).toBe(409);
    const listed = await c.get(`/api/v1/systems?q=${encodeURIComponent(name)}`);
    expect(listed.body.items).toEqual([]);
    const inArchive = await c.get(`/api/v1/systems?archived=true&q=${encodeURIComponent(name)}`);
    expect(inArchive.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    const history = (await c.get(`/api/v1/systems/${id}/history`)).body.items;
    expect(history.map((v: { archived: boolean }) => v.archived)).toEqual([true, false]);
    const again = await system(acme, { name });
    expect((await c.post(`/api/v1/systems/${id}/restore`, {})).status).toBe(409);
    await c.delete(`/api/v1/systems/${again.id}`);
    const restored = await c.post(`/api/v1/systems/${id}/restore`, {});
    expect(restored.body).toMatchObject({ archived: false });
  });

  it("should delete a system with its first version alone, and refuse one with history", async () => {
    const c = acme.owner.client;
    const fresh = await system(acme);
    expect((await c.delete(`/api/v1/systems/${fresh.id}`)).status).toBe(204);
    expect((await c.get(`/api/v1/systems/${fresh.id}`)).status).toBe(404);
    const used = await system(acme);
    await c.patch(`/api/v1/systems/${used.id}`, { scanned: true });
    const refused = await c.delete(`/api/v1/systems/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/archive it instead/);
    expect((await c.get(`/api/v1/systems/${used.id}`)).status).toBe(200);
    // Something of the access area refers to it: the foreign key refuses, and so does the API.
    const ruled = await system(acme);
    await withTenant(t.deps.db, acme.id, (tx) =>
      sql`insert into role_rules (organization_id, job_role, system_id, system_role)
          values (${acme.id}, 'Engineer', ${ruled.id}, 'developer')`.execute(tx),
    );
    const referenced = await c.delete(`/api/v1/systems/${ruled.id}`);
    expect(referenced.status).toBe(409);
    expect(referenced.body.detail).toMatch(/archive it instead/);
  });

  it("should filter and page the list by name", async () => {
    const org = await organization(t);
    const ownerId = await ownerPersonId(org);
    for (const name of ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]) {
      await system(org, {
        name,
        production: name < "C",
        classification: name === "Echo" ? null : "internal",
      });
    }
    const c = org.owner.client;
    const first = await c.get("/api/v1/systems?limit=2");
    expect(first.body.items.map((s: { name: string }) => s.name)).toEqual(["Alpha", "Bravo"]);
    const second = await c.get(`/api/v1/systems?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((s: { name: string }) => s.name)).toEqual(["Charlie", "Delta"]);
    const names = async (query: string) =>
      (await c.get(`/api/v1/systems?${query}`)).body.items.map((s: { name: string }) => s.name);
    expect(await names("production=true")).toEqual(["Alpha", "Bravo"]);
    expect(await names("classification=none")).toEqual(["Echo"]);
    expect(await names("q=ha")).toEqual(["Alpha", "Charlie"]);
    expect(await names(`ownerId=${ownerId}&kind=application`)).toHaveLength(5);
    expect(await names("customerData=true")).toEqual([]);
    expect((await c.get("/api/v1/systems?production=maybe")).status).toBe(400);
  });
});

describe("the versions of a system", () => {
  it("should keep one open version equal to the system, through changes made at the same time", async () => {
    const org = await organization(t);
    const { id } = await system(org);
    const c = org.owner.client;
    const replies = await Promise.all([
      c.patch(`/api/v1/systems/${id}`, { production: true }),
      c.patch(`/api/v1/systems/${id}`, { scanned: true }),
      c.patch(`/api/v1/systems/${id}`, { classification: "restricted" }),
      c.post(`/api/v1/systems/${id}/archive`, {}),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const mismatches = await withTenant(t.deps.db, org.id, (tx) =>
      sql<{ id: string }>`
        select s.id from systems s
        left join system_versions v on v.system_id = s.id and v.valid_to is null
        where v.id is null or v.name <> s.name or v.owner_id is distinct from s.owner_id
          or v.production <> s.production or v.scanned <> s.scanned
          or v.classification is distinct from s.classification
          or v.archived <> (s.archived_at is not null)`.execute(tx),
    );
    expect(mismatches.rows).toEqual([]);
    const history = (await c.get(`/api/v1/systems/${id}/history`)).body.items;
    expect(history).toHaveLength(5);
    expect(history[0]).toMatchObject({
      production: true,
      scanned: true,
      classification: "restricted",
      archived: true,
    });
    // Each version ends where the next begins.
    for (let i = 1; i < history.length; i++) {
      expect(history[i].validTo).toBe(history[i - 1].validFrom);
    }
  });
});
