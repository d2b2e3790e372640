import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.ts";
import {
  expireAcceptances,
  sendFindingReminders,
} from "../../../src/modules/vulnerabilities/vulnerabilities.jobs.ts";
import { type Org, organization, sqlFinding, system, user } from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The scheduled work: an approved risk acceptance past its expiry turns the finding back to
 * open at the expiry, audited as the system; the assignee of a finding due soon or overdue is
 * mailed once per finding and state.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let admin: Person;
let editor: Person;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
  org = await organization(t, { name: "Jobs Co" });
  admin = await user(org, "admin", { name: "Ada Admin" });
  editor = await user(org, "editor", { name: "Eve Editor" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe("vulnerability jobs", () => {
  it("reopens a finding whose accepted risk expired, at the expiry", async () => {
    const { id } = await sqlFinding(org, { severity: "critical", detectedDaysAgo: 20 });
    const asked = await editor.client.post(`/api/v1/findings/${id}/risk-acceptances`, {
      reason: "Vendor fix pending.",
      expiresAt: addDays(new Date(), 30).toISOString(),
    });
    expect(
      (await admin.client.post(`/api/v1/risk-acceptances/${asked.body.id}/approve`, {})).status,
    ).toBe(200);
    expect(await expireAcceptances(t.deps)).toBe(0);
    const expiry = addDays(new Date(), 31);
    expect(await expireAcceptances(t.deps, expiry)).toBe(1);
    expect(await expireAcceptances(t.deps, expiry)).toBe(0);
    const finding = await admin.client.get(`/api/v1/findings/${id}`);
    expect(finding.body.status).toBe("open");
    expect(finding.body.history.at(-1)).toMatchObject({
      status: "open",
      validFrom: asked.body.expiresAt,
    });
    const audit = await org.owner.client.get("/api/v1/audit-events?limit=5");
    expect(audit.body.items[0]).toMatchObject({ action: "risk_acceptance.expired" });
  });

  it("reminds the assignee once per finding and state", async () => {
    const sys = await system(org, { name: "api-9" });
    const soon = await sqlFinding(org, {
      systemId: sys.id,
      severity: "critical",
      detectedDaysAgo: 5,
      identifiers: ["CVE-2024-7777"],
    });
    const later = await sqlFinding(org, { systemId: sys.id, severity: "low" });
    for (const f of [soon, later]) {
      await editor.client.patch(`/api/v1/findings/${f.id}`, { assigneeId: editor.id });
    }
    const before = smtp.messages.length;
    expect(await sendFindingReminders(t.deps)).toBe(1);
    const mail = smtp.messages.slice(before);
    expect(mail.map((m) => m.to)).toEqual([[editor.email]]);
    expect(mail[0]?.subject).toBe("Due soon: 1 vulnerability assigned to you");
    expect(mail[0]?.body).toContain("CVE-2024-7777 in openssl 1.1.1 on api-9");
    expect(await sendFindingReminders(t.deps)).toBe(0);
    // Once overdue, reminded again.
    expect(await sendFindingReminders(t.deps, addDays(new Date(), 3))).toBe(1);
    expect(smtp.messages.at(-1)?.subject).toContain("Overdue");
  });
});
