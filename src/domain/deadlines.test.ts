import { describe, expect, it } from "vitest";
import { addDays, DAY_MS } from "./dates.ts";
import {
  type DaysBySeverity,
  deadlineForSeverity,
  deadlineState,
  dueAt,
  dueState,
  isDueSoon,
  isOverdue,
  latestStartDueSoon,
  trackDeadline,
  trackSeverityDeadline,
} from "./deadlines.ts";

const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

describe("deadlines", () => {
  const deadline = new Date("2026-06-30T00:00:00Z");

  it("should pass before the warning window, be due soon inside it, and fail after", () => {
    expect(deadlineState(deadline, new Date("2026-05-01T00:00:00Z"), 30)).toBe("passing");
    expect(deadlineState(deadline, new Date("2026-06-15T00:00:00Z"), 30)).toBe("due_soon");
    expect(deadlineState(deadline, new Date("2026-06-30T00:00:00Z"), 30)).toBe("due_soon");
    expect(deadlineState(deadline, new Date("2026-06-30T00:00:01Z"), 30)).toBe("failing");
  });

  it("should still be in time at the deadline's instant and overdue one ms after", () => {
    expect(isOverdue(deadline, ms(deadline, -1))).toBe(false);
    expect(isOverdue(deadline, deadline)).toBe(false);
    expect(isOverdue(deadline, ms(deadline, 1))).toBe(true);
    expect(dueState(deadline, ms(deadline, -1), 0)).toBe("open");
    expect(dueState(deadline, deadline, 0)).toBe("due_soon");
    expect(dueState(deadline, ms(deadline, 1), 0)).toBe("overdue");
  });

  it("should come due soon exactly at the window's edge, not one ms before", () => {
    const edge = addDays(deadline, -14);
    expect(dueState(deadline, ms(edge, -1), 14)).toBe("open");
    expect(dueState(deadline, edge, 14)).toBe("due_soon");
    expect(dueState(deadline, ms(edge, 1), 14)).toBe("due_soon");
    expect(isDueSoon(deadline, ms(edge, -1), 14)).toBe(false);
    expect(isDueSoon(deadline, edge, 14)).toBe(true);
    expect(isDueSoon(deadline, ms(deadline, 1), 14)).toBe(false);
  });

  it("should count a deadline in whole UTC days from its start, across daylight saving", () => {
    const received = new Date("2026-03-25T09:00:00.000Z");
    expect(dueAt(received, 7).toISOString()).toBe("2026-04-01T09:00:00.000Z");
    expect(dueAt(received, 7).getTime() - received.getTime()).toBe(7 * DAY_MS);
  });

  it("should select by start exactly what dueState finds due soon or overdue", () => {
    const asOf = new Date("2026-07-10T12:00:00.000Z");
    const cutoff = latestStartDueSoon(asOf, 7, 2);
    expect(cutoff.toISOString()).toBe("2026-07-05T12:00:00.000Z");
    expect(dueState(dueAt(cutoff, 7), asOf, 2)).toBe("due_soon");
    expect(dueState(dueAt(ms(cutoff, 1), 7), asOf, 2)).toBe("open");
    expect(dueState(dueAt(addDays(cutoff, -3), 7), asOf, 2)).toBe("overdue");
  });

  describe("a deadline for something that gets done", () => {
    const received = new Date("2026-06-01T12:00:00.000Z");
    const due = addDays(received, 7);

    it("should be met when done by the deadline, its instant included", () => {
      const asOf = addDays(received, 30);
      expect(trackDeadline(received, 7, due, asOf, 2)).toEqual({
        dueAt: due,
        status: "met",
        doneAt: due,
      });
      expect(trackDeadline(received, 7, ms(due, -1), asOf, 2).status).toBe("met");
    });

    it("should be late when done one ms after the deadline", () => {
      expect(trackDeadline(received, 7, ms(due, 1), addDays(received, 30), 2).status).toBe("late");
    });

    it("should run open, then due soon, then overdue while not done", () => {
      expect(trackDeadline(received, 7, null, addDays(received, 1), 2).status).toBe("open");
      expect(trackDeadline(received, 7, null, ms(addDays(received, 5), -1), 2).status).toBe("open");
      expect(trackDeadline(received, 7, null, addDays(received, 5), 2).status).toBe("due_soon");
      expect(trackDeadline(received, 7, null, due, 2).status).toBe("due_soon");
      expect(trackDeadline(received, 7, null, ms(due, 1), 2)).toEqual({
        dueAt: due,
        status: "overdue",
        doneAt: null,
      });
    });

    it("should not count as done before the moment it was done", () => {
      const doneAt = addDays(received, 3);
      expect(trackDeadline(received, 7, doneAt, ms(doneAt, -1), 2)).toEqual({
        dueAt: due,
        status: "open",
        doneAt: null,
      });
      expect(trackDeadline(received, 7, doneAt, doneAt, 2).status).toBe("met");
      const lateDone = addDays(received, 9);
      expect(trackDeadline(received, 7, lateDone, addDays(received, 8), 2).status).toBe("overdue");
      expect(trackDeadline(received, 7, lateDone, lateDone, 2).status).toBe("late");
    });
  });

  describe("deadlines per severity", () => {
    type Severity = "critical" | "high" | "medium" | "low";
    const days: DaysBySeverity<Severity> = { critical: 7, high: 30, medium: 90, low: 180 };
    const found = new Date("2026-01-10T08:00:00.000Z");

    it("should give each severity its own number of days from the start", () => {
      expect(deadlineForSeverity(found, "critical", days).toISOString()).toBe(
        "2026-01-17T08:00:00.000Z",
      );
      expect(deadlineForSeverity(found, "high", days)).toEqual(addDays(found, 30));
      expect(deadlineForSeverity(found, "low", days)).toEqual(addDays(found, 180));
    });

    it("should track a severity's deadline as of a moment", () => {
      const due = addDays(found, 7);
      expect(trackSeverityDeadline(found, "critical", days, null, ms(due, 1), 2).status).toBe(
        "overdue",
      );
      expect(trackSeverityDeadline(found, "medium", days, null, ms(due, 1), 14)).toEqual({
        dueAt: addDays(found, 90),
        status: "open",
        doneAt: null,
      });
      expect(trackSeverityDeadline(found, "high", days, due, addDays(found, 60), 7).status).toBe(
        "met",
      );
    });

    it("should refuse a severity the table does not set", () => {
      expect(() => deadlineForSeverity(found, "unknown" as Severity, days)).toThrow(RangeError);
    });
  });
});
