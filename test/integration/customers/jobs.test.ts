import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendDisposalReminders } from "../../../src/modules/customers/customers.jobs.ts";
import { customer, disposal, organization, system, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The disposal reminders, mailed over real SMTP on loopback: the owners and admins, when a
 * disposal task without a record comes within 14 days of its deadline (or is past it), once per
 * task and deadline.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe("disposal reminders", () => {
  it("go to the owners and admins once per task, before the deadline and not for one recorded", async () => {
    const org = await organization(t, { name: "Remind Co" });
    const admin = await user(org, "admin");
    const editor = await user(org, "editor");
    const store = await system(org, { name: "Orders DB" });
    await customer(org, {
      name: "Soon Co",
      endedDaysAgo: 20,
      retention: 30,
      systemIds: [store.id],
    });
    await customer(org, {
      name: "Later Co",
      endedDaysAgo: 2,
      retention: 90,
      systemIds: [store.id],
    });
    const done = await customer(org, {
      name: "Done Co",
      endedDaysAgo: 40,
      retention: 30,
      systemIds: [store.id],
    });
    await disposal(org, done.id, { disposedDaysAgo: 20 });
    const from = smtp.messages.length;
    expect(await sendDisposalReminders(t.deps)).toBe(2);
    const mail = smtp.messages.slice(from);
    expect(mail.flatMap((m) => m.to).sort()).toEqual([admin.email, org.owner.email].sort());
    expect(mail.flatMap((m) => m.to)).not.toContain(editor.email);
    expect(mail[0]?.subject).toBe("Due soon: disposal of customer data (1)");
    expect(mail[0]?.body).toContain("- Soon Co, Orders DB: by");
    expect(mail[0]?.body).not.toContain("Later Co");
    expect(mail[0]?.body).not.toContain("Done Co");
    // Once: the next run sends nothing.
    expect(await sendDisposalReminders(t.deps)).toBe(0);
  });
});
