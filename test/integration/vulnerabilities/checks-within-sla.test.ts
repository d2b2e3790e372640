import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { backdateSystem, organization, sqlFinding, system, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * vulnerability-patch-management-policy's vulnerabilities-within-sla: not applicable with no
 * finding and no scanned system; passing while every open finding is within its deadline
 * (critical 7 days from first detection…); due soon within 3 days; failing once past it;
 * resolved findings count no more; a risk acceptance approved by someone else moves the
 * deadline to its expiry; now and ?asOf=.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const day = (offset: number) => isoDay(addDays(new Date(), offset));
const check = (org: Parameters<typeof testOf>[0], asOf?: string) =>
  testOf(org, "vulnerability-patch-management-policy", "vulnerabilities-within-sla", asOf);

describe("vulnerabilities-within-sla", () => {
  it("goes through not applicable, passing, due soon and failing, now and as of a day", async () => {
    const org = await organization(t);
    expect((await check(org)).state).toBe("not_applicable");
    const sys = await system(org, { name: "api-1", scanned: true });
    await backdateSystem(org, sys.id, 30);
    // A scanned system with no finding: nothing is open.
    expect((await check(org)).state).toBe("passing");
    expect((await check(org, day(-40))).state).toBe("not_applicable");

    // A critical finding detected 5 days ago is due in 2 days: due soon.
    const critical = await sqlFinding(org, {
      systemId: sys.id,
      severity: "critical",
      detectedDaysAgo: 5,
      identifiers: ["CVE-2024-0001"],
      packageName: "openssl",
      installedVersion: "1.1.1",
    });
    const soon = await check(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders).toEqual([
      expect.objectContaining({
        kind: "finding",
        id: critical.id,
        label: "CVE-2024-0001 in openssl 1.1.1 on api-1",
        link: `/vulnerabilities/findings/${critical.id}`,
        state: "due_soon",
        action: expect.stringContaining(`Fix, or accept the risk, by ${day(2)}`),
      }),
    ]);
    // Two days after detection it was within its deadline (5 days left).
    expect((await check(org, day(-3))).state).toBe("passing");

    // A high finding detected 40 days ago is 10 days past its 30 days: failing.
    const late = await sqlFinding(org, { systemId: sys.id, severity: "high", detectedDaysAgo: 40 });
    const failing = await check(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenderCount).toBe(2);
    expect(failing.offenders.map((o) => [o.id, o.state])).toEqual([
      [late.id, "failing"],
      [critical.id, "due_soon"],
    ]);
    expect((await check(org, day(-15))).state).toBe("passing");
    expect((await check(org, day(-12))).state).toBe("due_soon");
    expect((await check(org, day(-9))).state).toBe("failing");
    // Before either was detected, with the system scanned: passing.
    expect((await check(org, day(-35))).state).toBe("passing");
  });

  it("stops counting a resolved finding from its resolution, and counts it before", async () => {
    const org = await organization(t);
    const sys = await system(org, { scanned: true });
    await backdateSystem(org, sys.id, 100);
    await sqlFinding(org, {
      systemId: sys.id,
      severity: "critical",
      detectedDaysAgo: 60,
      closed: { status: "resolved", daysAgo: 20 },
    });
    expect((await check(org)).state).toBe("passing");
    expect((await check(org, day(-30))).state).toBe("failing");
    expect((await check(org, day(-55))).state).toBe("due_soon");
  });

  it("counts an accepted risk from the acceptance's expiry, and again once it expired", async () => {
    const org = await organization(t);
    const admin = await user(org, "admin");
    const sys = await system(org, { scanned: true });
    const finding = await sqlFinding(org, {
      systemId: sys.id,
      severity: "critical",
      detectedDaysAgo: 10,
    });
    expect((await check(org)).state).toBe("failing");
    const asked = await org.owner.client.post(`/api/v1/findings/${finding.id}/risk-acceptances`, {
      reason: "Not reachable from the internet; the fix ships next quarter.",
      expiresAt: addDays(new Date(), 60).toISOString(),
      approverId: admin.id,
    });
    expect(asked.status).toBe(201);
    expect((await check(org)).state).toBe("failing");
    const approved = await admin.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    expect((await check(org)).state).toBe("passing");
    // Before the approval it was failing; past the expiry it counts again (no job needed).
    expect((await check(org, day(-1))).state).toBe("failing");
    expect((await check(org, day(61))).state).toBe("failing");
    expect((await check(org, day(58))).state).toBe("due_soon");
  });
});
