import { describe, expect, it } from "vitest";
import { controlStatus, deadlineState, endOfDay } from "./control-status.ts";

describe("control status", () => {
  it("should fail when any test fails or errors", () => {
    expect(controlStatus(["passing", "failing"])).toBe("failing");
    expect(controlStatus(["passing", "error"])).toBe("failing");
    expect(controlStatus(["due_soon", "failing", "not_evaluated"])).toBe("failing");
  });

  it("should need attention when a test is due soon", () => {
    expect(controlStatus(["passing", "due_soon"])).toBe("needs_attention");
    expect(controlStatus(["due_soon", "not_evaluated"])).toBe("needs_attention");
  });

  it("should pass when every test passes or does not apply and one passes", () => {
    expect(controlStatus(["passing", "not_applicable"])).toBe("passing");
    expect(controlStatus(["passing"])).toBe("passing");
  });

  it("should not apply when no test applies", () => {
    expect(controlStatus(["not_applicable", "not_applicable"])).toBe("not_applicable");
  });

  it("should never pass while a test is not evaluated yet", () => {
    expect(controlStatus(["passing", "not_evaluated"])).toBe("not_evaluated");
    expect(controlStatus([])).toBe("not_evaluated");
  });
});

describe("deadlines", () => {
  const deadline = new Date("2026-06-30T00:00:00Z");
  it("should pass before the warning window, be due soon inside it, and fail after", () => {
    expect(deadlineState(deadline, new Date("2026-05-01T00:00:00Z"), 30)).toBe("passing");
    expect(deadlineState(deadline, new Date("2026-06-15T00:00:00Z"), 30)).toBe("due_soon");
    expect(deadlineState(deadline, new Date("2026-06-30T00:00:00Z"), 30)).toBe("due_soon");
    expect(deadlineState(deadline, new Date("2026-06-30T00:00:01Z"), 30)).toBe("failing");
  });

  it("should read a day as its last instant", () => {
    expect(endOfDay("2026-03-31").toISOString()).toBe("2026-03-31T23:59:59.999Z");
  });
});
