import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import {
  apiPerson,
  type Org,
  organization,
  sqlGrant,
  sqlRoleRule,
  system,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayAgo, daysAgo, testOf } from "../access/checks-helpers.ts";
import { campaign, decideAll, inScopeSystem, shiftReview } from "./checks-helpers.ts";

/**
 * user-access-reviews' access-reviews-current through the API: not applicable without an
 * in-scope system; a system never reviewed is due a period after it came into scope; a
 * completed review that covered every grant standing at its start makes it current for its
 * period (due soon within 14 days of the end, failing after); a grant backdated into a
 * review's past makes that review cover no longer. Now and ?asOf=, with backdated data.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const current = (org: Org, asOf?: string) =>
  testOf(org, "user-access-reviews", "access-reviews-current", asOf);

/** An in-scope system with one grant (of a person who is not its owner, a year ago). */
async function systemWithGrant(org: Org, input: { reviewPeriodDays?: number; name?: string } = {}) {
  const made = await inScopeSystem(org, { days: 400, ...input });
  const personId = await apiPerson(org, { name: "Gina Granted" });
  const grantId = await sqlGrant(org, { personId, systemId: made.id });
  return { ...made, personId, grantId };
}

/** A campaign over the systems, every item kept, its dates moved `days` into the past. */
async function reviewedDaysAgo(org: Org, systemIds: string[], days: number) {
  const id = await campaign(org, systemIds);
  await decideAll(org, id, "keep");
  if (days > 0) await shiftReview(org, id, days);
  return id;
}

// Each test re-evaluates a dozen times as it moves dates: more than 30 s on a busy machine.
describe("access-reviews-current", { timeout: 90_000 }, () => {
  it("is not applicable while no system is production or holds customer data", async () => {
    const org = await organization(t);
    expect((await current(org)).state).toBe("not_applicable");
    await system(org, { production: false, customerData: false });
    expect((await current(org)).state).toBe("not_applicable");
  });

  it("dates a system never reviewed from when it came into scope", async () => {
    const org = await organization(t);
    const sys = await inScopeSystem(org, { days: 400, name: "Ledger" });
    const now = await current(org);
    expect(now.state).toBe("failing");
    expect(now.offenders).toHaveLength(1);
    expect(now.offenders[0]).toMatchObject({
      kind: "system",
      id: sys.id,
      label: "Ledger",
      link: `/systems/${sys.id}`,
      state: "failing",
    });
    expect(now.offenders[0]?.action).toMatch(/^Start an access review of Ledger: it was never/);
    expect(now.offenders[0]?.dueAt?.slice(0, 10)).toBe(dayAgo(400 - 92));
    // In scope 400 days ago, due 92 days later: due soon in the 14 days before, passing earlier.
    expect((await current(org, dayAgo(310))).state).toBe("due_soon");
    expect((await current(org, dayAgo(390))).state).toBe("passing");
    expect((await current(org, dayAgo(401))).state).toBe("not_applicable");
  });

  it("passes for a period after a covering review, due soon near its end, failing after", async () => {
    const org = await organization(t);
    const sys = await systemWithGrant(org, { name: "Billing" });
    const review = await reviewedDaysAgo(org, [sys.id], 50);
    expect((await current(org)).state).toBe("passing");
    // Before the review it had never been reviewed (in scope for 400 days): failing.
    expect((await current(org, dayAgo(60))).state).toBe("failing");

    await shiftReview(org, review, 30); // completed 80 days ago: due in 12 days
    const soon = await current(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]).toMatchObject({ id: sys.id, state: "due_soon" });
    expect(soon.offenders[0]?.action).toBe(
      `Start an access review of Billing by ${soon.offenders[0]?.dueAt?.slice(0, 10)}: its last was completed on ${dayAgo(80)}; due every 92 days.`,
    );

    await shiftReview(org, review, 20); // completed 100 days ago: 8 days overdue
    const late = await current(org);
    expect(late.state).toBe("failing");
    expect(late.offenders[0]?.dueAt?.slice(0, 10)).toBe(dayAgo(8));
    expect(late.offenders[0]?.action).toBe(
      `Start an access review of Billing: its last was completed on ${dayAgo(100)}; due every 92 days.`,
    );
    expect((await current(org, dayAgo(15))).state).toBe("due_soon");
    expect((await current(org, dayAgo(50))).state).toBe("passing");
  });

  it("follows each system's own review period", async () => {
    const org = await organization(t);
    const monthly = await systemWithGrant(org, { reviewPeriodDays: 30, name: "Vault" });
    const quarterly = await systemWithGrant(org);
    await reviewedDaysAgo(org, [monthly.id, quarterly.id], 40);
    const result = await current(org);
    expect(result.state).toBe("failing");
    expect(result.offenders.map((o) => o.id)).toEqual([monthly.id]);
    expect(result.offenders[0]?.action).toMatch(/due every 30 days\.$/);
    expect((await current(org, dayAgo(22))).state).toBe("due_soon");
  });

  it("counts a review only if it covered every grant active when it started", async () => {
    const org = await organization(t);
    const sys = await systemWithGrant(org, { name: "Payroll" });
    await reviewedDaysAgo(org, [sys.id], 85); // covering: due in 7 days
    await reviewedDaysAgo(org, [sys.id], 10); // covering: due in 82 days
    expect((await current(org)).state).toBe("passing");

    // A grant recorded now but given 30 days ago: the review started 10 days ago missed it.
    const personId = await apiPerson(org, { name: "Bob Backdated" });
    const grantId = await sqlGrant(org, { personId, systemId: sys.id, grantedAt: daysAgo(30) });
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_grants set created_at = now() where id = ${grantId}`.execute(tx),
    );
    await reevaluate(t.deps.db, org.id);
    const result = await current(org);
    expect(result.state).toBe("due_soon");
    expect(result.offenders[0]?.action).toMatch(`its last was completed on ${dayAgo(85)}`);
    // Until the grant was recorded, the latest review covered every grant known.
    expect((await current(org, dayAgo(1))).state).toBe("passing");

    // Given before both reviews started: neither covers any more; never reviewed (400 days).
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_grants set granted_at = ${daysAgo(200)} where id = ${grantId}`.execute(tx),
    );
    await reevaluate(t.deps.db, org.id);
    const uncovered = await current(org);
    expect(uncovered.state).toBe("failing");
    expect(uncovered.offenders[0]?.action).toMatch(
      `its last, completed on ${dayAgo(10)}, did not cover every grant that stood when it started`,
    );
  });

  it("counts a review no longer once a grant pending at its start is given, dated before it", async () => {
    const org = await organization(t);
    const sys = await systemWithGrant(org);
    // A joiner's grant, pending (a task for the owner) while the campaign starts.
    await sqlRoleRule(org, { jobRole: "Analyst", systemId: sys.id });
    const joiner = await apiPerson(org, { name: "Jo Joiner", jobRole: "Analyst" });
    const tasks = await org.owner.client.get(`/api/v1/access-tasks?personId=${joiner}`);
    const task = tasks.body.items[0] as { id: string };
    const before = new Date(Date.now() - 1000);
    const review = await campaign(org, [sys.id]);
    await decideAll(org, review, "keep");
    expect((await current(org)).state).toBe("passing");

    // The owner records it as given a moment before the campaign started.
    const done = await org.owner.client.post(`/api/v1/access-tasks/${task.id}/complete`, {
      at: before.toISOString(),
    });
    expect(done.status).toBe(200);
    const result = await current(org);
    expect(result.state).toBe("failing");
    expect(result.offenders[0]?.action).toMatch(
      /did not cover every grant that stood when it started/,
    );
  });
});
