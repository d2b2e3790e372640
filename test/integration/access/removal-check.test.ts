import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import {
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personIdOfUser,
  sqlAccount,
  sqlGrant,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * access-removal's terminated-access-removed through the API: not applicable, due soon from the
 * end date, failing when still open after the deadline or revoked late, passing when revoked in
 * time; now and ?asOf=, with backdated data.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const day = (offset: number) => isoDay(addDays(new Date(), offset));

interface CheckResult {
  state: string;
  message: string;
  offenders: {
    kind: string;
    id: string;
    label: string;
    link: string;
    dueAt?: string;
    state?: string;
  }[];
}

async function check(org: Org, asOf?: string): Promise<CheckResult> {
  const reply = await org.owner.client.get(
    `/api/v1/controls/access-removal${asOf ? `?asOf=${asOf}` : ""}`,
  );
  expect(reply.status).toBe(200);
  const test = reply.body.tests.find((x: { key: string }) => x.key === "terminated-access-removed");
  expect(test).toBeDefined();
  return test;
}

async function leaverWithAccess(org: Org, name: string) {
  const owner = await personIdOfUser(org.owner.client, org.owner.id);
  const system = await ownedSystem(org, { ownerId: owner });
  const id = await apiPerson(org, { name });
  await sqlGrant(org, { personId: id, systemId: system.id });
  await sqlAccount(org, { personId: id, systemId: system.id });
  return id;
}

async function openTasks(org: Org, personId: string) {
  const reply = await org.owner.client.get(`/api/v1/access-tasks?personId=${personId}`);
  return reply.body.items as { id: string }[];
}

describe("terminated-access-removed", () => {
  it("is not applicable while nobody who left held access", async () => {
    const org = await organization(t);
    expect((await check(org)).state).toBe("not_applicable");
    const id = await apiPerson(org);
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: day(-2) });
    expect((await check(org)).state).toBe("not_applicable");
  });

  it("is due soon from the end date, fails once the deadline passes with access open", async () => {
    const org = await organization(t);
    const id = await leaverWithAccess(org, "Lena Leaver");
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: day(0) });
    let result = await check(org);
    expect(result.state).toBe("due_soon");
    expect(result.offenders).toHaveLength(1);
    expect(result.offenders[0]).toMatchObject({
      kind: "person",
      id,
      link: `/people/${id}`,
      state: "due_soon",
      dueAt: `${day(3)}T00:00:00.000Z`,
    });
    expect(result.offenders[0]?.label).toMatch(/^Lena Leaver \(P-\d+\)$/);

    // The end date moves into the past: the deadline (end + 3 days) has passed.
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: day(-10) });
    result = await check(org);
    expect(result.state).toBe("failing");
    const overdue = await org.owner.client.get(`/api/v1/access-tasks?personId=${id}&state=overdue`);
    expect(overdue.body.items).toHaveLength(2);
    for (const task of overdue.body.items) expect(task.overdue).toBe(true);
    expect(result.offenders[0]).toMatchObject({ id, state: "failing" });
    expect((await check(org, day(-9))).state).toBe("due_soon");
    expect((await check(org, day(-12))).state).toBe("not_applicable");
  });

  it("fails for a late revocation for a year after the end date; passes when revoked in time", async () => {
    const org = await organization(t);
    const id = await leaverWithAccess(org, "Lou Late");
    await org.owner.client.patch(`/api/v1/people/${id}`, { endDate: day(-10) });
    // Revoked in time: 2 days after the end date.
    for (const task of await openTasks(org, id)) {
      const done = await org.owner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {
        at: `${day(-8)}T12:00:00.000Z`,
      });
      expect(done.status).toBe(200);
    }
    expect((await check(org)).state).toBe("passing");
    expect((await check(org, day(-9))).state).toBe("due_soon");

    // The revocation really happened 5 days after the end date (backdated by SQL): late.
    await withTenant(t.deps.db, org.id, async (tx) => {
      await sql`update access_grants set revoked_at = ${`${day(-5)}T12:00:00Z`}::timestamptz
                where person_id = ${id}`.execute(tx);
    });
    await reevaluate(t.deps.db, org.id);
    const late = await check(org);
    expect(late.state).toBe("failing");
    expect(late.offenders[0]).toMatchObject({ id, state: "failing" });
    expect(late.offenders[0]?.dueAt).toBe(`${day(-7)}T00:00:00.000Z`);
    // Before the late revocation, it was open past its deadline; before the deadline, due soon.
    expect((await check(org, day(-6))).state).toBe("failing");
    expect((await check(org, day(-8))).state).toBe("due_soon");

    // A year and more later, the late revocation no longer counts.
    await withTenant(t.deps.db, org.id, async (tx) => {
      const by = sql`make_interval(days => 400)`;
      await sql`update people set end_date = end_date - 400 where id = ${id}`.execute(tx);
      await sql`update access_grants set granted_at = granted_at - ${by},
                  revoked_at = revoked_at - ${by}, created_at = created_at - ${by}
                where person_id = ${id}`.execute(tx);
      await sql`update accounts set created_at = created_at - ${by},
                  removed_at = removed_at - ${by}, linked_at = linked_at - ${by}
                where person_id = ${id}`.execute(tx);
    });
    await reevaluate(t.deps.db, org.id);
    expect((await check(org)).state).toBe("not_applicable");
    expect((await check(org, day(-400))).state).toBe("failing");
  });
});
