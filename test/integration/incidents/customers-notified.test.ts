import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { type Org, organization, storedIncident } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * critical-information-communication / customers-notified through the API, now and ?asOf=,
 * with backdated incidents and notices: every confirmed incident marked as affecting customers
 * has a linked notice published and its subscribers told within 72 hours (customerNoticeHours)
 * of the later of its confirmation and its marking; due soon in the last 24 hours; a notice
 * that came late keeps the test failing for that incident; not applicable without one.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CONTROL = "critical-information-communication";
const check = (org: Org, asOf?: string) => testOf(org, CONTROL, "customers-notified", asOf);
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const asOfHoursAgo = (hours: number) => hoursAgo(hours).toISOString();

/**
 * A notice about the incident through the API, published (mailing subscribers or not), then
 * moved back: published and subscribers told so many hours ago.
 */
async function publishedNotice(
  org: Org,
  incidentId: string,
  times: { publishedHoursAgo: number; notifiedHoursAgo: number | null },
) {
  const draft = await org.owner.client.post(`/api/v1/incidents/${incidentId}/notices`, {});
  expect(draft.status).toBe(201);
  const published = await org.owner.client.post(`/api/v1/notices/${draft.body.id}/publish`, {
    notifySubscribers: times.notifiedHoursAgo !== null,
  });
  expect(published.status).toBe(200);
  await withTenant(t.deps.db, org.id, (tx) =>
    tx
      .updateTable("notices")
      .set({
        published_at: hoursAgo(times.publishedHoursAgo),
        subscribers_notified_at:
          times.notifiedHoursAgo === null ? null : hoursAgo(times.notifiedHoursAgo),
      })
      .where("id", "=", draft.body.id)
      .execute(),
  );
  await reevaluate(t.deps.db, org.id);
  return draft.body.id as string;
}

/** Marks an incident as affecting customers so many hours ago, as the service records it. */
async function markCustomersAffected(org: Org, incidentId: string, hours: number) {
  await withTenant(t.deps.db, org.id, async (tx) => {
    await tx
      .updateTable("incidents")
      .set({ customers_affected: true, customers_affected_at: hoursAgo(hours) })
      .where("id", "=", incidentId)
      .execute();
    await sql`insert into incident_entries
        (organization_id, incident_id, kind, from_value, to_value, author_id, occurred_at, created_at)
      values (${org.id}, ${incidentId}, 'customers', 'false', 'true', ${org.owner.id},
        ${hoursAgo(hours)}, ${hoursAgo(hours)})`.execute(tx);
  });
  await reevaluate(t.deps.db, org.id);
}

describe("customers-notified", () => {
  it("should not apply without a confirmed incident affecting customers", async () => {
    const org = await organization(t);
    expect((await check(org)).state).toBe("not_applicable");
    await storedIncident(org, { reportedHoursAgo: 200 });
    await storedIncident(org, { reportedHoursAgo: 5, triagedHoursAgo: null });
    expect((await check(org)).state).toBe("not_applicable");
    // Affecting customers but not yet confirmed: nothing is due until triage.
    await storedIncident(org, {
      reportedHoursAgo: 100,
      triagedHoursAgo: null,
      customersAffected: true,
    });
    const result = await check(org);
    expect(result.state).toBe("not_applicable");
    expect(result.message).toContain("No confirmed incident");
  });

  it("should pass while there is time, come due in the last 24 hours and fail past 72", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, {
      title: "Card data exposed",
      reportedHoursAgo: 60,
      triagedHoursAgo: 55,
      customersAffected: true,
    });
    // 55 hours after confirmation: 17 left, inside the 24-hour warning.
    const due = await check(org);
    expect(due.state).toBe("due_soon");
    expect(due.offenders).toHaveLength(1);
    expect(due.offenders[0]).toMatchObject({
      kind: "incident",
      id,
      label: "INC-0001 Card data exposed",
      link: `/incidents/${id}`,
      state: "due_soon",
    });
    expect(due.offenders[0]?.action).toContain("Publish a notice about INC-0001");
    expect(Date.parse(due.offenders[0]?.dueAt ?? "")).toBeCloseTo(hoursAgo(55 - 72).getTime(), -4);
    // As of 40 hours ago (15 after confirmation): still time.
    expect((await check(org, asOfHoursAgo(40))).state).toBe("passing");
    // As of before the confirmation: nothing confirmed yet.
    expect((await check(org, asOfHoursAgo(58))).state).toBe("not_applicable");

    const late = await organization(t);
    const { id: lateId } = await storedIncident(late, {
      reportedHoursAgo: 90,
      triagedHoursAgo: 80,
      customersAffected: true,
    });
    const failing = await check(late);
    expect(failing.state).toBe("failing");
    expect(failing.offenders[0]).toMatchObject({ id: lateId, state: "failing" });
    expect(failing.offenders[0]?.action).toContain("the notice was due by");
    expect((await check(late, asOfHoursAgo(20))).state).toBe("due_soon");
    expect((await check(late, asOfHoursAgo(60))).state).toBe("passing");
  });

  it("should pass once a notice is published and subscribers told in time, as of then", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, {
      reportedHoursAgo: 200,
      triagedHoursAgo: 190,
      customersAffected: true,
    });
    expect((await check(org)).state).toBe("failing");
    await publishedNotice(org, id, { publishedHoursAgo: 170, notifiedHoursAgo: 170 });
    const passing = await check(org);
    expect(passing.state).toBe("passing");
    expect(passing.offenders).toEqual([]);
    // As of after the notice, and as of before it while there was time: passing.
    expect((await check(org, asOfHoursAgo(140))).state).toBe("passing");
    expect((await check(org, asOfHoursAgo(185))).state).toBe("passing");
  });

  it("should fail for an incident whose notice came after the deadline, even once published", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, {
      title: "Outage of the API",
      reportedHoursAgo: 130,
      triagedHoursAgo: 120,
      customersAffected: true,
    });
    await publishedNotice(org, id, { publishedHoursAgo: 30, notifiedHoursAgo: 30 });
    const result = await check(org);
    expect(result.state).toBe("failing");
    expect(result.offenders[0]?.id).toBe(id);
    expect(result.offenders[0]?.action).toContain("after the deadline");
    // As of before the notice: overdue; as of inside the window: passing.
    const before = await check(org, asOfHoursAgo(40));
    expect(before.state).toBe("failing");
    expect(before.offenders[0]?.action).toContain("was due by");
    expect((await check(org, asOfHoursAgo(100))).state).toBe("passing");
    expect((await check(org, asOfHoursAgo(60))).state).toBe("due_soon");

    // Resolved more than a year ago, a late notice no longer counts.
    const old = await organization(t);
    const { id: oldId } = await storedIncident(old, {
      reportedHoursAgo: 500 * 24,
      triagedHoursAgo: 499 * 24,
      resolvedHoursAgo: 400 * 24,
      customersAffected: true,
    });
    await publishedNotice(old, oldId, {
      publishedHoursAgo: 490 * 24,
      notifiedHoursAgo: 490 * 24,
    });
    expect((await check(old)).state).toBe("passing");
    expect((await check(old, asOfHoursAgo(450 * 24))).state).toBe("failing");
  });

  it("should count a notice only once its subscribers are told", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, {
      reportedHoursAgo: 100,
      triagedHoursAgo: 96,
      customersAffected: true,
    });
    const noticeId = await publishedNotice(org, id, {
      publishedHoursAgo: 90,
      notifiedHoursAgo: null,
    });
    // On the trust center but never mailed: past 72 hours, failing.
    expect((await check(org)).state).toBe("failing");
    const update = await org.owner.client.post(`/api/v1/notices/${noticeId}/updates`, {
      body: "We have contained the incident.",
      notifySubscribers: true,
    });
    expect(update.status).toBe(200);
    // Told now, after the deadline: late, still failing; as of before the deadline, passing.
    const told = await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .selectFrom("notices")
        .select("subscribers_notified_at")
        .where("id", "=", noticeId)
        .executeTakeFirstOrThrow(),
    );
    expect(told.subscribers_notified_at).not.toBeNull();
    const late = await check(org);
    expect(late.state).toBe("failing");
    expect(late.offenders[0]?.action).toContain("after the deadline");
    expect((await check(org, asOfHoursAgo(80))).state).toBe("passing");
  });

  it("should start the clock when an incident is marked as affecting customers, if later", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, { reportedHoursAgo: 300, triagedHoursAgo: 290 });
    await markCustomersAffected(org, id, 60);
    // Marked 60 hours ago: 12 hours left, due soon (not failing from the triage 290 hours ago).
    expect((await check(org)).state).toBe("due_soon");
    // Before the marking it did not affect customers.
    expect((await check(org, asOfHoursAgo(100))).state).toBe("not_applicable");
    expect((await check(org, asOfHoursAgo(30))).state).toBe("passing");
    await publishedNotice(org, id, { publishedHoursAgo: 1, notifiedHoursAgo: 1 });
    expect((await check(org)).state).toBe("passing");
  });
});
