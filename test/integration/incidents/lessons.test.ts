import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { isoDay } from "../../../src/domain/dates.ts";
import {
  actionItem,
  approvedLessons,
  invitation,
  LESSONS_TEXT,
  type Org,
  organization,
  putLessons,
  sharedLessons,
  storedIncident,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * Lessons learned through the API: written once the incident is resolved, submitted, approved
 * by an owner or admin who is not the author, and so shared (every active user mailed, every
 * role reads it); action items with an active owner, completed by their owner or a manager.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let admin: Person;
let editor: Person;
let member: Person;
let auditor: Person;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
  org = await organization(t, { name: "Lessons Co" });
  admin = await user(org, "admin", { name: "Ada Admin" });
  editor = await user(org, "editor", { name: "Eve Editor" });
  member = await user(org, "member", { name: "Max Member" });
  auditor = await user(org, "auditor", { name: "Aud Itor" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const lessonsUrl = (id: string) => `/api/v1/incidents/${id}/lessons`;

async function timelineKinds(incidentId: string) {
  return withTenant(t.deps.db, org.id, (tx) =>
    tx
      .selectFrom("incident_entries")
      .select(["kind", "body"])
      .where("incident_id", "=", incidentId)
      .orderBy("created_at")
      .execute(),
  );
}

describe("writing lessons learned", () => {
  it("refuses them before the incident is resolved, and takes them after", async () => {
    const open = await storedIncident(org, { containedHoursAgo: 5 });
    const early = await putLessons(editor.client, open.id);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain("once the incident is resolved");

    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    const written = await putLessons(editor.client, id);
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({
      incidentId: id,
      status: "draft",
      rootCause: LESSONS_TEXT.rootCause,
      author: { id: editor.id, name: "Eve Editor" },
      approvedAt: null,
      sharedAt: null,
      actionItems: [],
    });
    const closed = await storedIncident(org, { resolvedHoursAgo: 3, closedHoursAgo: 1 });
    expect((await putLessons(editor.client, closed.id)).status).toBe(200);
  });

  it("is for managers: a member may not write them, and an unknown incident is a 404", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    expect((await putLessons(member.client, id)).status).toBe(403);
    expect((await putLessons(auditor.client, id)).status).toBe(403);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await putLessons(editor.client, unknown)).status).toBe(404);
    expect((await editor.client.get(lessonsUrl(unknown))).status).toBe(404);
  });

  it("names the missing field of a bad body", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    const { rootCause: _, ...rest } = LESSONS_TEXT;
    const bad = await editor.client.request("PUT", lessonsUrl(id), rest);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain("rootCause");
  });

  it("submits only a complete document; editing a submitted one makes it a draft again", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    await putLessons(editor.client, id, { ...LESSONS_TEXT, impact: "", wentWell: " " });
    const incomplete = await editor.client.post(`${lessonsUrl(id)}/submit`);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.detail).toBe(
      "Fill in impact, what went well before submitting the lessons learned.",
    );
    await putLessons(editor.client, id);
    const submitted = await editor.client.post(`${lessonsUrl(id)}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe("submitted");
    expect(submitted.body.submittedAt).not.toBeNull();
    expect((await editor.client.post(`${lessonsUrl(id)}/submit`)).status).toBe(409);
    const edited = await putLessons(editor.client, id, { ...LESSONS_TEXT, impact: "None." });
    expect(edited.body).toMatchObject({ status: "draft", submittedAt: null, impact: "None." });
  });
});

describe("approving and sharing", () => {
  it("is refused to the author (saying why) and to a role without incidents.approve", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    await putLessons(admin.client, id);
    const draft = await org.owner.client.post(`${lessonsUrl(id)}/approve`);
    expect(draft.status).toBe(409);
    expect(draft.body.detail).toBe("Submit the lessons learned for approval first.");
    await admin.client.post(`${lessonsUrl(id)}/submit`);
    const own = await admin.client.post(`${lessonsUrl(id)}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.detail).toBe(
      "You wrote these lessons learned: an owner or admin other than their author must approve them.",
    );
    expect((await editor.client.post(`${lessonsUrl(id)}/approve`)).status).toBe(403);
    expect((await member.client.post(`${lessonsUrl(id)}/approve`)).status).toBe(403);
    expect((await org.owner.client.post(`${lessonsUrl(id)}/approve`)).status).toBe(200);
  });

  it("shares them: timeline entry, mail to every active user, readable by every role", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3, title: "Leaky bucket" });
    await putLessons(editor.client, id);
    await editor.client.post(`${lessonsUrl(id)}/submit`);
    // Before approval: incidents.read only.
    expect((await editor.client.get(lessonsUrl(id))).status).toBe(200);
    expect((await auditor.client.get(lessonsUrl(id))).status).toBe(200);
    expect((await member.client.get(lessonsUrl(id))).status).toBe(404);
    const listed = await member.client.get("/api/v1/lessons");
    expect(listed.body.items.map((i: { incidentId: string }) => i.incidentId)).not.toContain(id);

    const before = smtp.messages.length;
    const approved = await admin.client.post(`${lessonsUrl(id)}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: "approved",
      approvedBy: { id: admin.id, name: "Ada Admin" },
      author: { id: editor.id },
    });
    expect(approved.body.sharedAt).toBe(approved.body.approvedAt);

    const entries = await timelineKinds(id);
    expect(entries.at(-1)).toEqual({
      kind: "lessons",
      body: "Lessons learned approved by Ada Admin and shared with the team.",
    });

    const mail = smtp.messages.slice(before);
    const everyone = [org.owner, admin, editor, member, auditor].map((p) => p.email).sort();
    expect(mail.map((m) => m.to[0]).sort()).toEqual(everyone);
    expect(mail[0]?.subject).toMatch(/^Lessons learned: INC-\d{4} Leaky bucket$/);
    expect(mail[0]?.body).toContain(`/incidents/${id}/lessons`);

    const read = await member.client.get(lessonsUrl(id));
    expect(read.status).toBe(200);
    expect(read.body.whatHappened).toBe(LESSONS_TEXT.whatHappened);
    const shared = await member.client.get("/api/v1/lessons");
    expect(shared.body.items[0]).toMatchObject({
      incidentId: id,
      status: "approved",
      incident: { id, title: "Leaky bucket", reference: expect.stringMatching(/^INC-\d{4}$/) },
    });

    // Once approved it no longer changes.
    expect((await putLessons(editor.client, id)).status).toBe(409);
    expect((await admin.client.post(`${lessonsUrl(id)}/approve`)).status).toBe(409);

    const audit = await org.owner.client.get("/api/v1/audit-events?limit=20");
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain("incident_lessons.submitted");
    const approval = audit.body.items.find(
      (e: { action: string }) => e.action === "incident_lessons.approved",
    );
    expect(approval).toMatchObject({
      actionLabel: "Lessons learned approved and shared",
      target: { path: `/incidents/${id}/lessons` },
    });
    expect(approval.summary).toMatch(
      /^Ada Admin approved the lessons learned of INC-\d{4} Leaky bucket and shared them with the team \(5 people\)$/,
    );
  });

  it("pages the shared list, the latest shared first", async () => {
    const other = await organization(t);
    const approver = await user(other, "admin");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await sharedLessons(other, approver)).incidentId);
    const first = await other.owner.client.get("/api/v1/lessons?limit=2");
    expect(first.body.items.map((i: { incidentId: string }) => i.incidentId)).toEqual([
      ids[2],
      ids[1],
    ]);
    const second = await other.owner.client.get(
      `/api/v1/lessons?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((i: { incidentId: string }) => i.incidentId)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await other.owner.client.get("/api/v1/lessons?cursor=nonsense")).status).toBe(400);
  });
});

describe("action items", () => {
  it("needs the lessons written first and an active owner of the organization", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    const url = `${lessonsUrl(id)}/action-items`;
    const dueOn = isoDay(new Date(Date.now() + 7 * 86_400_000));
    expect(
      (await editor.client.post(url, { title: "Fix", ownerId: member.id, dueOn })).status,
    ).toBe(409);
    await putLessons(editor.client, id);
    const invited = await invitation(org);
    const stranger = await organization(t);
    for (const ownerId of [invited.id, stranger.owner.id]) {
      const bad = await editor.client.post(url, { title: "Fix", ownerId, dueOn });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: "ownerId", message: "must be an active user of the organization" },
      ]);
    }
    const past = await editor.client.post(url, {
      title: "Fix",
      ownerId: member.id,
      dueOn: "2020-01-01",
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe("dueOn");
    const made = await editor.client.post(url, { title: "Fix", ownerId: member.id, dueOn });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      incidentId: id,
      title: "Fix",
      owner: { id: member.id, name: "Max Member" },
      dueOn,
      completedAt: null,
      overdue: false,
    });
    expect(
      (await member.client.post(url, { title: "Mine", ownerId: member.id, dueOn })).status,
    ).toBe(403);
    const lessons = await editor.client.get(lessonsUrl(id));
    expect(lessons.body.actionItems.map((i: { id: string }) => i.id)).toEqual([made.body.id]);
  });

  it("is changed by a manager, completed by its owner or a manager, and listed as mine", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    await approvedLessons(editor.client, admin.client, id);
    const mine = await actionItem(editor.client, id, member.id, { title: "Rotate keys" });
    const theirs = await actionItem(editor.client, id, editor.id, { dueInDays: 3 });

    const renamed = await editor.client.patch(`/api/v1/action-items/${mine.id}`, {
      title: "Rotate the deploy keys",
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe("Rotate the deploy keys");
    expect(
      (await member.client.patch(`/api/v1/action-items/${mine.id}`, { title: "x" })).status,
    ).toBe(403);
    const badOwner = await editor.client.patch(`/api/v1/action-items/${mine.id}`, {
      ownerId: (await invitation(org)).id,
    });
    expect(badOwner.status).toBe(400);
    expect(badOwner.body.errors[0].field).toBe("ownerId");

    const listed = await member.client.get("/api/v1/my/action-items");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(mine.id);
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(theirs.id);
    expect(listed.body.items.find((i: { id: string }) => i.id === mine.id).incident).toMatchObject({
      id,
      reference: expect.stringMatching(/^INC-/),
    });

    const notYours = await member.client.post(`/api/v1/action-items/${theirs.id}/complete`, {});
    expect(notYours.status).toBe(403);
    expect(notYours.body.detail).toBe(
      "Only the action item's owner, or someone who manages incidents, may complete it.",
    );
    expect((await auditor.client.post(`/api/v1/action-items/${mine.id}/complete`, {})).status).toBe(
      403,
    );
    const done = await member.client.post(`/api/v1/action-items/${mine.id}/complete`, {
      note: "Rotated on Tuesday.",
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      completedBy: { id: member.id },
      completionNote: "Rotated on Tuesday.",
      overdue: false,
    });
    expect((await member.client.post(`/api/v1/action-items/${mine.id}/complete`, {})).status).toBe(
      409,
    );
    expect(
      (await editor.client.patch(`/api/v1/action-items/${mine.id}`, { title: "y" })).status,
    ).toBe(409);
    const byManager = await admin.client.post(`/api/v1/action-items/${theirs.id}/complete`, {});
    expect(byManager.status).toBe(200);
    const completed = await member.client.get("/api/v1/my/action-items?status=completed");
    expect(completed.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect(
      (await member.client.get("/api/v1/my/action-items")).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).not.toContain(mine.id);
  });

  it("answers 404 for another organization's incident, lessons and items", async () => {
    const other = await organization(t);
    const theirs = await sharedLessons(other);
    const client = org.owner.client;
    expect((await client.get(lessonsUrl(theirs.incidentId))).status).toBe(404);
    expect((await putLessons(client, theirs.incidentId)).status).toBe(404);
    expect((await client.post(`${lessonsUrl(theirs.incidentId)}/submit`)).status).toBe(404);
    expect((await client.post(`${lessonsUrl(theirs.incidentId)}/approve`)).status).toBe(404);
    expect(
      (await client.patch(`/api/v1/action-items/${theirs.actionItemId}`, { title: "Mine now" }))
        .status,
    ).toBe(404);
    expect(
      (await client.post(`/api/v1/action-items/${theirs.actionItemId}/complete`, {})).status,
    ).toBe(404);
    const shared = await client.get("/api/v1/lessons");
    expect(shared.body.items.map((i: { id: string }) => i.id)).not.toContain(theirs.lessonsId);
  });
});
