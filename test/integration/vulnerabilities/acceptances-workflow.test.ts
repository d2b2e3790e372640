import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.ts";
import { type Org, organization, sqlFinding, user } from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * Risk acceptances through the API: asked for with a reason and an expiry (future, at most 365
 * days ahead) and an optional approver (an active owner or admin other than oneself); one
 * pending or in force per finding; approved only by an approver other than the requester (the
 * named one, if named) — the finding is then risk accepted until the expiry; rejected;
 * revoked (open again). The approver is mailed when asked, the requester when decided; every
 * step is audited.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let editor: Person;
let admin: Person;
let otherAdmin: Person;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
  org = await organization(t, { name: "Accepting Co" });
  editor = await user(org, "editor", { name: "Eddie Editor" });
  admin = await user(org, "admin", { name: "Ada Admin" });
  otherAdmin = await user(org, "admin", { name: "Otto Admin" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const inDays = (days: number) => addDays(new Date(), days).toISOString();

function ask(who: Person, findingId: string, body: Record<string, unknown>) {
  return who.client.post(`/api/v1/findings/${findingId}/risk-acceptances`, {
    reason: "Compensating control: the service is not reachable from outside.",
    expiresAt: inDays(90),
    ...body,
  });
}

describe("risk acceptances", () => {
  it("refuses a past or too distant expiry, an approver who may not approve, and a second one", async () => {
    const { id } = await sqlFinding(org, { severity: "high" });
    const past = await ask(editor, id, { expiresAt: inDays(-1) });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe("expiresAt");
    const far = await ask(editor, id, { expiresAt: inDays(400) });
    expect(far.status).toBe(400);
    expect(far.body.errors[0].field).toBe("expiresAt");
    const self = await ask(admin, id, { approverId: admin.id });
    expect(self.status).toBe(400);
    expect(self.body.errors[0].field).toBe("approverId");
    const notApprover = await ask(admin, id, { approverId: editor.id });
    expect(notApprover.status).toBe(400);
    const missingReason = await ask(editor, id, { reason: " " });
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.errors[0].field).toBe("reason");
    const auditor = await user(org, "auditor");
    expect((await ask(auditor, id, {})).status).toBe(403);

    const first = await ask(editor, id, {});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "pending", approver: null, findingId: id });
    const second = await ask(editor, id, {});
    expect(second.status).toBe(409);
    const finding = await editor.client.get(`/api/v1/findings/${id}`);
    expect(finding.body.status).toBe("open");
    expect(finding.body.acceptances).toHaveLength(1);
  });

  it("is never approved by its requester, and only by the approver named", async () => {
    const { id } = await sqlFinding(org, { severity: "critical", detectedDaysAgo: 10 });
    const before = smtp.messages.length;
    const asked = await ask(admin, id, { approverId: otherAdmin.id });
    expect(asked.status).toBe(201);
    const mails = smtp.messages.slice(before);
    expect(mails.map((m) => m.to)).toEqual([[otherAdmin.email]]);
    expect(mails[0]?.subject).toContain("Risk acceptance to decide");

    const own = await admin.client.post(`/api/v1/risk-acceptances/${asked.body.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.detail).toContain("You asked for this risk acceptance");
    const owner = await org.owner.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/approve`,
      {},
    );
    expect(owner.status).toBe(403);
    expect(owner.body.detail).toContain("Otto Admin");
    const byEditor = await editor.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/approve`,
      {},
    );
    expect(byEditor.status).toBe(403);

    const awaiting = await otherAdmin.client.get("/api/v1/risk-acceptances?mine=true");
    expect(awaiting.body.items.map((a: { id: string }) => a.id)).toContain(asked.body.id);
    const notMine = await org.owner.client.get("/api/v1/risk-acceptances?mine=true");
    expect(notMine.body.items.map((a: { id: string }) => a.id)).not.toContain(asked.body.id);

    const sent = smtp.messages.length;
    const approved = await otherAdmin.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/approve`,
      { comment: "Agreed until the migration." },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: "approved",
      decidedBy: { id: otherAdmin.id, name: "Otto Admin" },
      decisionComment: "Agreed until the migration.",
    });
    expect(smtp.messages.slice(sent).map((m) => m.to)).toEqual([[admin.email]]);
    const finding = await admin.client.get(`/api/v1/findings/${id}`);
    expect(finding.body.status).toBe("risk_accepted");
    expect(finding.body.deadlineAt).toBe(asked.body.expiresAt);
    expect(finding.body.history.map((h: { status: string }) => h.status)).toEqual([
      "open",
      "risk_accepted",
    ]);
    const again = await otherAdmin.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/approve`,
      {},
    );
    expect(again.status).toBe(409);
    expect((await ask(editor, id, {})).status).toBe(409);

    const revoked = await editor.client.post(`/api/v1/risk-acceptances/${asked.body.id}/revoke`, {
      reason: "The service is now exposed.",
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    const reopened = await admin.client.get(`/api/v1/findings/${id}`);
    expect(reopened.body.status).toBe("open");
    expect(reopened.body.deadlineAt).toBe(reopened.body.dueAt);

    const audit = await org.owner.client.get("/api/v1/audit-events?limit=50");
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "risk_acceptance.requested",
        "risk_acceptance.approved",
        "risk_acceptance.revoked",
      ]),
    );
  });

  it("is rejected with a reason, after which another may be asked for", async () => {
    const { id } = await sqlFinding(org, { severity: "medium" });
    const asked = await ask(editor, id, {});
    const noReason = await admin.client.post(
      `/api/v1/risk-acceptances/${asked.body.id}/reject`,
      {},
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe("reason");
    const rejected = await admin.client.post(`/api/v1/risk-acceptances/${asked.body.id}/reject`, {
      reason: "Fix it instead: the patch exists.",
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe("rejected");
    expect((await admin.client.get(`/api/v1/findings/${id}`)).body.status).toBe("open");
    const list = await admin.client.get("/api/v1/risk-acceptances?status=rejected");
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(asked.body.id);
    expect((await ask(editor, id, {})).status).toBe(201);
  });
});
