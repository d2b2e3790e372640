import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.ts";
import {
  sendActionItemReminders,
  sendLessonsReminders,
} from "../../../src/modules/incidents/incidents.lessons-jobs.ts";
import {
  actionItem,
  approvedLessons,
  type Org,
  organization,
  putLessons,
  storedIncident,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The reminders of lessons learned, each sent once: the owner of a resolved incident whose
 * lessons are not approved, from 3 days before they are due (14 days after resolution); the
 * owner of an action item due within 3 days, and again once it is overdue.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let admin: Person;
let editor: Person;
let member: Person;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
  org = await organization(t, { name: "Reminders Co" });
  admin = await user(org, "admin", { name: "Ada Admin" });
  editor = await user(org, "editor", { name: "Eve Editor" });
  member = await user(org, "member", { name: "Max Member" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const DAY = 24;
const sentSince = (before: number) => smtp.messages.slice(before);

describe("lessons-learned reminders", () => {
  it("reminds the incident's owner once, from three days before the lessons are due", async () => {
    const soon = await storedIncident(org, {
      title: "Stolen laptop",
      ownerId: editor.id,
      reportedHoursAgo: 12 * DAY + 5,
      resolvedHoursAgo: 12 * DAY,
    });
    // Resolved recently, or with approved lessons: no reminder.
    await storedIncident(org, { ownerId: editor.id, resolvedHoursAgo: 2 * DAY });
    const approved = await storedIncident(org, {
      ownerId: editor.id,
      reportedHoursAgo: 20 * DAY + 5,
      resolvedHoursAgo: 20 * DAY,
    });
    await approvedLessons(editor.client, admin.client, approved.id);

    const before = smtp.messages.length;
    expect(await sendLessonsReminders(t.deps)).toBe(1);
    const [mail] = sentSince(before);
    expect(mail?.to).toEqual([editor.email]);
    expect(mail?.subject).toMatch(/^Due soon: the lessons learned of INC-\d{4} Stolen laptop$/);
    expect(mail?.body).toContain(`/incidents/${soon.id}/lessons`);
    expect(await sendLessonsReminders(t.deps)).toBe(0);
    // Days later, still not approved: the reminder was sent; no second one.
    expect(await sendLessonsReminders(t.deps, addDays(new Date(), 5))).toBe(0);
  });

  it("says overdue when the lessons are already late, and sends nothing without a mailer", async () => {
    const late = await storedIncident(org, {
      title: "Late lessons",
      ownerId: member.id,
      reportedHoursAgo: 30 * DAY,
      resolvedHoursAgo: 29 * DAY,
    });
    await putLessons(editor.client, late.id);
    expect(await sendLessonsReminders({ ...t.deps, mailer: null })).toBe(0);
    const before = smtp.messages.length;
    expect(await sendLessonsReminders(t.deps)).toBe(1);
    const [mail] = sentSince(before);
    expect(mail?.to).toEqual([member.email]);
    expect(mail?.subject).toMatch(/^Overdue: the lessons learned of INC-\d{4} Late lessons$/);
  });
});

describe("action item reminders", () => {
  it("reminds the owner once when due soon and once when overdue, never once completed", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    await approvedLessons(editor.client, admin.client, id);
    const soon = await actionItem(editor.client, id, member.id, {
      title: "Enable MFA on the VPN",
      dueInDays: 2,
    });
    await actionItem(editor.client, id, member.id, { title: "Later", dueInDays: 30 });
    const done = await actionItem(editor.client, id, admin.id, { dueInDays: 1 });
    await admin.client.post(`/api/v1/action-items/${done.id}/complete`, {});

    const before = smtp.messages.length;
    expect(await sendActionItemReminders(t.deps)).toBe(1);
    const [mail] = sentSince(before);
    expect(mail?.to).toEqual([member.email]);
    expect(mail?.subject).toBe("Due soon: 1 action item of yours");
    expect(mail?.body).toContain(`- Enable MFA on the VPN (INC-`);
    expect(mail?.body).toContain(`due ${soon.dueOn} `);
    expect(mail?.body).toContain(`/incidents/${id}/lessons`);
    expect(await sendActionItemReminders(t.deps)).toBe(0);

    const overdue = addDays(new Date(), 4);
    const later = smtp.messages.length;
    expect(await sendActionItemReminders(t.deps, overdue)).toBe(1);
    const [second] = sentSince(later);
    expect(second?.subject).toBe("Overdue: 1 action item of yours");
    expect(second?.body).toContain("(overdue)");
    expect(await sendActionItemReminders(t.deps, overdue)).toBe(0);
  });

  it("starts afresh for a new owner or due day", async () => {
    const { id } = await storedIncident(org, { resolvedHoursAgo: 3 });
    await approvedLessons(editor.client, admin.client, id);
    const item = await actionItem(editor.client, id, member.id, { dueInDays: 1 });
    expect(await sendActionItemReminders(t.deps)).toBe(1);
    const moved = await editor.client.patch(`/api/v1/action-items/${item.id}`, {
      ownerId: editor.id,
    });
    expect(moved.status).toBe(200);
    const before = smtp.messages.length;
    expect(await sendActionItemReminders(t.deps)).toBe(1);
    expect(sentSince(before)[0]?.to).toEqual([editor.email]);
  });
});
