import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { accessKey, apiPerson, organization, ownedSystem, ownerPersonId } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * A leaver's access keys: an end date opens one revocation task per unrevoked key (assigned to
 * the owner of a system it opens), moving the end date moves it, clearing it cancels it,
 * completing it revokes the key; terminated-access-removed counts keys like grants and accounts.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const day = (offset: number) => isoDay(addDays(new Date(), offset));

interface Task {
  id: string;
  state: string;
  dueAt: string;
  assignee: { id: string } | null;
  accessKey: { id: string; revoked: boolean } | null;
}

async function keyTasks(org: Parameters<typeof testOf>[0], personId: string, state = "open") {
  const reply = await org.owner.client.get(
    `/api/v1/access-tasks?personId=${personId}&state=${state}`,
  );
  expect(reply.status).toBe(200);
  return (reply.body.items as Task[]).filter((task) => task.accessKey !== null);
}

describe("a leaver's keys", () => {
  it("get revocation tasks that move and cancel with the end date", async () => {
    const org = await organization(t);
    const owner = await ownerPersonId(org);
    const server = await ownedSystem(org, { ownerId: owner, name: "Bastion" });
    const leo = await apiPerson(org, { name: "Leo Leaver" });
    const key = await accessKey(org, {
      personId: leo,
      systemIds: [server.id],
      createdOn: day(-90),
    });
    // A key that opens nothing gets no task.
    await accessKey(org, { personId: leo, createdOn: day(-90) });

    await org.owner.client.patch(`/api/v1/people/${leo}`, { endDate: day(10) });
    let tasks = await keyTasks(org, leo);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      accessKey: { id: key.id, revoked: false },
      assignee: { id: owner },
      dueAt: `${day(13)}T00:00:00.000Z`,
    });
    const detail = await org.owner.client.get(`/api/v1/access-keys/${key.id}`);
    expect(detail.body.openTask).toMatchObject({ id: tasks[0]?.id });

    await org.owner.client.patch(`/api/v1/people/${leo}`, { endDate: day(20) });
    tasks = await keyTasks(org, leo);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.dueAt).toBe(`${day(23)}T00:00:00.000Z`);

    await org.owner.client.patch(`/api/v1/people/${leo}`, { endDate: null });
    expect(await keyTasks(org, leo)).toHaveLength(0);
    expect(await keyTasks(org, leo, "cancelled")).toHaveLength(1);
  });

  it("a key registered, or given a system, after the end date was set gets its task at once", async () => {
    const org = await organization(t);
    const owner = await ownerPersonId(org);
    const server = await ownedSystem(org, { ownerId: owner });
    const lou = await apiPerson(org, { name: "Lou Later" });
    await org.owner.client.patch(`/api/v1/people/${lou}`, { endDate: day(7) });
    const key = await accessKey(org, { personId: lou, systemIds: [server.id], createdOn: day(-3) });
    const bare = await accessKey(org, { personId: lou, createdOn: day(-3) });
    let tasks = await keyTasks(org, lou);
    expect(tasks.map((task) => task.accessKey?.id)).toEqual([key.id]);
    expect(tasks[0]?.dueAt).toBe(`${day(10)}T00:00:00.000Z`);
    const changed = await org.owner.client.patch(`/api/v1/access-keys/${bare.id}`, {
      systemIds: [server.id],
    });
    expect(changed.status).toBe(200);
    tasks = await keyTasks(org, lou);
    expect(tasks.map((task) => task.accessKey?.id).sort()).toEqual([key.id, bare.id].sort());
  });

  it("completing the task revokes the key; revoking the key completes the task", async () => {
    const org = await organization(t);
    const owner = await ownerPersonId(org);
    const server = await ownedSystem(org, { ownerId: owner });
    const lin = await apiPerson(org, { name: "Lin Leaver" });
    const first = await accessKey(org, {
      personId: lin,
      systemIds: [server.id],
      createdOn: day(-30),
    });
    const second = await accessKey(org, {
      personId: lin,
      systemIds: [server.id],
      createdOn: day(-30),
    });
    await org.owner.client.patch(`/api/v1/people/${lin}`, { endDate: day(-1) });
    const tasks = await keyTasks(org, lin);
    expect(tasks).toHaveLength(2);
    const check = () => testOf(org, "access-removal", "terminated-access-removed");
    const open = await check();
    expect(open.state).toBe("due_soon");
    expect(open.offenders[0]?.action).toContain("2 grants, accounts or keys");

    const forFirst = tasks.find((task) => task.accessKey?.id === first.id) as Task;
    const done = await org.owner.client.post(`/api/v1/access-tasks/${forFirst.id}/complete`, {});
    expect(done.status).toBe(200);
    expect(done.body.accessKey).toMatchObject({ id: first.id, revoked: true });
    const revoked = await org.owner.client.get(`/api/v1/access-keys/${first.id}`);
    expect(revoked.body).toMatchObject({ status: "revoked", revokeReason: "leaver" });

    const direct = await org.owner.client.post(`/api/v1/access-keys/${second.id}/revoke`, {
      reason: "Offboarded",
    });
    expect(direct.status).toBe(200);
    expect(direct.body.openTask).toBeNull();
    expect(await keyTasks(org, lin)).toHaveLength(0);
    expect(await keyTasks(org, lin, "done")).toHaveLength(2);
    expect((await check()).state).toBe("passing");
    // The passing message names keys too.
    expect((await check()).message).toContain("grants, accounts and keys");
  });

  it("fails terminated-access-removed for a key still unrevoked past the deadline", async () => {
    const org = await organization(t);
    const kim = await apiPerson(org, { name: "Kim Keyholder" });
    const key = await accessKey(org, { personId: kim, createdOn: day(-60) });
    await org.owner.client.patch(`/api/v1/people/${kim}`, { endDate: day(-10) });
    const check = (asOf?: string) =>
      testOf(org, "access-removal", "terminated-access-removed", asOf);
    const result = await check();
    expect(result.state).toBe("failing");
    expect(result.offenders[0]?.action).toContain("1 grant, account or key");
    expect((await check(day(-9))).state).toBe("due_soon");
    expect((await check(day(-12))).state).toBe("not_applicable");
    // Revoked late (now): still failing for the year after the end date.
    await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, { reason: "Late" });
    const late = await check();
    expect(late.state).toBe("failing");
    expect(late.offenders[0]?.action).toMatch(/revoked after the deadline/);
  });
});
