import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessSystem,
  grant,
  type Org,
  organization,
  ownerPersonId,
  person,
  roleRule,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/** Grants through the API: given by hand, listed with filters, revoked, given an exception. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Grants Co" });
});
afterAll(() => t.close());

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const past = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function personIdOfUser(who: Person): Promise<string> {
  const people = (await org.owner.client.get("/api/v1/people?limit=200")).body.items;
  return people.find((p: { userId: string }) => p.userId === who.id).id;
}

describe("giving a grant by hand", () => {
  it("should refuse the signed-out with 401 and bad input with 400 naming the field", async () => {
    const { Client } = await import("../../helpers/app.ts");
    const anonymous = new Client(t.app);
    expect((await anonymous.get("/api/v1/access-grants")).status).toBe(401);
    const bad = await org.owner.client.post("/api/v1/access-grants", {
      personId: "nope",
      systemId: (await accessSystem(org)).id,
      systemRole: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("personId");
    expect(bad.body.detail).toContain("systemRole");
  });

  it("should give an active grant, justified by nothing, flagged unjustified", async () => {
    const engineer = await person(org, { jobRole: "Engineer" });
    const system = await accessSystem(org, { name: "Billing" });
    const reply = await org.owner.client.post("/api/v1/access-grants", {
      personId: engineer.id,
      systemId: system.id,
      systemRole: "reader",
      grantedAt: past(3),
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      person: { id: engineer.id, name: engineer.name },
      system: { id: system.id, name: "Billing" },
      systemRole: "reader",
      admin: false,
      basis: "manual",
      state: "active",
      justification: null,
      flag: "unjustified",
      exception: null,
    });
    expect(reply.body.person.reference).toMatch(/^P-\d+$/);
    const again = await org.owner.client.get(`/api/v1/access-grants/${reply.body.id}`);
    expect(again.body.id).toBe(reply.body.id);
    // The same role twice is refused.
    const twice = await org.owner.client.post("/api/v1/access-grants", {
      personId: engineer.id,
      systemId: system.id,
      systemRole: "reader",
    });
    expect(twice.status).toBe(409);
  });

  it("should record a role rule as the basis when one implies the grant, and flag admin beyond it", async () => {
    const engineer = await person(org, { jobRole: "Analyst" });
    // Listed before the rule: a joiner after it would be given the rule's grant as a task.
    const other = await person(org, { jobRole: "Analyst" });
    const system = await accessSystem(org);
    await roleRule(org, { jobRole: "Analyst", systemId: system.id, systemRole: "viewer" });
    const implied = await grant(org, {
      personId: engineer.id,
      systemId: system.id,
      systemRole: "viewer",
    });
    const view = (await org.owner.client.get(`/api/v1/access-grants/${implied.id}`)).body;
    expect(view).toMatchObject({ basis: "role_rule", justification: "role_rule", flag: null });
    const broader = await org.owner.client.post("/api/v1/access-grants", {
      personId: other.id,
      systemId: system.id,
      systemRole: "viewer",
      admin: true,
    });
    expect(broader.body).toMatchObject({ basis: "manual", flag: "broader_than_rule" });
  });

  it("should refuse a future grant date, an unknown person and a past exception expiry", async () => {
    const system = await accessSystem(org);
    const someone = await person(org);
    const cases = [
      [{ grantedAt: future(2) }, "grantedAt"],
      [{ personId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }, "personId"],
      [{ exception: { reason: "Audit", expiresAt: past(1) } }, "exception.expiresAt"],
    ] as const;
    for (const [change, field] of cases) {
      const reply = await org.owner.client.post("/api/v1/access-grants", {
        personId: someone.id,
        systemId: system.id,
        systemRole: "user",
        ...change,
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect(reply.body.detail).toContain(field);
    }
  });

  it("should give a grant with an exception as basis exception, and refuse one for oneself", async () => {
    const system = await accessSystem(org);
    const someone = await person(org);
    const reply = await org.owner.client.post("/api/v1/access-grants", {
      personId: someone.id,
      systemId: system.id,
      systemRole: "support",
      exception: { reason: "Migration project", expiresAt: future(30) },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      basis: "exception",
      justification: "exception",
      flag: null,
      exception: { reason: "Migration project", expired: false },
    });
    const own = await org.owner.client.post("/api/v1/access-grants", {
      personId: await ownerPersonId(org),
      systemId: system.id,
      systemRole: "support",
      exception: { reason: "I need it", expiresAt: future(30) },
    });
    expect(own.status).toBe(403);
  });
});

describe("revoking and exceptions", () => {
  it("should revoke a grant with a reason, not before it was given and not in the future", async () => {
    const given = await grant(org, { grantedAt: past(10) });
    const early = await org.owner.client.post(`/api/v1/access-grants/${given.id}/revoke`, {
      reason: "Left the team",
      revokedAt: past(20),
    });
    expect(early.status).toBe(400);
    expect(early.body.detail).toContain("revokedAt");
    const later = await org.owner.client.post(`/api/v1/access-grants/${given.id}/revoke`, {
      reason: "Left the team",
      revokedAt: future(1),
    });
    expect(later.status).toBe(400);
    const done = await org.owner.client.post(`/api/v1/access-grants/${given.id}/revoke`, {
      reason: "Left the team",
      revokedAt: past(2),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      state: "revoked",
      revokeReason: "Left the team",
      flag: null,
    });
    const again = await org.owner.client.post(`/api/v1/access-grants/${given.id}/revoke`, {
      reason: "Twice",
    });
    expect(again.status).toBe(409);
    const events = (await org.owner.client.get("/api/v1/audit-events?limit=50")).body.items;
    expect(events.some((e: { action: string }) => e.action === "access_grant.revoked")).toBe(true);
  });

  it("should approve an exception on an existing grant, never by its grantee", async () => {
    const someone = await person(org);
    const given = await grant(org, { personId: someone.id });
    const approved = await org.owner.client.post(`/api/v1/access-grants/${given.id}/exception`, {
      reason: "On-call cover",
      expiresAt: future(20),
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ justification: "exception", flag: null });
    const mine = await grant(org);
    const self = await org.owner.client.post(`/api/v1/access-grants/${mine.id}/exception`, {
      reason: "Mine",
      expiresAt: future(20),
    });
    expect(self.status).toBe(403);
  });

  it("should let a system's owner act on their system only, and keep members off others", async () => {
    const member = await user(org, "member");
    const memberPerson = await personIdOfUser(member);
    const theirs = await accessSystem(org, { ownerId: memberPerson });
    const others = await accessSystem(org);
    const someone = await person(org);
    const onTheirs = await member.client.post("/api/v1/access-grants", {
      personId: someone.id,
      systemId: theirs.id,
      systemRole: "user",
    });
    expect(onTheirs.status).toBe(201);
    expect(onTheirs.body.mayAct).toBe(true);
    const revoked = await member.client.post(`/api/v1/access-grants/${onTheirs.body.id}/revoke`, {
      reason: "No longer needed",
    });
    expect(revoked.status).toBe(200);
    const onOthers = await member.client.post("/api/v1/access-grants", {
      personId: someone.id,
      systemId: others.id,
      systemRole: "user",
    });
    expect(onOthers.status).toBe(403);
    const auditor = await user(org, "auditor");
    const seen = await auditor.client.get("/api/v1/access-grants");
    expect(seen.status).toBe(200);
    expect(seen.body.items.every((g: { mayAct: boolean }) => !g.mayAct)).toBe(true);
    expect(
      (
        await auditor.client.post("/api/v1/access-grants", {
          personId: someone.id,
          systemId: others.id,
          systemRole: "user",
        })
      ).status,
    ).toBe(403);
  });
});

describe("the grants list", () => {
  it("should filter by system, person, state, admin, basis and flagged, paging by cursor", async () => {
    const list = await organization(t, { name: "Grant List Co" });
    const system = await accessSystem(list);
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await person(list, { jobRole: "Ops" }));
    await roleRule(list, { jobRole: "Ops", systemId: system.id, systemRole: "operator" });
    for (const p of people.slice(0, 3)) {
      await grant(list, { personId: p.id, systemId: system.id, systemRole: "operator" });
    }
    const extra = await grant(list, {
      personId: people[3]?.id as string,
      systemId: system.id,
      systemRole: "root",
      admin: true,
    });
    const gone = await grant(list, { personId: people[4]?.id as string, systemId: system.id });
    await list.owner.client.post(`/api/v1/access-grants/${gone.id}/revoke`, { reason: "Done" });
    const get = async (query: string) =>
      (await list.owner.client.get(`/api/v1/access-grants?systemId=${system.id}&${query}`)).body;

    expect((await get("")).items).toHaveLength(4);
    expect((await get("state=all")).items).toHaveLength(5);
    expect((await get("state=revoked")).items.map((g: { id: string }) => g.id)).toEqual([gone.id]);
    expect((await get("admin=true")).items.map((g: { id: string }) => g.id)).toEqual([extra.id]);
    expect((await get("basis=role_rule")).items).toHaveLength(3);
    expect((await get("flagged=true")).items.map((g: { id: string }) => g.id)).toEqual([extra.id]);
    expect((await get(`personId=${people[0]?.id}`)).items).toHaveLength(1);

    const first = await get("limit=3");
    expect(first.items).toHaveLength(3);
    const second = await get(`limit=3&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const bad = await list.owner.client.get("/api/v1/access-grants?cursor=garbage&state=some");
    expect(bad.status).toBe(400);
  });
});
