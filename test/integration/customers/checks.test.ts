import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  backdateCustomer,
  customer,
  disposal,
  organization,
  person,
  system,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * customer-data-retention's checks through the API, now and ?asOf=, with customers' histories
 * backdated: retention-agreed (every active customer has a retention requirement) and
 * disposal-on-time (a disposal record per data store of every ended contract within the
 * retention period; due soon 14 days before; a customer without a requirement fails).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CONTROL = "customer-data-retention";
type Org = Awaited<ReturnType<typeof organization>>;
const agreed = (org: Org, asOf?: string) => testOf(org, CONTROL, "retention-agreed", asOf);
const onTime = (org: Org, asOf?: string) => testOf(org, CONTROL, "disposal-on-time", asOf);
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

describe("retention-agreed", () => {
  it("is not applicable without an active customer, passing when each has a requirement", async () => {
    const org = await organization(t);
    expect((await agreed(org)).state).toBe("not_applicable");
    // Ended and upcoming contracts are not active.
    await customer(org, { endedDaysAgo: 10, retention: null });
    await customer(org, { startedDaysAgo: -30, retention: null });
    expect((await agreed(org)).state).toBe("not_applicable");
    await customer(org, { retention: 60 });
    await customer(org, { retention: "policy" });
    const passing = await agreed(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toBe(
      "Every active customer has a retention requirement (2 customers).",
    );
  });

  it("fails naming each active customer without one, and reads the past as it stood", async () => {
    const org = await organization(t);
    const none = await customer(org, { name: "Nordic Bank", retention: null });
    await customer(org, { retention: 30 });
    await backdateCustomer(org, none.id, 10);
    const failing = await agreed(org);
    expect(failing.state).toBe("failing");
    expect(failing.message).toBe("1 active customer of 2 has no retention requirement.");
    expect(failing.offenders).toEqual([
      {
        kind: "customer",
        id: none.id,
        label: "Nordic Bank",
        link: `/customers/${none.id}`,
        state: "failing",
        action:
          "Record the retention period agreed with Nordic Bank, or apply the organization's default retention period to it.",
      },
    ]);
    // Applying the default is an explicit act, recorded on the customer.
    const applied = await org.owner.client.patch(`/api/v1/customers/${none.id}`, {
      retention: "policy",
    });
    expect(applied.status).toBe(200);
    expect(applied.body.retention).toMatchObject({
      basis: "policy",
      days: 90,
      policyDefault: {
        name: "Organization default retention period",
        appliedBy: { id: org.owner.id },
      },
    });
    expect((await agreed(org)).state).toBe("passing");
    // Five days ago it had none.
    expect((await agreed(org, dayAgo(5))).state).toBe("failing");
    // Before it was entered, only the other customer (entered today) … nobody was active.
    expect((await agreed(org, dayAgo(20))).state).toBe("not_applicable");
  });
});

describe("disposal-on-time", () => {
  it("is not applicable before any contract ended, passing while no deadline is near", async () => {
    const org = await organization(t);
    await customer(org, { retention: 30 });
    expect((await onTime(org)).state).toBe("not_applicable");
    await customer(org, { endedDaysAgo: 10, retention: 60 });
    const passing = await onTime(org);
    expect(passing.state).toBe("passing");
  });

  it("is due soon within 14 days of a deadline, failing past it with the days late", async () => {
    const org = await organization(t);
    const store = await system(org, { name: "Ledger DB", customerData: true });
    const soon = await customer(org, {
      name: "Soon Co",
      endedDaysAgo: 20,
      retention: 30,
      systemIds: [store.id],
    });
    const dueSoon = await onTime(org);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders).toEqual([
      expect.objectContaining({
        kind: "customer",
        id: soon.id,
        label: "Soon Co: Ledger DB",
        state: "due_soon",
        action: `Dispose of Soon Co's data in Ledger DB by ${dayAgo(-10)} and record it.`,
      }),
    ]);
    const late = await customer(org, {
      name: "Late Co",
      endedDaysAgo: 100,
      retention: 30,
      systemIds: [store.id],
    });
    const failing = await onTime(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenderCount).toBe(2);
    expect(failing.offenders[0]).toEqual({
      kind: "customer",
      id: late.id,
      label: "Late Co: Ledger DB",
      link: `/customers/${late.id}`,
      state: "failing",
      dueAt: `${dayAgo(69)}T00:00:00.000Z`,
      action: `Dispose of Late Co's data in Ledger DB and record it: it was due by ${dayAgo(70)}, 70 days late.`,
    });
    expect(failing.message).toBe(
      "1 disposal is past due or without a known deadline, among 2 customers whose contract ended.",
    );
  });

  it("fails for an ended customer without a retention requirement", async () => {
    const org = await organization(t);
    const unknown = await customer(org, { name: "Vague Ltd", endedDaysAgo: 5, retention: null });
    const failing = await onTime(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenders).toEqual([
      expect.objectContaining({
        kind: "customer",
        id: unknown.id,
        label: "Vague Ltd",
        state: "failing",
      }),
    ]);
  });

  it("passes once the overdue task is recorded, shows its lateness, and keeps the past", async () => {
    const org = await organization(t);
    const a = await system(org, { name: "Orders DB", customerData: true });
    const b = await system(org, { name: "Tickets", customerData: true });
    const late = await customer(org, { endedDaysAgo: 100, retention: 30, systemIds: [a.id, b.id] });
    await backdateCustomer(org, late.id, 150);
    // 80 days ago the deadline was 10 days ahead: due soon; 60 days ago, 10 days late.
    expect((await onTime(org, dayAgo(80))).state).toBe("due_soon");
    const then = await onTime(org, dayAgo(60));
    expect(then.state).toBe("failing");
    expect(then.offenders.map((o) => o.action)).toEqual([
      expect.stringContaining("10 days late"),
      expect.stringContaining("10 days late"),
    ]);
    // One data store disposed of on time (recorded later), the other today: 70 days late.
    const who = await person(org, { name: "Dana Ops" });
    await disposal(org, late.id, { systemId: a.id, disposedDaysAgo: 75, personId: who.id });
    expect((await onTime(org)).offenders).toHaveLength(1);
    const { view } = await disposal(org, late.id, { systemId: b.id, personId: who.id });
    expect((await onTime(org)).state).toBe("passing");
    expect(view.status).toBe("disposal_complete");
    expect(
      view.tasks.map((task: { state: string; daysLate: number }) => [task.state, task.daysLate]),
    ).toEqual([
      ["done", 0],
      ["done_late", 70],
    ]);
    // The records are dated today: as of 30 days ago both tasks were still overdue.
    expect((await onTime(org, dayAgo(30))).offenderCount).toBe(2);
  });
});
