import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { backdatePolicy } from "../../helpers/backdate.ts";
import { publishPolicy } from "../../helpers/policies.ts";

/**
 * policy-reviewed and policy-acknowledged evaluated through `?asOf=`: each state read for a
 * past day from the stored dates, with work done after that day left out. One organization
 * serves the file: each test uses a control of its own.
 */
let t: TestApp;
let owner: Person;
let member: Person;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "As Of Co");
  member = await addPerson(t, owner, "member", "Max Member");
  // Everyone started long ago, so only the policy's own dates count.
  for (const person of (await owner.client.get("/api/v1/people")).body.items) {
    const reply = await owner.client.patch(`/api/v1/people/${person.id}`, {
      startDate: "2024-01-01",
    });
    expect(reply.status).toBe(200);
  }
});
afterAll(() => t.close());

type TestRow = {
  key: string;
  state: string;
  message: string;
  offenders: { kind: string; id: string; action: string; state?: string; dueAt?: string }[];
};

const daysAgo = (days: number) => isoDay(addDays(new Date(), -days));

async function testOf(controlKey: string, testKey: string, asOf?: string): Promise<TestRow> {
  const reply = await owner.client.get(
    `/api/v1/controls/${controlKey}${asOf ? `?asOf=${asOf}` : ""}`,
  );
  expect(reply.status).toBe(200);
  const found = (reply.body.tests as TestRow[]).find((test) => test.key === testKey);
  if (!found) throw new Error(`${controlKey} has no test ${testKey}`);
  return found;
}

async function publish(template: string) {
  const approved = await publishPolicy(owner, template);
  return { id: approved.id, versionId: approved.versions[0]?.id as string };
}

async function personIdOf(email: string): Promise<string> {
  const people = (await owner.client.get("/api/v1/people")).body.items as {
    id: string;
    email: string;
  }[];
  const found = people.find((p) => p.email === email);
  if (!found) throw new Error(`no person ${email}`);
  return found.id;
}

describe("policy-reviewed as of a past date", () => {
  it("should pass, come due, fail, and count a review only from the day it was made", async () => {
    const control = "incident-response-plan";
    const { id } = await publish(control);
    // Approved 400 days ago, never reviewed since: overdue now.
    await backdatePolicy(t, owner.organizationId, id, 400);
    expect((await testOf(control, "policy-reviewed")).state).toBe("failing");

    expect((await testOf(control, "policy-reviewed", daysAgo(390))).state).toBe("passing");
    const dueSoon = await testOf(control, "policy-reviewed", daysAgo(50));
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.message).toMatch(/is due/);
    expect(dueSoon.offenders).toEqual([
      expect.objectContaining({
        kind: "policy",
        id,
        state: "due_soon",
        dueAt: expect.stringMatching(new RegExp(`^${isoDay(addDays(new Date(), -35))}`)),
      }),
    ]);
    const overdue = await testOf(control, "policy-reviewed", daysAgo(20));
    expect(overdue.state).toBe("failing");
    expect(overdue.offenders[0]).toMatchObject({ id, state: "failing" });
    // Before the policy existed, there is nothing to review.
    const before = await testOf(control, "policy-reviewed", daysAgo(420));
    expect(before.state).toBe("failing");
    expect(before.offenders[0]?.kind).toBe("control");

    // Re-approved today: passing now, still overdue as of yesterday.
    expect((await owner.client.post(`/api/v1/policies/${id}/review`, {})).status).toBe(200);
    expect((await testOf(control, "policy-reviewed")).state).toBe("passing");
    expect((await testOf(control, "policy-reviewed", daysAgo(1))).state).toBe("failing");
  });
});

describe("policy-acknowledged as of a past date", () => {
  it("should pass within the grace period, come due, fail, and count an acknowledgement only from its day", async () => {
    const control = "access-control-termination-policy";
    const { id, versionId } = await publish(control);
    // The owner acknowledged at publication; all of it 60 days ago.
    expect(
      (await owner.client.post(`/api/v1/policies/${id}/acknowledge`, { versionId })).status,
    ).toBe(200);
    await backdatePolicy(t, owner.organizationId, id, 60);
    const memberId = await personIdOf(member.email);

    const now = await testOf(control, "policy-acknowledged");
    expect(now.state).toBe("failing");
    expect(now.offenders.map((o) => o.id)).toEqual([memberId]);

    // 10 days after publication: within the 30 days, passing.
    const early = await testOf(control, "policy-acknowledged", daysAgo(50));
    expect(early.state).toBe("passing");
    expect(early.message).toMatch(/1 of 2 people acknowledged/);
    // 25 days after: the member's deadline is within the 7-day warning.
    const dueSoon = await testOf(control, "policy-acknowledged", daysAgo(35));
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders).toEqual([
      expect.objectContaining({ kind: "person", id: memberId, state: "due_soon" }),
    ]);
    expect(dueSoon.offenders[0]?.action).toMatch(/^Remind Max Member/);
    // 40 days after: late.
    const late = await testOf(control, "policy-acknowledged", daysAgo(20));
    expect(late.state).toBe("failing");
    expect(late.message).toMatch(/1 of 2 people have not acknowledged/);
    expect(late.offenders).toEqual([
      expect.objectContaining({ kind: "person", id: memberId, state: "failing" }),
    ]);
    // Before publication, the policy had no published version.
    const before = await testOf(control, "policy-acknowledged", daysAgo(70));
    expect(before.state).toBe("failing");
    expect(before.offenders[0]?.kind).toBe("control");

    // The member acknowledges today: passing now, still late as of yesterday.
    expect(
      (await member.client.post(`/api/v1/policies/${id}/acknowledge`, { versionId })).status,
    ).toBe(200);
    expect((await testOf(control, "policy-acknowledged")).state).toBe("passing");
    const yesterday = await testOf(control, "policy-acknowledged", daysAgo(1));
    expect(yesterday.state).toBe("failing");
    expect(yesterday.offenders.map((o) => o.id)).toEqual([memberId]);
  });
});
