import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { backdateSystem, organization, sqlScanImport, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * vulnerability-patch-management-policy's scans-recent: not applicable until a system is marked
 * scanned; a system never scanned is due 90 days after it was marked (due soon 14 days
 * before); one scanned is due 90 days after its latest scan; now and ?asOf=.
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
  testOf(org, "vulnerability-patch-management-policy", "scans-recent", asOf);

describe("scans-recent", () => {
  it("goes through not applicable, passing, due soon and failing, now and as of a day", async () => {
    const org = await organization(t);
    await system(org, { scanned: false });
    expect((await check(org)).state).toBe("not_applicable");

    const sys = await system(org, { name: "api-1", scanned: true });
    expect((await check(org)).state).toBe("passing");
    await backdateSystem(org, sys.id, 80);
    const soon = await check(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders).toEqual([
      expect.objectContaining({
        kind: "system",
        id: sys.id,
        label: "api-1",
        link: `/systems/${sys.id}`,
        state: "due_soon",
        action: expect.stringContaining(`Import a scan of api-1 by ${day(10)}`),
      }),
    ]);
    expect((await check(org, day(-50))).state).toBe("passing");
    expect((await check(org, day(-81))).state).toBe("not_applicable");

    await backdateSystem(org, sys.id, 100);
    const failing = await check(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenders[0]?.action).toContain("none was imported since it was marked scanned");

    await sqlScanImport(org, sys.id, 95);
    const stale = await check(org);
    expect(stale.state).toBe("failing");
    expect(stale.offenders[0]?.action).toBe(`Import a scan of api-1: the last was on ${day(-95)}.`);
    // As of 10 days ago that scan was 85 days old: due soon, by the day it turned 90.
    const then = await check(org, day(-10));
    expect(then.state).toBe("due_soon");
    expect(then.offenders[0]?.action).toBe(
      `Import a scan of api-1 by ${day(-5)}: the last was on ${day(-95)}.`,
    );
    await sqlScanImport(org, sys.id, 20);
    expect((await check(org)).state).toBe("passing");
    // As of 10 days ago the scan of 20 days ago was the latest; as of 7 days ago, before it,
    // the one of 95 days ago was 88 days old (due soon), as of 15 days ago 80 (passing).
    expect((await check(org, day(-10))).state).toBe("passing");
    expect((await check(org, day(-8))).state).toBe("passing");
    expect((await check(org, day(-30))).state).toBe("passing");
    expect((await check(org, day(-50))).state).toBe("passing");
  });
});
