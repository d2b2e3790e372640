import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { isoDay } from "../../../src/domain/dates.ts";
import {
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

/** The people list completed: reference, manager, employment type, filters, delete, offboard. */
let t: TestApp;
let owner: Person;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "People Co");
});
afterAll(async () => {
  await t.close();
});

async function newPerson(fields: Record<string, unknown> = {}) {
  const reply = await owner.client.post("/api/v1/people", {
    name: `Person ${uniqueEmail("n")}`,
    email: uniqueEmail("person"),
    startDate: "2026-01-01",
    ...fields,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

describe("a person's fields", () => {
  it("should give each person a reference that stays when the email changes", async () => {
    const manager = await newPerson({ name: "Mara Manager" });
    const created = await newPerson({
      name: "Eli Employee",
      employmentType: "contractor",
      managerId: manager.id,
    });
    expect(created.reference).toBe(`P-${created.number}`);
    expect(created).toMatchObject({
      employmentType: "contractor",
      managerId: manager.id,
      managerName: "Mara Manager",
    });
    const email = uniqueEmail("renamed");
    const changed = await owner.client.patch(`/api/v1/people/${created.id}`, { email });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: created.id, number: created.number, email });
    const one = await owner.client.get(`/api/v1/people/${manager.id}`);
    expect(one.body.directReports).toBe(1);
  });

  it("should refuse an email another person has", async () => {
    const a = await newPerson();
    const b = await newPerson();
    const reply = await owner.client.patch(`/api/v1/people/${b.id}`, { email: a.email });
    expect(reply.status).toBe(409);
    expect(reply.body.errors).toEqual([{ field: "email", message: expect.any(String) }]);
  });

  it("should record every job role a person held", async () => {
    const p = await newPerson({ jobRole: "Engineer" });
    await owner.client.patch(`/api/v1/people/${p.id}`, { jobRole: "Manager" });
    const rows = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("person_job_roles")
        .select(["job_role", "valid_to"])
        .where("person_id", "=", p.id)
        .orderBy("valid_from")
        .execute(),
    );
    expect(rows.map((r) => r.job_role)).toEqual(["Engineer", "Manager"]);
    expect(rows[0]?.valid_to).not.toBeNull();
    expect(rows[1]?.valid_to).toBeNull();
  });
});

describe("managers", () => {
  it("should refuse a person as their own manager", async () => {
    const p = await newPerson();
    const reply = await owner.client.patch(`/api/v1/people/${p.id}`, { managerId: p.id });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("managerId");
  });

  it("should refuse a manager who reports to the person down the chain", async () => {
    const top = await newPerson();
    const middle = await newPerson({ managerId: top.id });
    const bottom = await newPerson({ managerId: middle.id });
    const reply = await owner.client.patch(`/api/v1/people/${top.id}`, { managerId: bottom.id });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("managerId");
  });

  it("should refuse a manager of another organization", async () => {
    const other = await createOrganization(t, "Other Co");
    const stranger = await other.client.post("/api/v1/people", {
      name: "Stranger",
      email: uniqueEmail("stranger"),
      startDate: "2026-01-01",
    });
    const reply = await owner.client.post("/api/v1/people", {
      name: "Nobody's Report",
      email: uniqueEmail("report"),
      startDate: "2026-01-01",
      managerId: stranger.body.id,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("managerId");
  });
});

describe("the list", () => {
  let org: Person;
  beforeAll(async () => {
    org = await createOrganization(t, "Listed Co");
    const add = (body: Record<string, unknown>) =>
      org.client.post("/api/v1/people", { startDate: "2026-01-01", ...body });
    const boss = await add({ name: "Ada Boss", email: "ada@listed.test", jobRole: "Lead" });
    await add({ name: "Ben Left", email: "ben@listed.test", endDate: "2026-02-01" });
    await add({ name: "Cy Soon", email: "cy@listed.test", startDate: "2999-01-01" });
    await add({
      name: "Dee Contractor",
      email: "dee@listed.test",
      employmentType: "contractor",
      managerId: boss.body.id,
      jobRole: "Engineer",
    });
  });
  const names = async (query: string) => {
    const reply = await org.client.get(`/api/v1/people?${query}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.items
      .map((p: { name: string }) => p.name)
      .filter((n: string) => !n.startsWith("Owner"));
  };

  it("should filter by status", async () => {
    expect(await names("status=active")).toEqual(["Ada Boss", "Dee Contractor"]);
    expect(await names("status=left")).toEqual(["Ben Left"]);
    expect(await names("status=upcoming")).toEqual(["Cy Soon"]);
    expect(await names("")).toEqual(["Ada Boss", "Ben Left", "Cy Soon", "Dee Contractor"]);
  });

  it("should search names, emails and references in any case", async () => {
    expect(await names("q=BOSS")).toEqual(["Ada Boss"]);
    expect(await names("q=ben%40LISTED")).toEqual(["Ben Left"]);
    const dee = (await org.client.get("/api/v1/people?q=dee")).body.items[0];
    expect(await names(`q=${dee.reference.toLowerCase()}`)).toEqual(["Dee Contractor"]);
    expect(await names("q=%25")).toEqual([]);
  });

  it("should filter by job role, manager and employment type", async () => {
    const boss = (await org.client.get("/api/v1/people?q=ada")).body.items[0];
    expect(await names("jobRole=Engineer")).toEqual(["Dee Contractor"]);
    expect(await names(`managerId=${boss.id}`)).toEqual(["Dee Contractor"]);
    expect(await names("employmentType=contractor")).toEqual(["Dee Contractor"]);
  });

  it("should page with a cursor, every person once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/people?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const reply = await org.client.get(url);
      seen.push(...reply.body.items.map((p: { id: string }) => p.id));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe("offboarding and deleting", () => {
  it("should offboard with today as the end date unless given one", async () => {
    const p = await newPerson();
    const reply = await owner.client.post(`/api/v1/people/${p.id}/offboard`, {
      reason: "resigned",
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ endDate: isoDay(new Date()), active: false });
    const dated = await owner.client.post(`/api/v1/people/${p.id}/offboard`, {
      endDate: "2026-06-30",
    });
    expect(dated.body.endDate).toBe("2026-06-30");
    const early = await owner.client.post(`/api/v1/people/${p.id}/offboard`, {
      endDate: "2025-01-01",
    });
    expect(early.status).toBe(400);
    const events = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("audit_events")
        .select(["action", "after"])
        .where("target_id", "=", p.id)
        .where("action", "=", "person.offboarded")
        .execute(),
    );
    expect(events[0]?.after).toMatchObject({ reason: "resigned" });
  });

  it("should delete a person entered by mistake, audited", async () => {
    const p = await newPerson();
    expect((await owner.client.delete(`/api/v1/people/${p.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/v1/people/${p.id}`)).status).toBe(404);
    const events = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("audit_events").select("action").where("target_id", "=", p.id).execute(),
    );
    expect(events.map((e) => e.action)).toContain("person.deleted");
  });

  it("should refuse to delete a person others reference, or with a user account", async () => {
    const boss = await newPerson();
    await newPerson({ managerId: boss.id });
    const referenced = await owner.client.delete(`/api/v1/people/${boss.id}`);
    expect(referenced.status).toBe(409);
    expect(referenced.body.detail).toMatch(/end date/);
    expect((await owner.client.get(`/api/v1/people/${boss.id}`)).status).toBe(200);
    const self = (await owner.client.get(`/api/v1/people?q=${encodeURIComponent(owner.email)}`))
      .body.items[0];
    const account = await owner.client.delete(`/api/v1/people/${self.id}`);
    expect(account.status).toBe(409);
  });
});
