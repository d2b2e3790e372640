import { afterEach, describe, expect, it } from "vitest";
import {
  addDays,
  DAY_MS,
  daysBetween,
  endOfDay,
  happenedBy,
  isoDay,
  knownAsOf,
  startOfDay,
} from "./dates.ts";

describe("dates", () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("should add whole days of 24 hours, forwards and backwards", () => {
    const at = new Date("2026-06-30T10:15:00.000Z");
    expect(addDays(at, 7).toISOString()).toBe("2026-07-07T10:15:00.000Z");
    expect(addDays(at, -30).toISOString()).toBe("2026-05-31T10:15:00.000Z");
    expect(addDays(at, 0).getTime()).toBe(at.getTime());
    expect(addDays(at, 0.5).getTime() - at.getTime()).toBe(DAY_MS / 2);
  });

  it("should count days across a daylight saving change as UTC days", () => {
    // Europe changes its clocks on 2026-03-29 and 2026-10-25; a local day there is 23 or 25 h.
    process.env.TZ = "Europe/Berlin";
    const spring = new Date("2026-03-28T12:00:00.000Z");
    expect(addDays(spring, 2).toISOString()).toBe("2026-03-30T12:00:00.000Z");
    const autumn = new Date("2026-10-24T23:30:00.000Z");
    expect(addDays(autumn, 1).toISOString()).toBe("2026-10-25T23:30:00.000Z");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
  });

  it("should name a moment's UTC day, not the local one", () => {
    process.env.TZ = "Pacific/Kiritimati"; // UTC+14: locally already the next day
    expect(isoDay(new Date("2026-03-29T23:30:00.000Z"))).toBe("2026-03-29");
    process.env.TZ = "America/Los_Angeles";
    expect(isoDay(new Date("2026-03-30T00:00:00.000Z"))).toBe("2026-03-30");
    expect(isoDay(new Date("2026-03-29T23:59:59.999Z"))).toBe("2026-03-29");
  });

  it("should read a day as its first and last instants", () => {
    expect(startOfDay("2026-03-31").toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(endOfDay("2026-03-31").toISOString()).toBe("2026-03-31T23:59:59.999Z");
    expect(endOfDay("2026-03-31").getTime() + 1).toBe(startOfDay("2026-04-01").getTime());
    expect(isoDay(endOfDay("2026-12-31"))).toBe("2026-12-31");
  });

  it("should count whole days between days, negative backwards, across years and leap days", () => {
    expect(daysBetween("2026-03-31", "2026-03-31")).toBe(0);
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2027-01-01", "2026-12-31")).toBe(-1);
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
  });

  it("should see a dated fact only from its moment on", () => {
    const at = new Date("2026-06-30T00:00:00.000Z");
    expect(happenedBy(at, new Date(at.getTime() - 1))).toBe(false);
    expect(happenedBy(at, at)).toBe(true);
    expect(happenedBy(at, new Date(at.getTime() + 1))).toBe(true);
    expect(knownAsOf(at, new Date(at.getTime() - 1))).toBeNull();
    expect(knownAsOf(at, at)).toBe(at);
    expect(knownAsOf(at, addDays(at, 1))).toBe(at);
    expect(knownAsOf(null, at)).toBeNull();
  });
});
