import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessTask,
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personIdOfUser,
  sqlAccount,
  sqlGrant,
  sqlRoleRule,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * Joiners, leavers and role changes through the people API, and the tasks they open: who may
 * complete and cancel them, and what completing does to the grant or account.
 */
let t: TestApp;
let org: Org;
let systemOwner: Person;
let ownerPersonId: string;
let crm: { id: string; name: string };
let wiki: { id: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Lifecycle Co" });
  systemOwner = await user(org, "member", { name: "Olga Owner" });
  ownerPersonId = await personIdOfUser(org.owner.client, systemOwner.id);
  crm = await ownedSystem(org, { ownerId: ownerPersonId, name: "CRM" });
  wiki = await ownedSystem(org, { ownerId: ownerPersonId, name: "Wiki" });
  await sqlRoleRule(org, { jobRole: "Sales", systemId: crm.id, systemRole: "rep" });
  await sqlRoleRule(org, { jobRole: "Sales", systemId: wiki.id, systemRole: "reader" });
  await sqlRoleRule(org, { jobRole: "Support", systemId: wiki.id, systemRole: "reader" });
  await sqlRoleRule(org, { jobRole: "Support", systemId: crm.id, systemRole: "agent" });
});
afterAll(async () => {
  await t?.close();
});

async function tasksOf(personId: string, state = "open") {
  const reply = await org.owner.client.get(
    `/api/v1/access-tasks?personId=${personId}&state=${state}`,
  );
  expect(reply.status).toBe(200);
  return reply.body.items;
}

describe("joiners", () => {
  it("a new person with a job role gets a pending grant and a task per role rule", async () => {
    const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const id = await apiPerson(org, { jobRole: "Sales", startDate: future });
    const tasks = await tasksOf(id);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        kind: "grant",
        reason: "joiner",
        assignee: { id: ownerPersonId },
        grant: { status: "pending" },
      });
      // Due the provision days after the start date (in the future here).
      expect(task.dueAt.slice(0, 10)).toBe(
        new Date(Date.parse(future) + 5 * 86_400_000).toISOString().slice(0, 10),
      );
    }
    expect(tasks.map((x: { grant: { systemRole: string } }) => x.grant.systemRole).sort()).toEqual([
      "reader",
      "rep",
    ]);
  });

  it("skips what the person already has", async () => {
    const id = await apiPerson(org);
    await sqlGrant(org, { personId: id, systemId: crm.id, systemRole: "rep" });
    await org.owner.client.patch(`/api/v1/people/${id}`, {
      jobRole: "Sales",
      startDate: "2025-02-01",
    });
    const tasks = await tasksOf(id);
    expect(tasks.map((x: { system: { name: string } }) => x.system.name)).toEqual(["Wiki"]);
  });
});

describe("tasks", () => {
  it("the assignee completes a grant task: the grant is active from then", async () => {
    const task = await accessTask(org, { systemId: crm.id });
    const stranger = await user(org, "member");
    const refused = await stranger.client.post(`/api/v1/access-tasks/${task.id}/complete`, {});
    expect(refused.status).toBe(403);
    const future = await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain("at");
    const done = await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: "done", grant: { status: "active" } });
    const again = await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {});
    expect(again.status).toBe(409);
  });

  it("cancelling a grant task needs a reason and cancels the pending grant", async () => {
    const task = await accessTask(org, { systemId: wiki.id });
    const bare = await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/cancel`, {});
    expect(bare.status).toBe(400);
    const editor = await user(org, "editor");
    const byEditor = await editor.client.post(`/api/v1/access-tasks/${task.id}/cancel`, {
      reason: "x",
    });
    expect(byEditor.status).toBe(403);
    const cancelled = await org.owner.client.post(`/api/v1/access-tasks/${task.id}/cancel`, {
      reason: "Not needed after all",
    });
    expect(cancelled.body).toMatchObject({
      state: "cancelled",
      cancelReason: "Not needed after all",
      grant: { status: "cancelled" },
    });
  });

  it("members see only their own tasks; mine=true filters to the caller's", async () => {
    await accessTask(org, { systemId: crm.id });
    const mine = await systemOwner.client.get("/api/v1/access-tasks");
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const task of mine.body.items) expect(task.assignee.id).toBe(ownerPersonId);
    const ownerMine = await org.owner.client.get("/api/v1/access-tasks?mine=true");
    expect(ownerMine.body.items).toEqual([]);
  });
});

describe("task lists", () => {
  it("pages by cursor and filters by state, kind and reason", async () => {
    const id = await apiPerson(org, { jobRole: "Support" });
    await org.owner.client.patch(`/api/v1/people/${id}`, { jobRole: "Sales" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await org.owner.client.get(`/api/v1/access-tasks?state=all&limit=1${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await org.owner.client.get("/api/v1/access-tasks?state=all&limit=200");
    expect(seen).toEqual(all.body.items.map((x: { id: string }) => x.id));
    expect(new Set(seen).size).toBe(seen.length);

    const joiners = await org.owner.client.get(
      `/api/v1/access-tasks?personId=${id}&kind=grant&reason=joiner`,
    );
    expect(joiners.body.items).toHaveLength(2);
    const none = await org.owner.client.get(`/api/v1/access-tasks?personId=${id}&kind=revoke`);
    expect(none.body.items).toEqual([]);
    const overdue = await org.owner.client.get(`/api/v1/access-tasks?personId=${id}&state=overdue`);
    expect(overdue.body.items).toEqual([]);
    const bad = await org.owner.client.get("/api/v1/access-tasks?state=late");
    expect(bad.status).toBe(400);
  });
});

describe("leavers", () => {
  it("an end date opens one revocation task per grant and account, due by the SLA; moving it moves them; clearing cancels", async () => {
    const id = await apiPerson(org);
    const grant = await sqlGrant(org, { personId: id, systemId: crm.id, systemRole: "rep" });
    const account = await sqlAccount(org, { personId: id, systemId: wiki.id });
    await sqlAccount(org, { personId: id, systemId: wiki.id, service: true });
    const set = await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: "2026-12-20" });
    expect(set.status).toBe(200);
    let tasks = await tasksOf(id);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        kind: "revoke",
        reason: "leaver",
        dueAt: "2026-12-23T00:00:00.000Z",
      });
    }
    expect(tasks.map((x: { grant: { id: string } | null }) => x.grant?.id ?? null)).toContain(
      grant,
    );
    expect(tasks.map((x: { account: { id: string } | null }) => x.account?.id ?? null)).toContain(
      account,
    );

    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: "2026-12-31" });
    tasks = await tasksOf(id);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) expect(task.dueAt).toBe("2027-01-03T00:00:00.000Z");

    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: null });
    expect(await tasksOf(id)).toEqual([]);
    const cancelled = await tasksOf(id, "cancelled");
    expect(cancelled).toHaveLength(2);
  });

  it("completing a revocation revokes the grant and removes the account", async () => {
    const id = await apiPerson(org);
    await sqlGrant(org, { personId: id, systemId: crm.id, systemRole: "rep" });
    await sqlAccount(org, { personId: id, systemId: wiki.id });
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: "2026-12-20" });
    for (const task of await tasksOf(id)) {
      const done = await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {});
      expect(done.status).toBe(200);
      if (task.grant) expect(done.body.grant.status).toBe("revoked");
      if (task.account) expect(done.body.account.removed).toBe(true);
    }
    expect(await tasksOf(id)).toEqual([]);
  });

  it("pending grants of a leaver are cancelled directly", async () => {
    const id = await apiPerson(org, { jobRole: "Support" });
    expect(await tasksOf(id)).toHaveLength(2);
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: "2026-12-20" });
    expect(await tasksOf(id)).toEqual([]);
  });
});

describe("role change proposal", () => {
  it("proposes the new role's rules to add and the old role's grants to remove, and opens them", async () => {
    const id = await apiPerson(org, { jobRole: "Sales" });
    for (const task of await tasksOf(id)) {
      await systemOwner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {});
    }
    await sqlGrant(org, { personId: id, systemId: crm.id, systemRole: "extra", basis: "request" });
    await org.owner.client.patch(`/api/v1/people/${id}`, { jobRole: "Support" });
    expect(await tasksOf(id)).toEqual([]);
    const proposal = await org.owner.client.get(`/api/v1/people/${id}/access-proposal`);
    expect(proposal.status).toBe(200);
    expect(proposal.body.jobRole).toBe("Support");
    expect(proposal.body.add.map((r: { systemRole: string }) => r.systemRole)).toEqual(["agent"]);
    expect(proposal.body.remove.map((g: { systemRole: string }) => g.systemRole)).toEqual(["rep"]);

    const member = await user(org, "member");
    const refused = await member.client.post(`/api/v1/people/${id}/access-proposal`, {
      add: [proposal.body.add[0].id],
    });
    expect(refused.status).toBe(403);
    const bad = await org.owner.client.post(`/api/v1/people/${id}/access-proposal`, {
      add: [proposal.body.remove[0].id],
    });
    expect(bad.status).toBe(400);
    const opened = await org.owner.client.post(`/api/v1/people/${id}/access-proposal`, {
      add: [proposal.body.add[0].id],
      remove: [proposal.body.remove[0].id],
    });
    expect(opened.status).toBe(200);
    expect(
      opened.body.tasks.map((x: { kind: string; reason: string }) => [x.kind, x.reason]),
    ).toEqual([
      ["grant", "role_change"],
      ["revoke", "role_change"],
    ]);
    const revoke = opened.body.tasks[1];
    const days = (Date.parse(revoke.dueAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    const after = await org.owner.client.get(`/api/v1/people/${id}/access-proposal`);
    expect(after.body).toMatchObject({ add: [], remove: [] });
  });
});
