import { describe, expect, it } from "vitest";
import { failuresToCountFrom, lockDelayMs, MAX_DELAY_MS } from "./sign-in-backoff.ts";

describe("sign-in backoff", () => {
  it("should leave four failures free, then wait 1, 2, 4, 8 minutes and never more than 15", () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 10_000].map((n) => lockDelayMs(n) / 60_000);
    expect(minutes).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]);
    expect(lockDelayMs(Number.MAX_SAFE_INTEGER)).toBe(MAX_DELAY_MS);
  });

  it("should forget failures a day after the last attempt", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    expect(failuresToCountFrom(7, new Date("2026-12-01T13:00:00Z"), now)).toBe(7);
    expect(failuresToCountFrom(7, new Date("2026-12-01T11:59:00Z"), now)).toBe(0);
  });
});
