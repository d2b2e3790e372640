import { describe, expect, it } from "vitest";
import { controlStatus } from "./control-status.ts";

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
