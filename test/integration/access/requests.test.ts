import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personIdOfUser,
  systemAccessRequest,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * Access requests: who may ask (oneself, one's direct reports, or anyone with access.manage),
 * who decides (the system's owner, or an owner or admin; never the person concerned nor the
 * requester), and what approval opens (a pending grant and the owner's task).
 */
let t: TestApp;
let org: Org;
let systemOwner: Person;
let member: Person;
let memberPersonId: string;
let systemId: string;

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Requests Co" });
  systemOwner = await user(org, "member", { name: "Sam System-Owner" });
  member = await user(org, "member", { name: "Mo Member" });
  memberPersonId = await personIdOfUser(org.owner.client, member.id);
  const ownerPersonId = await personIdOfUser(org.owner.client, systemOwner.id);
  systemId = (await ownedSystem(org, { ownerId: ownerPersonId, name: "Billing" })).id;
});
afterAll(async () => {
  await t?.close();
});

describe("asking for access", () => {
  it("a member asks for themselves; the reason is required", async () => {
    const choices = await member.client.get("/api/v1/access-requests/system-choices");
    expect(choices.status).toBe(200);
    expect(choices.body.items).toContainEqual({ id: systemId, name: "Billing" });
    const missing = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "viewer",
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("reason");
    const asked = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "viewer",
      reason: "Month-end reports",
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      person: { id: memberPersonId },
      system: { id: systemId, name: "Billing" },
      status: "pending",
      mayDecide: false,
    });
  });

  it("a member may ask for their direct reports only", async () => {
    const stranger = await apiPerson(org);
    const refused = await member.client.post("/api/v1/access-requests", {
      personId: stranger,
      systemId,
      systemRole: "viewer",
      reason: "Help",
    });
    expect(refused.status).toBe(403);
    const report = await apiPerson(org);
    await t.database.db
      .updateTable("people")
      .set({ manager_id: memberPersonId })
      .where("id", "=", report)
      .execute();
    const asked = await member.client.post("/api/v1/access-requests", {
      personId: report,
      systemId,
      systemRole: "viewer",
      reason: "New in my team",
    });
    expect(asked.status).toBe(201);
  });

  it("names a bad system", async () => {
    const reply = await member.client.post("/api/v1/access-requests", {
      systemId: "00000000-0000-4000-8000-000000000000",
      systemRole: "viewer",
      reason: "x",
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain("systemId");
  });

  it("auditors cannot ask", async () => {
    const auditor = await user(org, "auditor");
    const reply = await auditor.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "viewer",
      reason: "x",
    });
    expect(reply.status).toBe(403);
  });
});

describe("listing", () => {
  it("pages requests newest first by cursor, filtered by status and system", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await org.owner.client.get(`/api/v1/access-requests?limit=1${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await org.owner.client.get("/api/v1/access-requests?limit=200");
    expect(seen).toEqual(all.body.items.map((x: { id: string }) => x.id));
    expect(seen.length).toBeGreaterThan(1);
    const pending = await org.owner.client.get(
      `/api/v1/access-requests?status=pending&systemId=${systemId}`,
    );
    for (const r of pending.body.items) expect(r).toMatchObject({ status: "pending" });
  });
});

describe("deciding", () => {
  it("the system owner approves: a pending grant and a task for them, due in the provision days", async () => {
    const asked = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "editor",
      reason: "Fix invoices",
    });
    const id = asked.body.id;
    const seen = await systemOwner.client.get(`/api/v1/access-requests/${id}`);
    expect(seen.body.mayDecide).toBe(true);
    const mine = await systemOwner.client.get("/api/v1/access-requests?mine=true&status=pending");
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);

    const before = Date.now();
    const approved = await systemOwner.client.post(`/api/v1/access-requests/${id}/approve`, {
      comment: "ok",
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", decisionComment: "ok" });
    const tasks = await systemOwner.client.get(
      `/api/v1/access-tasks?mine=true&personId=${memberPersonId}`,
    );
    const task = tasks.body.items.find((x: { reason: string }) => x.reason === "request");
    expect(task).toMatchObject({
      kind: "grant",
      system: { id: systemId },
      grant: { systemRole: "editor", status: "pending" },
      state: "open",
      mayAct: true,
    });
    const due = new Date(task.dueAt).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 5 * 86_400_000 - 1000);
    expect(due).toBeLessThan(Date.now() + 5 * 86_400_000 + 1000);

    const again = await systemOwner.client.post(`/api/v1/access-requests/${id}/deny`, {
      comment: "no",
    });
    expect(again.status).toBe(409);
  });

  it("never self-approval: not the person concerned, not the requester", async () => {
    const ownerPerson = await personIdOfUser(org.owner.client, org.owner.id);
    // The system owner asks for themselves: they may not approve it; an admin may.
    const own = await systemOwner.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "admin",
      reason: "Owner needs admin",
    });
    expect(own.body.mayDecide).toBe(false);
    const self = await systemOwner.client.post(
      `/api/v1/access-requests/${own.body.id}/approve`,
      {},
    );
    expect(self.status).toBe(403);
    // The owner asks for someone: they may not approve their own request either.
    const forOther = await systemAccessRequest(org, { systemId, systemRole: "auditor-role" });
    const byRequester = await org.owner.client.post(
      `/api/v1/access-requests/${forOther.id}/approve`,
      {},
    );
    expect(byRequester.status).toBe(403);
    // An organization owner decides a request they neither asked nor are concerned by.
    const approved = await org.owner.client.post(
      `/api/v1/access-requests/${own.body.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    expect(ownerPerson).toBeTruthy();
  });

  it("a member who does not own the system may not decide, nor see others' requests", async () => {
    const other = await user(org, "member");
    const asked = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "reader",
      reason: "Read",
    });
    const denied = await other.client.post(`/api/v1/access-requests/${asked.body.id}/deny`, {
      comment: "no",
    });
    expect(denied.status).toBe(404);
    const list = await other.client.get("/api/v1/access-requests");
    expect(list.body.items).toEqual([]);
  });

  it("deny needs a comment; the requester cancels a pending one", async () => {
    const asked = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "writer",
      reason: "Write",
    });
    const bare = await systemOwner.client.post(`/api/v1/access-requests/${asked.body.id}/deny`, {});
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.body)).toContain("comment");
    const byOwner = await systemOwner.client.post(
      `/api/v1/access-requests/${asked.body.id}/cancel`,
      {},
    );
    expect(byOwner.status).toBe(403);
    const cancelled = await member.client.post(
      `/api/v1/access-requests/${asked.body.id}/cancel`,
      {},
    );
    expect(cancelled.body.status).toBe("cancelled");

    const second = await member.client.post("/api/v1/access-requests", {
      systemId,
      systemRole: "writer",
      reason: "Write, really",
    });
    const denied = await systemOwner.client.post(`/api/v1/access-requests/${second.body.id}/deny`, {
      comment: "Use the reports instead",
    });
    expect(denied.body).toMatchObject({
      status: "denied",
      decisionComment: "Use the reports instead",
    });
  });
});
