import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { storedIncident } from "../../factories/incidents-stored.ts";
import { type Org, organization, person, policy, user } from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { backdatePolicy } from "../../helpers/backdate.ts";
import { publishPolicy } from "../../helpers/policies.ts";

/**
 * Tests of the Incident Response Plan through the API: a tabletop exercise planned, its
 * participants and outcomes recorded, completed (409 naming what is missing), an outcome
 * calling for a change linked to a version of the plan approved after the exercise (400
 * otherwise) or closed with a reason; a real incident marked as the plan's test (once, with an
 * entry on its timeline); who may read and write; another organization's ids.
 */
let t: TestApp;
let org: Org;
let facilitator: { id: string; name: string };
let attendee: { id: string; name: string };
let absentee: { id: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Exercise Co" });
  facilitator = await person(org, { name: "Fay Facilitator" });
  attendee = await person(org, { name: "Ada Attendee" });
  absentee = await person(org, { name: "Abe Absent" });
});
afterAll(async () => {
  await t?.close();
});

const daysAgo = (days: number) => isoDay(addDays(new Date(), -days));

async function exercise(owner: Person, body: Record<string, unknown> = {}) {
  const reply = await owner.client.post("/api/v1/ir-exercises", {
    kind: "tabletop",
    title: "Ransomware on the build server",
    scenario: "Friday 17:00: the build server's disks are encrypted.",
    heldOn: daysAgo(3),
    facilitatorId: facilitator.id,
    ...body,
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; outcomes: { id: string }[] };
}

async function outcome(owner: Person, exerciseId: string, requiresPlanChange: boolean) {
  const reply = await owner.client.post(`/api/v1/ir-exercises/${exerciseId}/outcomes`, {
    description: requiresPlanChange ? "Name a deputy incident lead" : "Backups restored in time",
    requiresPlanChange,
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; state: string };
}

describe("a tabletop exercise", () => {
  it("should be planned, record participants and outcomes, and complete only with both", async () => {
    const created = await exercise(org.owner);
    expect(created).toMatchObject({
      kind: "tabletop",
      status: "planned",
      heldOn: daysAgo(3),
      facilitator: { id: facilitator.id, name: "Fay Facilitator" },
      incident: null,
      participants: [],
      outcomes: [],
      completedAt: null,
    });

    const bare = await org.owner.client.post(`/api/v1/ir-exercises/${created.id}/complete`, {});
    expect(bare.status).toBe(409);
    expect(bare.body.detail).toMatch(/a participant who attended and an outcome/);
    expect(bare.body.errors[0].field).toBe("participants");

    const set = await org.owner.client.request(
      "PUT",
      `/api/v1/ir-exercises/${created.id}/participants`,
      {
        participants: [
          { personId: attendee.id, role: "Incident lead", attended: true },
          { personId: absentee.id, attended: false },
        ],
      },
    );
    expect(set.status).toBe(200);
    expect(set.body.participants).toEqual([
      { person: { id: absentee.id, name: "Abe Absent" }, role: "", attended: false },
      { person: { id: attendee.id, name: "Ada Attendee" }, role: "Incident lead", attended: true },
    ]);

    const noOutcome = await org.owner.client.post(
      `/api/v1/ir-exercises/${created.id}/complete`,
      {},
    );
    expect(noOutcome.status).toBe(409);
    expect(noOutcome.body.detail).toMatch(/at least an outcome/);
    expect(noOutcome.body.errors[0].field).toBe("outcomes");

    const kept = await outcome(org.owner, created.id, false);
    expect(kept.state).toBe("no_change");
    const change = await outcome(org.owner, created.id, true);
    expect(change.state).toBe("open");

    const done = await org.owner.client.post(`/api/v1/ir-exercises/${created.id}/complete`, {
      summary: "The plan held; the deputy lead is missing.",
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: "completed",
      summary: "The plan held; the deputy lead is missing.",
      completedBy: { id: org.owner.id },
    });
    expect(done.body.outcomes.map((o: { state: string }) => o.state)).toEqual([
      "no_change",
      "open",
    ]);

    // The record of the test does not change once completed.
    const patch = await org.owner.client.patch(`/api/v1/ir-exercises/${created.id}`, {
      title: "Renamed",
    });
    expect(patch.status).toBe(409);
    expect(
      (
        await org.owner.client.post(`/api/v1/ir-exercises/${created.id}/outcomes`, {
          description: "Late",
          requiresPlanChange: false,
        })
      ).status,
    ).toBe(409);
    expect(
      (await org.owner.client.post(`/api/v1/ir-exercises/${created.id}/complete`, {})).status,
    ).toBe(409);

    const events = (await org.owner.client.get("/api/v1/audit-events?limit=50")).body.items as {
      action: string;
      sentence?: string;
    }[];
    const actions = events.map((e) => e.action);
    for (const action of [
      "ir_exercise.created",
      "ir_exercise.participants_set",
      "ir_exercise.outcome_added",
      "ir_exercise.completed",
    ]) {
      expect(actions).toContain(action);
    }
  });

  it("should not complete an exercise planned for a later day, and edit it while planned", async () => {
    const later = await exercise(org.owner, { heldOn: isoDay(addDays(new Date(), 10)) });
    await org.owner.client.request("PUT", `/api/v1/ir-exercises/${later.id}/participants`, {
      participants: [{ personId: attendee.id, attended: true }],
    });
    await outcome(org.owner, later.id, false);
    const early = await org.owner.client.post(`/api/v1/ir-exercises/${later.id}/complete`, {});
    expect(early.status).toBe(409);
    expect(early.body.errors[0].field).toBe("heldOn");

    const moved = await org.owner.client.patch(`/api/v1/ir-exercises/${later.id}`, {
      heldOn: daysAgo(1),
      facilitatorId: null,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ heldOn: daysAgo(1), facilitator: null });
    expect(
      (await org.owner.client.post(`/api/v1/ir-exercises/${later.id}/complete`, {})).status,
    ).toBe(200);
  });

  it("should refuse people who are not the organization's, naming the field", async () => {
    const other = await organization(t, { name: "Elsewhere Co" });
    const stranger = await person(other);
    const bad = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "tabletop",
      title: "X",
      heldOn: daysAgo(1),
      facilitatorId: stranger.id,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("facilitatorId");
    const created = await exercise(org.owner);
    const participants = await org.owner.client.request(
      "PUT",
      `/api/v1/ir-exercises/${created.id}/participants`,
      {
        participants: [
          { personId: attendee.id, attended: true },
          { personId: stranger.id, attended: true },
        ],
      },
    );
    expect(participants.status).toBe(400);
    expect(participants.body.errors[0].field).toBe("participants.1.personId");
    const twice = await org.owner.client.request(
      "PUT",
      `/api/v1/ir-exercises/${created.id}/participants`,
      {
        participants: [
          { personId: attendee.id, attended: true },
          { personId: attendee.id, attended: false },
        ],
      },
    );
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].field).toBe("participants.1.personId");
  });
});

describe("an outcome calling for a change of the plan", () => {
  it("should link only to a version of the Incident Response Plan approved after the exercise, or close with a reason", async () => {
    const plan = await publishPolicy(org.owner, "incident-response-plan");
    const first = plan.versions[0]?.id as string;
    await backdatePolicy(t, org.id, plan.id, 60);
    const other = await policy(org, { status: "published" });

    const held = await exercise(org.owner, { heldOn: daysAgo(20) });
    const change = await outcome(org.owner, held.id, true);
    const noChange = await outcome(org.owner, held.id, false);

    const versions = await org.owner.client.get("/api/v1/ir-exercises/plan-versions");
    expect(versions.status).toBe(200);
    expect(versions.body.items).toEqual([
      { id: first, version: 1, approvedAt: expect.any(String) },
    ]);

    const before = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${change.id}/link`, {
      policyVersionId: first,
    });
    expect(before.status).toBe(400);
    expect(before.body.errors[0].field).toBe("policyVersionId");
    expect(before.body.detail).toMatch(/on or after the exercise/);
    const notThePlan = await org.owner.client.post(
      `/api/v1/ir-exercise-outcomes/${change.id}/link`,
      { policyVersionId: other.versionId },
    );
    expect(notThePlan.status).toBe(400);
    expect(notThePlan.body.errors[0].field).toBe("policyVersionId");

    // Version 2 of the plan, approved today.
    const draft = await org.owner.client.request("PUT", `/api/v1/policies/${plan.id}/draft`, {
      body: "# Incident Response Plan\n\nA deputy incident lead is named for every incident.\n",
    });
    expect(draft.status).toBe(200);
    expect((await org.owner.client.post(`/api/v1/policies/${plan.id}/submit`)).status).toBe(200);
    expect((await org.owner.client.post(`/api/v1/policies/${plan.id}/approve`, {})).status).toBe(
      200,
    );
    const latest = (await org.owner.client.get("/api/v1/ir-exercises/plan-versions")).body.items;
    expect(latest.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const linked = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${change.id}/link`, {
      policyVersionId: latest[0].id,
    });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({
      state: "linked",
      policyVersion: { id: latest[0].id, version: 2 },
    });
    const again = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${change.id}/close`, {
      reason: "Twice",
    });
    expect(again.status).toBe(409);
    const nothingToDo = await org.owner.client.post(
      `/api/v1/ir-exercise-outcomes/${noChange.id}/close`,
      { reason: "Nothing" },
    );
    expect(nothingToDo.status).toBe(409);

    const second = await outcome(org.owner, held.id, true);
    const closed = await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${second.id}/close`, {
      reason: "The on-call rota already covers it.",
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      state: "closed",
      closedReason: "The on-call rota already covers it.",
    });
    const shown = await org.owner.client.get(`/api/v1/ir-exercises/${held.id}`);
    expect(shown.body.outcomes.map((o: { state: string }) => o.state)).toEqual([
      "linked",
      "no_change",
      "closed",
    ]);
  });
});

describe("a real incident marked as the plan's test", () => {
  it("should name the incident, write a plan_test entry on its timeline, and be marked once", async () => {
    const incident = await storedIncident(org, {
      title: "Leaked API key",
      reportedHoursAgo: 72,
      resolvedHoursAgo: 24,
    });
    const created = await exercise(org.owner, {
      kind: "incident",
      title: "The leaked API key as the plan's test",
      incidentId: incident.id,
      heldOn: daysAgo(2),
    });
    expect(created).toMatchObject({
      kind: "incident",
      incident: {
        id: incident.id,
        reference: expect.stringMatching(/^INC-\d{4}$/),
        title: "Leaked API key",
      },
    });
    const entries = await withTenant(t.deps.db, org.id, (tx) =>
      sql<{ kind: string; body: string }>`select kind, body from incident_entries
        where incident_id = ${incident.id} and kind = 'plan_test'`.execute(tx),
    );
    expect(entries.rows).toEqual([
      { kind: "plan_test", body: expect.stringMatching(/test of the Incident Response Plan/) },
    ]);

    const twice = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "incident",
      title: "Again",
      incidentId: incident.id,
      heldOn: daysAgo(2),
    });
    expect(twice.status).toBe(409);
    expect(twice.body.errors[0].field).toBe("incidentId");

    const missing = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "incident",
      title: "No incident",
      heldOn: daysAgo(2),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe("incidentId");
    const tabletopWithIncident = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "tabletop",
      title: "Mixed",
      incidentId: incident.id,
      heldOn: daysAgo(2),
    });
    expect(tabletopWithIncident.status).toBe(400);
    expect(tabletopWithIncident.body.errors[0].field).toBe("incidentId");
  });
});

describe("who may read and write, and other organizations' ids", () => {
  it("should let an auditor read, refuse a member, and answer 404 for another organization's exercise", async () => {
    const created = await exercise(org.owner, { title: "Visible" });
    const auditor = await user(org, "auditor");
    const member = await user(org, "member");
    expect((await auditor.client.get(`/api/v1/ir-exercises/${created.id}`)).status).toBe(200);
    const listed = await auditor.client.get("/api/v1/ir-exercises?status=planned");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(created.id);
    expect((await auditor.client.post("/api/v1/ir-exercises", { kind: "tabletop" })).status).toBe(
      403,
    );
    expect((await member.client.get("/api/v1/ir-exercises")).status).toBe(403);
    expect((await member.client.get(`/api/v1/ir-exercises/${created.id}`)).status).toBe(403);
    const editor = await user(org, "editor");
    expect(
      (await editor.client.patch(`/api/v1/ir-exercises/${created.id}`, { title: "By the editor" }))
        .status,
    ).toBe(200);

    const other = await organization(t, { name: "Other Exercise Co" });
    const theirs = await exercise(other.owner, { facilitatorId: null });
    const theirOutcome = await outcome(other.owner, theirs.id, true);
    expect((await org.owner.client.get(`/api/v1/ir-exercises/${theirs.id}`)).status).toBe(404);
    expect(
      (await org.owner.client.patch(`/api/v1/ir-exercises/${theirs.id}`, { title: "Mine" })).status,
    ).toBe(404);
    expect(
      (
        await org.owner.client.post(`/api/v1/ir-exercise-outcomes/${theirOutcome.id}/close`, {
          reason: "Not mine",
        })
      ).status,
    ).toBe(404);
    const foreignIncident = await storedIncident(other);
    const bad = await org.owner.client.post("/api/v1/ir-exercises", {
      kind: "incident",
      title: "Theirs",
      incidentId: foreignIncident.id,
      heldOn: daysAgo(1),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("incidentId");
  });

  it("should page the list, the latest held first", async () => {
    const paged = await organization(t, { name: "Paged Exercise Co" });
    for (const days of [30, 10, 20])
      await exercise(paged.owner, { heldOn: daysAgo(days), facilitatorId: null });
    const first = await paged.owner.client.get("/api/v1/ir-exercises?limit=2");
    expect(first.body.items.map((e: { heldOn: string }) => e.heldOn)).toEqual([
      daysAgo(10),
      daysAgo(20),
    ]);
    const rest = await paged.owner.client.get(
      `/api/v1/ir-exercises?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(rest.body.items.map((e: { heldOn: string }) => e.heldOn)).toEqual([daysAgo(30)]);
    expect(rest.body.nextCursor).toBeNull();
  });
});
