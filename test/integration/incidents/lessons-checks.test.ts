import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import {
  approvedLessons,
  type Org,
  organization,
  putLessons,
  storedIncident,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * incident-lessons-learned / lessons-learned-shared through the API, now and ?asOf=: an
 * incident resolved more than 14 days ago (incidentLessonsDays) needs approved, shared lessons
 * learned; due soon 3 days before (incidentLessonsWarnDays); not applicable while no incident
 * stands resolved. Incidents are stored in the past with their timelines; approvals are moved
 * into the past by SQL.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 1;
const DAY = 24 * HOUR;
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));
const shared = (org: Org, asOf?: string) =>
  testOf(org, "incident-lessons-learned", "lessons-learned-shared", asOf);

/** Moves the incident's lessons' submission and approval (and sharing) `days` into the past. */
async function backdateApproval(org: Org, incidentId: string, days: number) {
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`update incident_lessons set
          submitted_at = now() - make_interval(days => ${days + 1}),
          approved_at = now() - make_interval(days => ${days}),
          shared_at = now() - make_interval(days => ${days})
        where incident_id = ${incidentId}`.execute(tx),
  );
  await reevaluate(org.t.deps.db, org.id);
}

/** A status change on the incident's timeline `hoursAgo` (a reopening, a second resolution). */
async function statusEntry(
  org: Org,
  incidentId: string,
  from: string,
  to: string,
  hoursAgo: number,
) {
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    const at = new Date(Date.now() - hoursAgo * 3_600_000);
    await tx
      .insertInto("incident_entries")
      .values({
        organization_id: org.id,
        incident_id: incidentId,
        kind: "status",
        from_value: from,
        to_value: to,
        author_id: org.owner.id,
        occurred_at: at,
        created_at: at,
      })
      .execute();
    await tx
      .updateTable("incidents")
      .set({
        status: to as "contained",
        resolved_at: to === "resolved" ? at : null,
      })
      .where("id", "=", incidentId)
      .execute();
  });
  await reevaluate(org.t.deps.db, org.id);
}

describe("lessons-learned-shared", () => {
  let org: Org;
  let admin: Person;

  beforeAll(async () => {
    org = await organization(t);
    admin = await user(org, "admin");
  });

  it("is not applicable until an incident stands resolved", async () => {
    const empty = await organization(t);
    expect((await shared(empty)).state).toBe("not_applicable");
    await storedIncident(empty, { reportedHoursAgo: 40 * DAY, containedHoursAgo: 30 * DAY });
    const open = await shared(empty);
    expect(open.state).toBe("not_applicable");
    expect(open.message).toBe("No incident has been resolved.");
  });

  it("passes within the window, is due soon in its last days, fails after, naming the incident", async () => {
    const fresh = await organization(t);
    await storedIncident(fresh, { reportedHoursAgo: 2 * DAY + 5, resolvedHoursAgo: 2 * DAY });
    expect((await shared(fresh)).state).toBe("passing");

    const soon = await storedIncident(fresh, {
      title: "Phished laptop",
      reportedHoursAgo: 12 * DAY + 5,
      resolvedHoursAgo: 12 * DAY,
    });
    const dueSoon = await shared(fresh);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders).toEqual([
      expect.objectContaining({
        kind: "incident",
        id: soon.id,
        label: expect.stringMatching(/^INC-\d{4} Phished laptop$/),
        link: `/incidents/${soon.id}/lessons`,
        state: "due_soon",
        action: expect.stringMatching(
          /^Write the lessons learned of INC-\d{4} Phished laptop \(resolved on \d{4}-\d{2}-\d{2}\) and have an owner or admin other than the author approve and share them: by \d{4}-\d{2}-\d{2}\.$/,
        ),
      }),
    ]);

    const late = await storedIncident(fresh, {
      title: "Open bucket",
      reportedHoursAgo: 20 * DAY + 5,
      resolvedHoursAgo: 20 * DAY,
    });
    const failing = await shared(fresh);
    expect(failing.state).toBe("failing");
    expect(failing.message).toBe(
      "1 resolved incident has gone more than 14 days without approved, shared lessons learned.",
    );
    expect(failing.offenders.map((o) => [o.id, o.state])).toEqual([
      [late.id, "failing"],
      [soon.id, "due_soon"],
    ]);
    expect(failing.offenders[0]?.action).toContain(`they were due by ${dayAgo(6)}`);
    expect(failing.offenders[0]?.dueAt?.slice(0, 10)).toBe(dayAgo(6));
  });

  it("says what is left to do as the document moves on, and passes once approved", async () => {
    const { id } = await storedIncident(org, {
      title: "Expired cert",
      reportedHoursAgo: 20 * DAY + 5,
      resolvedHoursAgo: 20 * DAY,
    });
    expect((await shared(org)).offenders[0]?.action).toMatch(/^Write the lessons learned/);
    await putLessons(org.owner.client, id);
    expect((await shared(org)).offenders[0]?.action).toMatch(
      /^Finish and submit the lessons learned of INC-\d{4} Expired cert/,
    );
    await org.owner.client.post(`/api/v1/incidents/${id}/lessons/submit`);
    expect((await shared(org)).offenders[0]?.action).toMatch(
      /^Have an owner or admin other than the author approve the lessons learned of INC-\d{4} Expired cert \(resolved on .*, submitted on /,
    );
    expect((await org.owner.client.post(`/api/v1/incidents/${id}/lessons/approve`)).status).toBe(
      403,
    );
    expect((await admin.client.post(`/api/v1/incidents/${id}/lessons/approve`)).status).toBe(200);
    const passing = await shared(org);
    expect(passing.state).toBe("passing");
    expect(passing.offenders).toEqual([]);
    // Approved today: as of yesterday it was still late.
    expect((await shared(org, dayAgo(1))).state).toBe("failing");
  });

  it("answers as of past dates from the timeline and the approval's date", async () => {
    const past = await organization(t);
    const approver = await user(past, "admin");
    // Resolved 20 days ago, approved 4 days ago (2 days late).
    const { id } = await storedIncident(past, {
      reportedHoursAgo: 20 * DAY + 5,
      resolvedHoursAgo: 20 * DAY,
    });
    await approvedLessons(past.owner.client, approver.client, id);
    await backdateApproval(past, id, 4);
    expect((await shared(past)).state).toBe("passing");
    expect((await shared(past, dayAgo(4))).state).toBe("passing");
    expect((await shared(past, dayAgo(5))).state).toBe("failing");
    expect((await shared(past, dayAgo(8))).state).toBe("due_soon");
    expect((await shared(past, dayAgo(15))).state).toBe("passing");
    expect((await shared(past, dayAgo(21))).state).toBe("not_applicable");
  });

  it("restarts the clock when a resolved incident is reopened and resolved again", async () => {
    const again = await organization(t);
    const { id } = await storedIncident(again, {
      reportedHoursAgo: 30 * DAY + 5,
      resolvedHoursAgo: 30 * DAY,
    });
    expect((await shared(again)).state).toBe("failing");
    await statusEntry(again, id, "resolved", "contained", 10 * DAY);
    // Open again: nothing stands resolved now; it was failing before it reopened.
    expect((await shared(again)).state).toBe("not_applicable");
    expect((await shared(again, dayAgo(11))).state).toBe("failing");
    await statusEntry(again, id, "contained", "resolved", 1 * DAY);
    expect((await shared(again)).state).toBe("passing");
  });

  it("counts an incident closed straight from containment as resolved", async () => {
    const closing = await organization(t);
    const { id } = await storedIncident(closing, {
      reportedHoursAgo: 21 * DAY,
      containedHoursAgo: 20 * DAY,
      closedHoursAgo: 16 * DAY,
    });
    const failing = await shared(closing);
    expect(failing.state).toBe("failing");
    expect(failing.offenders[0]?.id).toBe(id);
  });
});
