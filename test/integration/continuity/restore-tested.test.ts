import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { backdateSystem } from "../../factories/findings.ts";
import {
  backdateRestoreTest,
  type Org,
  organization,
  restoreTest,
  system,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * backup-restoration-testing's restore-tested through the API, now and ?asOf=, with restore
 * tests and systems moved into the past: every backed-up system has a successful restore test
 * (at least one integrity check, all passed) within 365 days; due soon from 30 days before
 * that; failing for no test, only failed or unverified ones, or one too old; not applicable
 * without a backed-up system; a withdrawn test counts until it was withdrawn.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const restoreTested = (org: Org, asOf?: string) =>
  testOf(org, "backup-restoration-testing", "restore-tested", asOf);
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

/** A backed-up system that has existed for `days` days. */
async function backedUp(org: Org, name: string, days = 800) {
  const made = await system(org, { name, backedUp: true });
  await backdateSystem(org, made.id, days);
  return made;
}

/** A restore test recorded then moved `days` into the past. */
async function testedDaysAgo(org: Org, systemId: string, days: number, passed = true) {
  const made = await restoreTest(org, systemId, {
    checks: [{ name: "Row counts per table", passed, detail: passed ? "Equal." : "3 missing." }],
  });
  await backdateRestoreTest(org, made.id, days);
  return made;
}

describe("restore-tested", () => {
  it("is not applicable while no system is backed up, archived or not yet backed up", async () => {
    const org = await organization(t);
    await system(org, { backedUp: false });
    await system(org, { backedUp: true, archived: true });
    expect((await restoreTested(org)).state).toBe("not_applicable");
    const later = await system(org, { backedUp: true });
    expect((await restoreTested(org)).state).toBe("failing");
    // Before the system existed, nothing was backed up.
    expect((await restoreTested(org, dayAgo(2))).state).toBe("not_applicable");
    expect(later.id).toBeTruthy();
  });

  it("fails for a backed-up system never tested, naming it with a link to the form", async () => {
    const org = await organization(t);
    const db = await backedUp(org, "Customer database");
    const result = await restoreTested(org);
    expect(result.state).toBe("failing");
    expect(result.offenders).toHaveLength(1);
    expect(result.offenders[0]).toMatchObject({
      id: db.id,
      label: "Customer database",
      link: `/continuity/restore-tests/new?system=${db.id}`,
      state: "failing",
    });
    expect(result.offenders[0]?.action).toContain("it has none");
  });

  it("passes with a successful test within the year, and comes due 30 days before it ends", async () => {
    const org = await organization(t);
    const db = await backedUp(org, "Orders database");
    await testedDaysAgo(org, db.id, 340);
    const now = await restoreTested(org);
    expect(now.state).toBe("due_soon");
    expect(now.offenders[0]).toMatchObject({ id: db.id, state: "due_soon" });
    expect(now.offenders[0]?.dueAt?.slice(0, 10)).toBe(isoDay(addDays(new Date(), 25)));
    // 20 days ago it was 320 days old: passing.
    expect((await restoreTested(org, dayAgo(20))).state).toBe("passing");
    // Before it was performed (and recorded), the system had none.
    expect((await restoreTested(org, dayAgo(341))).state).toBe("failing");
  });

  it("fails once the last successful test is more than 365 days old", async () => {
    const org = await organization(t);
    const db = await backedUp(org, "Files bucket");
    await testedDaysAgo(org, db.id, 400);
    const now = await restoreTested(org);
    expect(now.state).toBe("failing");
    expect(now.offenders[0]?.action).toContain(`on ${dayAgo(400)}, is more than 365 days old`);
    expect((await restoreTested(org, dayAgo(100))).state).toBe("passing");
    expect((await restoreTested(org, dayAgo(50))).state).toBe("due_soon");
    // Recording a new successful test puts it right.
    await restoreTest(org, db.id);
    expect((await restoreTested(org)).state).toBe("passing");
  });

  it("fails when the only tests failed an integrity check or ran none", async () => {
    const org = await organization(t);
    const db = await backedUp(org, "Ledger");
    await testedDaysAgo(org, db.id, 10, false);
    const failed = await restoreTested(org);
    expect(failed.state).toBe("failing");
    expect(failed.offenders[0]?.action).toContain("its one test failed an integrity check");
    await restoreTest(org, db.id, { checks: [] });
    const unverified = await restoreTested(org);
    expect(unverified.state).toBe("failing");
    expect(unverified.offenders[0]?.action).toContain("all 2 of its tests");
  });

  it("passes when every backed-up system is tested, and names only those that are not", async () => {
    const org = await organization(t);
    const tested = await backedUp(org, "Tested one");
    const untested = await backedUp(org, "Untested one");
    await testedDaysAgo(org, tested.id, 30);
    const result = await restoreTested(org);
    expect(result.state).toBe("failing");
    expect(result.offenders.map((o) => o.id)).toEqual([untested.id]);
    await testedDaysAgo(org, untested.id, 5);
    const passing = await restoreTested(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toContain("2 backed-up systems");
  });

  it("counts a withdrawn test until it was withdrawn", async () => {
    const org = await organization(t);
    const db = await backedUp(org, "Warehouse");
    const made = await testedDaysAgo(org, db.id, 60);
    expect((await restoreTested(org)).state).toBe("passing");
    const withdrawn = await org.owner.client.post(
      `/api/v1/continuity/restore-tests/${made.id}/withdraw`,
      { reason: "It was the staging system's backup, not this one's." },
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnReason).toContain("staging");
    expect((await restoreTested(org)).state).toBe("failing");
    expect((await restoreTested(org, dayAgo(1))).state).toBe("passing");
  });
});
