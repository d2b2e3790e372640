import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.ts";
import { runScheduledEvaluation } from "../../../src/modules/monitoring/monitor.ts";
import { addPerson, createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";
import { backdatePolicy } from "../../helpers/backdate.ts";
import { createFinishedPolicy } from "../../helpers/policies.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe("policy mail", () => {
  it("should ask everyone in the audience to acknowledge on publication, and remind once before the deadline", async () => {
    const owner = await createOrganization(t, "Mail Co");
    const member = await addPerson(t, owner, "member", "Max Member");
    const created = await createFinishedPolicy(owner, "bcdr-policy");
    await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
    expect(
      (await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status,
    ).toBe(200);

    const published = smtp.messages.filter((m) =>
      m.subject.startsWith("Please read and acknowledge"),
    );
    expect(published.map((m) => m.to[0]).sort()).toEqual([member.email, owner.email].sort());
    const toMember = published.find((m) => m.to[0] === member.email);
    expect(toMember?.subject).toBe(
      "Please read and acknowledge: Business Continuity and Disaster Recovery Policy (version 1)",
    );
    expect(toMember?.from).toBe("attest@acme.test");
    expect(toMember?.body).toContain("https://attest.acme.test/my/policies");

    // The owner acknowledges; 25 days on, the member's deadline is within the warning window.
    const versionId = (await owner.client.get(`/api/v1/policies/${created.body.id}`)).body
      .versions[0].id;
    await owner.client.post(`/api/v1/policies/${created.body.id}/acknowledge`, { versionId });
    await backdatePolicy(t, owner.organizationId, created.body.id, 25);
    // Start dates before the publication, so the deadline runs from publication.
    for (const person of (await owner.client.get("/api/v1/people")).body.items) {
      await owner.client.patch(`/api/v1/people/${person.id}`, { startDate: "2025-01-01" });
    }
    const log = t.app.log;
    expect(await runScheduledEvaluation(t.deps, log)).toBe(true);
    const reminders = () => smtp.messages.filter((m) => m.subject.startsWith("Reminder"));
    expect(reminders().map((m) => m.to[0])).toEqual([member.email]);

    // The job runs once per interval, whichever node asks; a later run does not repeat the mail.
    expect(await runScheduledEvaluation(t.deps, log)).toBe(false);
    expect(await runScheduledEvaluation(t.deps, log, addDays(new Date(), 1))).toBe(true);
    expect(reminders()).toHaveLength(1);
  });
});
