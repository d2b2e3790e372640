import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { storedIncident } from "../../factories/incidents-stored.ts";
import { type Org, organization, person } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { backdatePolicy } from "../../helpers/backdate.ts";
import { publishPolicy } from "../../helpers/policies.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * incident-response-plan-testing's checks through the API, now and ?asOf=, with exercises
 * backdated by SQL: ir-plan-exercised (a completed test with attendance and outcomes held
 * within 365 days, due soon 30 days before; failing, never not applicable, without one) and
 * ir-plan-updated (outcomes calling for a change linked to a version of the plan approved by
 * then, or closed, within 90 days of the exercise's completion, due soon 14 days before; not
 * applicable when none calls for a change).
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CONTROL = "incident-response-plan-testing";
const exercised = (org: Org, asOf?: string) => testOf(org, CONTROL, "ir-plan-exercised", asOf);
const updated = (org: Org, asOf?: string) => testOf(org, CONTROL, "ir-plan-updated", asOf);
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));
const momentAgo = (days: number) => addDays(new Date(), -days);

/**
 * A test of the plan made through the API (one attendee, the outcomes given), completed, then
 * moved into the past: held `heldDaysAgo`, completed and its outcomes recorded a day later.
 */
async function completedExercise(
  org: Org,
  heldDaysAgo: number,
  outcomes: boolean[] = [false],
  extra: Record<string, unknown> = {},
) {
  const attendee = await person(org);
  const created = await org.owner.client.post("/api/v1/ir-exercises", {
    kind: "tabletop",
    title: `Tabletop held ${heldDaysAgo} days ago`,
    heldOn: dayAgo(heldDaysAgo),
    ...extra,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const set = await org.owner.client.request("PUT", `/api/v1/ir-exercises/${id}/participants`, {
    participants: [{ personId: attendee.id, attended: true }],
  });
  expect(set.status).toBe(200);
  const outcomeIds: string[] = [];
  for (const requiresPlanChange of outcomes) {
    const added = await org.owner.client.post(`/api/v1/ir-exercises/${id}/outcomes`, {
      description: requiresPlanChange ? "Change the plan" : "Worked as written",
      requiresPlanChange,
    });
    expect(added.status).toBe(201);
    outcomeIds.push(added.body.id);
  }
  expect((await org.owner.client.post(`/api/v1/ir-exercises/${id}/complete`, {})).status).toBe(200);
  const completedAt = momentAgo(heldDaysAgo - 1);
  await withTenant(t.deps.db, org.id, async (tx) => {
    await sql`update ir_exercises set completed_at = ${completedAt}, created_at = ${completedAt}
              where id = ${id}`.execute(tx);
    await sql`update ir_exercise_outcomes set created_at = ${completedAt}
              where exercise_id = ${id}`.execute(tx);
  });
  await reevaluate(t.deps.db, org.id);
  return { id, outcomeIds };
}

/** Sets when an outcome was linked or closed. */
async function resolvedAgo(org: Org, outcomeId: string, days: number) {
  const at = momentAgo(days);
  await withTenant(t.deps.db, org.id, (tx) =>
    sql`update ir_exercise_outcomes
        set linked_at = case when linked_at is null then null else ${at}::timestamptz end,
            closed_at = case when closed_at is null then null else ${at}::timestamptz end
        where id = ${outcomeId}`.execute(tx),
  );
  await reevaluate(t.deps.db, org.id);
}

describe("ir-plan-exercised", () => {
  it("should fail without a completed test, never saying not applicable", async () => {
    const org = await organization(t);
    const none = await exercised(org);
    expect(none.state).toBe("failing");
    expect(none.offenders).toEqual([
      expect.objectContaining({ kind: "ir_exercise", id: "none", link: "/ir-exercises/new" }),
    ]);
    // A planned exercise is not a test yet.
    const planned = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "tabletop",
      title: "Planned",
      heldOn: dayAgo(1),
    });
    expect(planned.status).toBe(201);
    expect((await exercised(org)).state).toBe("failing");
  });

  it("should pass, come due and fail as the last test ages, read as of any day", async () => {
    const org = await organization(t);
    const { id } = await completedExercise(org, 400);

    const now = await exercised(org);
    expect(now.state).toBe("failing");
    expect(now.message).toMatch(/more than 365 days ago/);
    expect(now.offenders).toEqual([
      expect.objectContaining({
        kind: "ir_exercise",
        id,
        link: `/ir-exercises/${id}`,
        state: "failing",
        action: expect.stringMatching(/Hold the next exercise/),
      }),
    ]);
    // Before it was completed there was none.
    expect((await exercised(org, dayAgo(401))).state).toBe("failing");
    expect((await exercised(org, dayAgo(401))).offenders[0]?.id).toBe("none");
    expect((await exercised(org, dayAgo(380))).state).toBe("passing");
    const dueSoon = await exercised(org, dayAgo(50));
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id, state: "due_soon" });
    expect((await exercised(org, dayAgo(20))).state).toBe("failing");

    // A real incident marked as the test, 100 days ago, brings it back to passing.
    const incident = await storedIncident(org, { reportedHoursAgo: 2500, resolvedHoursAgo: 2450 });
    await completedExercise(org, 100, [false], { kind: "incident", incidentId: incident.id });
    const passing = await exercised(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toMatch(/tested by a real incident/);
    // It counts from the day it was completed: the older one was due soon 50 days ago.
    expect((await exercised(org, dayAgo(50))).state).toBe("passing");
  });
});

describe("ir-plan-updated", () => {
  it("should not apply while no outcome calls for a change", async () => {
    const org = await organization(t);
    expect((await updated(org)).state).toBe("not_applicable");
    await completedExercise(org, 10, [false]);
    const none = await updated(org);
    expect(none.state).toBe("not_applicable");
  });

  it("should wait, come due, fail, and pass once a new version of the plan is linked, as of any day", async () => {
    const org = await organization(t);
    const { id, outcomeIds } = await completedExercise(org, 101, [true, false]);
    const [change] = outcomeIds as [string];

    // Completed 100 days ago, 90 days to change the plan.
    const now = await updated(org);
    expect(now.state).toBe("failing");
    expect(now.offenders).toEqual([
      expect.objectContaining({
        kind: "ir_exercise_outcome",
        id: change,
        link: `/ir-exercises/${id}`,
        state: "failing",
        label: expect.stringMatching(/Change the plan/),
        action: expect.stringMatching(/Approve a new version of the Incident Response Plan/),
      }),
    ]);
    expect((await updated(org, dayAgo(102))).state).toBe("not_applicable");
    const waiting = await updated(org, dayAgo(50));
    expect(waiting.state).toBe("passing");
    expect(waiting.message).toMatch(/1 are within their 90 days/);
    const dueSoon = await updated(org, dayAgo(20));
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id: change, state: "due_soon" });

    // Version 1 of the plan approved 5 days ago, linked 3 days ago.
    const plan = await publishPolicy(org.owner, "incident-response-plan");
    await backdatePolicy(t, org.id, plan.id, 5);
    const link = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${change}/link`, {
      policyVersionId: plan.versions[0]?.id,
    });
    expect(link.status).toBe(200);
    await resolvedAgo(org, change, 3);

    const passing = await updated(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toMatch(/Every one of the 1 outcomes/);
    expect((await updated(org, dayAgo(2))).state).toBe("passing");
    expect((await updated(org, dayAgo(4))).state).toBe("failing");
    expect((await updated(org, dayAgo(20))).state).toBe("due_soon");
  });

  it("should count an outcome closed with a reason from the day it was closed", async () => {
    const org = await organization(t);
    const { outcomeIds } = await completedExercise(org, 120, [true]);
    const [change] = outcomeIds as [string];
    expect((await updated(org)).state).toBe("failing");
    const closed = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${change}/close`, {
      reason: "Covered by the on-call rota.",
    });
    expect(closed.status).toBe(200);
    await resolvedAgo(org, change, 10);
    expect((await updated(org)).state).toBe("passing");
    expect((await updated(org, dayAgo(11))).state).toBe("failing");
    expect((await updated(org, dayAgo(40))).state).toBe("due_soon");
  });
});
