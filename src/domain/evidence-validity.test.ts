import { describe, expect, it } from "vitest";
import { EXPIRING_WITHIN_DAYS, evidenceValidity, shiftDay } from "./evidence-validity.ts";

describe("evidence validity", () => {
  const today = "2026-12-02";

  it("should be expired from the day after its last valid day", () => {
    expect(evidenceValidity("2026-12-01", today)).toBe("expired");
    expect(evidenceValidity("2025-01-01", today)).toBe("expired");
  });

  it("should be expiring from its last valid day back to 30 days before it", () => {
    expect(evidenceValidity(today, today)).toBe("expiring");
    expect(evidenceValidity("2026-12-03", today)).toBe("expiring");
    expect(evidenceValidity(shiftDay(today, EXPIRING_WITHIN_DAYS), today)).toBe("expiring");
    expect(shiftDay(today, EXPIRING_WITHIN_DAYS)).toBe("2027-01-01");
  });

  it("should be valid when its last valid day is more than 30 days away", () => {
    expect(evidenceValidity("2027-01-02", today)).toBe("valid");
    expect(evidenceValidity("2030-06-30", today)).toBe("valid");
  });

  it("should count days across month, year and leap-day boundaries", () => {
    expect(shiftDay("2028-02-28", 1)).toBe("2028-02-29");
    expect(shiftDay("2028-03-01", -1)).toBe("2028-02-29");
    expect(shiftDay("2026-12-31", 1)).toBe("2027-01-01");
  });
});
