import { describe, expect, it } from "vitest";
import {
  mayMove,
  NEXT_REPORT_STATES,
  REPORT_STATES,
  type ReportProgress,
  type ReportState,
  reportTransition,
} from "./report-states.ts";

const now = new Date("2026-07-01T10:00:00.000Z");
const earlier = new Date("2026-06-28T09:00:00.000Z");
const progress = (state: ReportState, dates: Partial<ReportProgress> = {}): ReportProgress => ({
  state,
  acknowledgedAt: null,
  feedbackAt: null,
  closedAt: null,
  ...dates,
});

describe("report states", () => {
  it("should move forward only, skipping steps, never back or to itself", () => {
    const order = REPORT_STATES;
    for (const from of order) {
      for (const to of order) {
        expect(mayMove(from, to), `${from} → ${to}`).toBe(
          from !== "closed" && to !== "received" && order.indexOf(to) > order.indexOf(from),
        );
      }
    }
    expect(NEXT_REPORT_STATES.closed).toEqual([]);
  });

  it("should acknowledge a received report when a handler moves it, and make a state change", () => {
    const move = reportTransition(progress("received"), { type: "move", to: "investigating" }, now);
    expect(move).toEqual({
      allowed: true,
      event: "report.state_changed",
      after: { state: "investigating", acknowledgedAt: now, feedbackAt: null, closedAt: null },
    });
  });

  it("should keep the first acknowledgement and feedback dates", () => {
    const before = progress("acknowledged", { acknowledgedAt: earlier, feedbackAt: earlier });
    const moved = reportTransition(before, { type: "move", to: "investigating" }, now);
    expect(moved.allowed && moved.after).toEqual({
      state: "investigating",
      acknowledgedAt: earlier,
      feedbackAt: earlier,
      closedAt: null,
    });
    const closed = reportTransition(before, { type: "move", to: "closed" }, now);
    expect(closed.allowed && closed.after).toEqual({
      state: "closed",
      acknowledgedAt: earlier,
      feedbackAt: earlier,
      closedAt: now,
    });
  });

  it("should count closing as acknowledgement and feedback", () => {
    const closed = reportTransition(progress("received"), { type: "move", to: "closed" }, now);
    expect(closed).toEqual({
      allowed: true,
      event: "report.state_changed",
      after: { state: "closed", acknowledgedAt: now, feedbackAt: now, closedAt: now },
    });
  });

  it("should refuse moving back, and never reopen a closed report", () => {
    expect(
      reportTransition(progress("investigating"), { type: "move", to: "acknowledged" }, now),
    ).toEqual({
      allowed: false,
      reason: "A report that is investigating cannot move to acknowledged.",
    });
    expect(
      reportTransition(progress("acknowledged"), { type: "move", to: "acknowledged" }, now),
    ).toEqual({
      allowed: false,
      reason: "A report that is acknowledged cannot move to acknowledged.",
    });
    expect(
      reportTransition(progress("closed"), { type: "move", to: "investigating" }, now),
    ).toEqual({
      allowed: false,
      reason: "This report is closed; a closed report cannot be reopened.",
    });
  });

  it("should acknowledge a received report and count as feedback with a handler's message", () => {
    expect(reportTransition(progress("received"), { type: "handler_message" }, now)).toEqual({
      allowed: true,
      event: "report.message_sent",
      after: { state: "acknowledged", acknowledgedAt: now, feedbackAt: now, closedAt: null },
    });
    const investigating = progress("investigating", { acknowledgedAt: earlier });
    expect(reportTransition(investigating, { type: "handler_message" }, now)).toEqual({
      allowed: true,
      event: "report.message_sent",
      after: { state: "investigating", acknowledgedAt: earlier, feedbackAt: now, closedAt: null },
    });
  });

  it("should let the reporter answer an open report without changing it", () => {
    const before = progress("acknowledged", { acknowledgedAt: earlier });
    expect(reportTransition(before, { type: "reporter_reply" }, now)).toEqual({
      allowed: true,
      event: "report.reporter_replied",
      after: before,
    });
  });

  it("should take no message on a closed report, from either side", () => {
    const closed = progress("closed", {
      acknowledgedAt: earlier,
      feedbackAt: earlier,
      closedAt: earlier,
    });
    expect(reportTransition(closed, { type: "handler_message" }, now)).toEqual({
      allowed: false,
      reason: "This report is closed; its thread takes no more messages.",
    });
    expect(reportTransition(closed, { type: "reporter_reply" }, now)).toEqual({
      allowed: false,
      reason: "This report is closed; submit a new report to raise something else.",
    });
  });
});
