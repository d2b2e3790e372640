import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { type Org, organization, storedIncident } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * incident-tracking's checks through the API, now and ?asOf=, with incidents stored as if they
 * had happened in the past: incidents-triaged (severity and owner set within 24 hours of the
 * report; due soon in the last 6; a late triage fails while open and for a year after the
 * resolution) and incidents-progressing (an open incident's last timeline entry within the
 * interval of the severity in force: critical 1 day, high 3, medium 7, low 14; due soon in the
 * last quarter), each read from the history as it stood then.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CONTROL = "incident-tracking";
const HOUR_MS = 3_600_000;
const triaged = (org: Org, asOf?: string) => testOf(org, CONTROL, "incidents-triaged", asOf);
const progressing = (org: Org, asOf?: string) =>
  testOf(org, CONTROL, "incidents-progressing", asOf);
/** An exact moment so many hours ago, as ?asOf= takes it. */
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS).toISOString();
/** A day so many days ago (read as the end of that day). */
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

async function reportedAt(org: Org, id: string): Promise<Date> {
  const row = await withTenant(org.t.deps.db, org.id, (tx) =>
    tx.selectFrom("incidents").select("reported_at").where("id", "=", id).executeTakeFirstOrThrow(),
  );
  return new Date(row.reported_at);
}

describe("incidents-triaged", () => {
  it("is not applicable before any report, passing once triaged in time", async () => {
    const org = await organization(t);
    expect((await triaged(org)).state).toBe("not_applicable");
    await storedIncident(org, { reportedHoursAgo: 72, triagedHoursAgo: 70 });
    const passing = await triaged(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toBe(
      "Every incident open or resolved within the last year was triaged within 24 hours of its report, with a severity and an owner (1 incident reported).",
    );
    expect((await triaged(org, dayAgo(4))).state).toBe("not_applicable");
    // An hour after the report it was not triaged yet, and in time.
    expect((await triaged(org, hoursAgo(71))).state).toBe("passing");
  });

  it("is due soon in the last six hours of the window and failing past it, naming the incidents", async () => {
    const org = await organization(t);
    const soon = await storedIncident(org, {
      title: "Phishing wave",
      reportedHoursAgo: 20,
      triagedHoursAgo: null,
    });
    const dueSoon = await triaged(org);
    expect(dueSoon.state).toBe("due_soon");
    const due = new Date((await reportedAt(org, soon.id)).getTime() + 24 * HOUR_MS);
    const moment = `${due.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    expect(dueSoon.offenders).toEqual([
      {
        kind: "incident",
        id: soon.id,
        label: "INC-0001 Phishing wave",
        link: `/incidents/${soon.id}`,
        state: "due_soon",
        dueAt: due.toISOString(),
        action: `Triage INC-0001 by ${moment}: set its severity and an owner.`,
      },
    ]);
    // 15 hours after the report it was not due yet.
    expect((await triaged(org, hoursAgo(5))).state).toBe("passing");

    const late = await storedIncident(org, {
      title: "Lost laptop",
      reportedHoursAgo: 30,
      triagedHoursAgo: null,
    });
    const failing = await triaged(org);
    expect(failing.state).toBe("failing");
    expect(failing.message).toBe("1 incident of 2 reported was not triaged within 24 hours.");
    expect(failing.offenderCount).toBe(2);
    expect(failing.offenders.map((o) => [o.id, o.state])).toEqual([
      [late.id, "failing"],
      [soon.id, "due_soon"],
    ]);
    expect(failing.offenders[0]?.action).toMatch(
      /^Triage INC-0002 now: set its severity and an owner; it was due for triage by \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    // 8 hours ago: the laptop was 22 hours old (due soon), the phishing wave 12 (in time).
    const then = await triaged(org, hoursAgo(8));
    expect(then.state).toBe("due_soon");
    expect(then.offenders.map((o) => o.id)).toEqual([late.id]);
  });

  it("fails a late triage while the incident is open and for a year after its resolution", async () => {
    const org = await organization(t);
    const day = 24;
    const old = await storedIncident(org, {
      title: "Ransomware on a build server",
      reportedHoursAgo: 500 * day,
      triagedHoursAgo: 500 * day - 30,
      resolvedHoursAgo: 450 * day,
    });
    // Resolved 450 days ago: its late triage no longer counts.
    expect((await triaged(org)).state).toBe("passing");
    const open = await triaged(org, dayAgo(470));
    expect(open.state).toBe("failing");
    expect(open.offenders).toEqual([
      expect.objectContaining({
        id: old.id,
        state: "failing",
        action: expect.stringMatching(
          /^Triage incidents within 24 hours of their report: INC-0001 was triaged on .+ UTC, after its deadline of .+ UTC, and counts against the control while it is open and for a year after it is resolved\.$/,
        ),
      }),
    ]);
    const resolved = await triaged(org, dayAgo(400));
    expect(resolved.state).toBe("failing");
    expect(resolved.offenders[0]?.action).toMatch(/until .+ UTC, a year after its resolution\.$/);
    // Before its deadline it was due soon, and before the report there was nothing.
    expect((await triaged(org, hoursAgo(500 * day - 20))).state).toBe("due_soon");
    expect((await triaged(org, dayAgo(501))).state).toBe("not_applicable");
  });

  it("passes in the past and fails now when an open incident was triaged late", async () => {
    const org = await organization(t);
    await storedIncident(org, { reportedHoursAgo: 72, triagedHoursAgo: 40, severity: "high" });
    expect((await triaged(org)).state).toBe("failing");
    expect((await triaged(org, hoursAgo(60))).state).toBe("passing");
    // Between the deadline and the triage it was failing as untriaged.
    const untriaged = await triaged(org, hoursAgo(45));
    expect(untriaged.state).toBe("failing");
    expect(untriaged.offenders[0]?.action).toMatch(/^Triage INC-0001 now/);
  });
});

describe("incidents-progressing", () => {
  it("is not applicable while no triaged incident is open", async () => {
    const org = await organization(t);
    expect((await progressing(org)).state).toBe("not_applicable");
    await storedIncident(org, { reportedHoursAgo: 2, triagedHoursAgo: null });
    expect((await progressing(org)).state).toBe("not_applicable");
    await storedIncident(org, { reportedHoursAgo: 100, triagedHoursAgo: 99, resolvedHoursAgo: 90 });
    expect((await progressing(org)).state).toBe("not_applicable");
    // Open then, with its triage 4 hours old: in time.
    expect((await progressing(org, hoursAgo(95))).state).toBe("passing");
    expect((await progressing(org, dayAgo(6))).state).toBe("not_applicable");
  });

  it("is passing, due soon and failing by the interval of each severity", async () => {
    const org = await organization(t);
    await storedIncident(org, {
      severity: "medium",
      reportedHoursAgo: 240,
      triagedHoursAgo: 238,
      lastNoteHoursAgo: 24,
    });
    expect((await progressing(org)).state).toBe("passing");
    const high = await storedIncident(org, {
      title: "Credential stuffing",
      severity: "high",
      reportedHoursAgo: 100,
      triagedHoursAgo: 98,
      lastNoteHoursAgo: 60,
    });
    const dueSoon = await progressing(org);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.message).toBe("1 open incident needs a timeline entry soon.");
    expect(dueSoon.offenders).toEqual([
      expect.objectContaining({
        kind: "incident",
        id: high.id,
        label: "INC-0002 Credential stuffing",
        link: `/incidents/${high.id}`,
        state: "due_soon",
        action: expect.stringMatching(
          /^Add a timeline entry to INC-0002 by .+ UTC \(a note, an action or a status change\): a high incident is updated at least every 3 days\.$/,
        ),
      }),
    ]);
    const critical = await storedIncident(org, {
      title: "Data exfiltration",
      severity: "critical",
      reportedHoursAgo: 50,
      triagedHoursAgo: 48,
      lastNoteHoursAgo: 30,
    });
    const failing = await progressing(org);
    expect(failing.state).toBe("failing");
    expect(failing.message).toBe(
      "1 open incident of 3 went without a timeline entry for longer than its severity allows.",
    );
    expect(failing.offenders.map((o) => [o.id, o.state])).toEqual([
      [critical.id, "failing"],
      [high.id, "due_soon"],
    ]);
    expect(failing.offenders[0]?.action).toMatch(
      /^Add a timeline entry to INC-0003 now \(a note, an action or a status change\): a critical incident is updated at least every day, and its last entry was on .+ UTC\.$/,
    );
    // 35 hours ago the medium incident's note (24 hours ago) was not written yet: its last
    // entry was its triage, 203 hours old (failing); the high one's note was 25 hours old and
    // the critical one's triage 13 (in time).
    const then = await progressing(org, hoursAgo(35));
    expect(then.state).toBe("failing");
    expect(then.offenders.map((o) => [o.label, o.state])).toEqual([
      ["INC-0001 Incident INC-0001", "failing"],
    ]);
  });

  it("fails in the past and passes now once an entry is written", async () => {
    const org = await organization(t);
    await storedIncident(org, {
      severity: "medium",
      reportedHoursAgo: 480,
      triagedHoursAgo: 478,
      lastNoteHoursAgo: 100,
    });
    expect((await progressing(org)).state).toBe("passing");
    // Six days ago its last entry was the triage, 14 days old.
    expect((await progressing(org, dayAgo(6))).state).toBe("failing");
  });

  it("is failing in the past and not applicable now for an incident resolved since", async () => {
    const org = await organization(t);
    await storedIncident(org, {
      severity: "critical",
      reportedHoursAgo: 30 * 24,
      triagedHoursAgo: 30 * 24 - 2,
      resolvedHoursAgo: 48,
    });
    expect((await progressing(org)).state).toBe("not_applicable");
    expect((await progressing(org, dayAgo(4))).state).toBe("failing");
  });

  it("follows the severity in force: a raised severity shortens the interval", async () => {
    const org = await organization(t);
    await storedIncident(org, {
      severity: "low",
      reportedHoursAgo: 240,
      triagedHoursAgo: 238,
      severityChanges: [{ to: "high", hoursAgo: 100 }],
    });
    // Now high (3 days), last entry (the change) 100 hours ago.
    const now = await progressing(org);
    expect(now.state).toBe("failing");
    expect(now.offenders[0]?.action).toContain("a high incident is updated at least every 3 days");
    // Before the change it was low (14 days), its triage 128 hours old.
    expect((await progressing(org, hoursAgo(110))).state).toBe("passing");
  });

  it("follows the severity in force: a lowered severity lengthens it", async () => {
    const org = await organization(t);
    await storedIncident(org, {
      severity: "critical",
      reportedHoursAgo: 132,
      triagedHoursAgo: 130,
      severityChanges: [{ to: "low", hoursAgo: 90 }],
    });
    expect((await progressing(org)).state).toBe("passing");
    // Critical then, its triage 38 hours old: past its day.
    const then = await progressing(org, hoursAgo(92));
    expect(then.state).toBe("failing");
    expect(then.offenders[0]?.action).toContain(
      "a critical incident is updated at least every day",
    );
  });

  it("reads reopening from the status history", async () => {
    const org = await organization(t);
    const { id } = await storedIncident(org, {
      severity: "critical",
      reportedHoursAgo: 20 * 24,
      triagedHoursAgo: 20 * 24 - 2,
      resolvedHoursAgo: 10 * 24,
    });
    // Reopened 5 days ago (resolved → contained clears resolved_at), nothing written since.
    const reopened = new Date(Date.now() - 5 * 24 * HOUR_MS);
    await withTenant(t.deps.db, org.id, async (tx) => {
      await tx
        .insertInto("incident_entries")
        .values({
          organization_id: org.id,
          incident_id: id,
          kind: "status",
          from_value: "resolved",
          to_value: "contained",
          author_id: org.owner.id,
          occurred_at: reopened,
          created_at: reopened,
        })
        .execute();
      await tx
        .updateTable("incidents")
        .set({
          status: "contained",
          contained_at: reopened,
          resolved_at: null,
          last_entry_at: reopened,
        })
        .where("id", "=", id)
        .execute();
    });
    await reevaluate(t.deps.db, org.id);
    expect((await progressing(org)).state).toBe("failing");
    expect((await progressing(org, dayAgo(7))).state).toBe("not_applicable");
    expect((await progressing(org, dayAgo(12))).state).toBe("failing");
  });
});
