import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { recordSnapshot } from "../../../src/modules/monitoring/evaluation.service.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { backdateApprovals, backdatePolicy } from "../../helpers/backdate.ts";
import { createFinishedPolicy, finishDraft, publishPolicy } from "../../helpers/policies.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type TestRow = {
  key: string;
  state: string;
  offenders: { kind: string; id: string; action: string }[];
};

async function control(person: Person, key: string, asOf?: string) {
  const reply = await person.client.get(`/api/v1/controls/${key}${asOf ? `?asOf=${asOf}` : ""}`);
  expect(reply.status).toBe(200);
  const tests = Object.fromEntries((reply.body.tests as TestRow[]).map((test) => [test.key, test]));
  return { status: reply.body.status as string, tests };
}

/** Creates the control's policy from its template, and has it approved and published. */
async function publish(author: Person, approver: Person, template: string) {
  return publishPolicy(author, template, approver, { comment: "Looks right" });
}

describe("policy-published", () => {
  it("should fail with no policy, fail with only a draft, and pass once an admin approves", async () => {
    const owner = await createOrganization(t, "Publish Co");
    const editor = await addPerson(t, owner, "editor");
    let bcdr = await control(owner, "bcdr-policy");
    expect(bcdr.tests["policy-published"]?.state).toBe("failing");
    expect(bcdr.tests["policy-published"]?.offenders[0]).toMatchObject({
      kind: "control",
      id: "bcdr-policy",
    });
    expect(bcdr.status).toBe("failing");

    const created = await editor.client.post("/api/v1/policies", { templateKey: "bcdr-policy" });
    expect(created.status).toBe(201);
    expect(created.body.versions[0]).toMatchObject({ version: 1, status: "draft" });
    expect(created.body.versions[0].body).toContain("Publish Co");
    bcdr = await control(owner, "bcdr-policy");
    expect(bcdr.tests["policy-published"]?.offenders[0]).toMatchObject({
      kind: "policy",
      id: created.body.id,
    });

    expect(
      (await editor.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status,
    ).toBe(403);
    expect(
      (await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status,
    ).toBe(409);
    await finishDraft(editor, created.body.id);
    expect((await editor.client.post(`/api/v1/policies/${created.body.id}/submit`)).status).toBe(
      200,
    );
    const approved = await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.versions[0]).toMatchObject({
      status: "published",
      approvals: [{ kind: "publication", approverRole: "owner" }],
    });

    bcdr = await control(owner, "bcdr-policy");
    expect(bcdr.tests["policy-published"]?.state).toBe("passing");
    expect(bcdr.tests["policy-reviewed"]?.state).toBe("passing");
    expect(bcdr.tests["policy-acknowledged"]?.state).toBe("passing");
    expect(bcdr.status).toBe("passing");

    const events = await owner.client.get("/api/v1/audit-events?action=policy.published");
    expect(events.body.items).toHaveLength(1);
  });

  it("should evaluate a past date from stored data", async () => {
    const owner = await createOrganization(t, "Past Co");
    const policy = await publish(owner, owner, "incident-response-plan");
    await backdatePolicy(t, owner.organizationId, policy.id, 10);
    const today = await control(owner, "incident-response-plan");
    expect(today.tests["policy-published"]?.state).toBe("passing");
    const before = await control(owner, "incident-response-plan", isoDay(addDays(new Date(), -20)));
    expect(before.tests["policy-published"]?.state).toBe("failing");
    expect(before.status).toBe("failing");
    const list = await owner.client.get(
      `/api/v1/controls?asOf=${isoDay(addDays(new Date(), -20))}`,
    );
    expect(
      list.body.items.find((c: { key: string }) => c.key === "incident-response-plan").status,
    ).toBe("failing");
    const bad = await owner.client.get("/api/v1/controls?asOf=last-tuesday");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("asOf");
  });

  it("should ask a different approver than the author when there are two admins", async () => {
    const owner = await createOrganization(t, "Four Eyes Co");
    const created = await owner.client.post("/api/v1/policies", { templateKey: "privacy-policy" });
    await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
    await addPerson(t, owner, "admin");
    const self = await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/Another owner or admin/);
  });
});

describe("policy-reviewed", () => {
  it("should pass, come due 30 days before the year is up, fail after it, and pass again on re-approval", async () => {
    const owner = await createOrganization(t, "Review Co");
    const policy = await publish(owner, owner, "data-retention-disposal-policy");

    await backdateApprovals(t, owner.organizationId, policy.id, 340);
    let control_ = await control(owner, "data-retention-disposal-policy");
    expect(control_.tests["policy-reviewed"]?.state).toBe("due_soon");
    expect(control_.status).toBe("needs_attention");

    await backdateApprovals(t, owner.organizationId, policy.id, 30);
    control_ = await control(owner, "data-retention-disposal-policy");
    expect(control_.tests["policy-reviewed"]?.state).toBe("failing");
    expect(control_.tests["policy-reviewed"]?.offenders[0]).toMatchObject({
      kind: "policy",
      id: policy.id,
    });
    expect(control_.status).toBe("failing");

    const reviewed = await owner.client.post(`/api/v1/policies/${policy.id}/review`, {
      comment: "Still accurate",
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.versions[0].approvals.map((a: { kind: string }) => a.kind)).toEqual([
      "publication",
      "review",
    ]);
    control_ = await control(owner, "data-retention-disposal-policy");
    expect(control_.tests["policy-reviewed"]?.state).toBe("passing");
  });

  it("should re-evaluate at once when the review period setting changes", async () => {
    const owner = await createOrganization(t, "Settings Co");
    const policy = await publish(owner, owner, "data-classification-policy");
    await backdateApprovals(t, owner.organizationId, policy.id, 20);
    expect(
      (await control(owner, "data-classification-policy")).tests["policy-reviewed"]?.state,
    ).toBe("passing");
    const changed = await owner.client.patch("/api/v1/organization", {
      settings: { policyReviewDays: 10, policyReviewWarnDays: 2 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.settings.policyReviewDays).toBe(10);
    expect(
      (await control(owner, "data-classification-policy")).tests["policy-reviewed"]?.state,
    ).toBe("failing");
    const bad = await owner.client.patch("/api/v1/organization", {
      settings: { policyReviewDays: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("settings.policyReviewDays");
  });
});

describe("policy-acknowledged", () => {
  it("should pass within the grace period, come due, fail for the person who did not acknowledge, and pass once they do", async () => {
    const owner = await createOrganization(t, "Ack Co");
    const member = await addPerson(t, owner, "member", "Mia Member");
    const policy = await publish(owner, owner, "access-control-termination-policy");
    const versionId = policy.versions[0]?.id as string;
    // Everyone started long ago.
    for (const person of (await owner.client.get("/api/v1/people")).body.items) {
      await owner.client.patch(`/api/v1/people/${person.id}`, { startDate: "2025-01-01" });
    }
    let acks = await control(owner, "access-control-termination-policy");
    expect(acks.tests["policy-acknowledged"]?.state).toBe("passing");

    await backdatePolicy(t, owner.organizationId, policy.id, 25);
    acks = await control(owner, "access-control-termination-policy");
    expect(acks.tests["policy-acknowledged"]?.state).toBe("due_soon");
    expect(acks.tests["policy-acknowledged"]?.offenders).toHaveLength(2);

    const ownerAck = await owner.client.post(`/api/v1/policies/${policy.id}/acknowledge`, {
      versionId,
    });
    expect(ownerAck.status).toBe(200);
    await backdatePolicy(t, owner.organizationId, policy.id, 6);
    acks = await control(owner, "access-control-termination-policy");
    expect(acks.tests["policy-acknowledged"]?.state).toBe("failing");
    const offenders = acks.tests["policy-acknowledged"]?.offenders ?? [];
    const people = (await owner.client.get("/api/v1/people")).body.items as {
      id: string;
      email: string;
    }[];
    const memberPerson = people.find((p) => p.email === member.email);
    expect(offenders.map((o) => o.id)).toEqual([memberPerson?.id]);
    expect(offenders[0]?.action).toContain("Mia Member");

    const mine = await member.client.get("/api/v1/me/policies");
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ policyId: policy.id, acknowledgedAt: null });
    const wrongVersion = await member.client.post(`/api/v1/policies/${policy.id}/acknowledge`, {
      versionId: "00000000-0000-4000-8000-000000000000",
    });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.errors[0].field).toBe("versionId");
    expect(
      (await member.client.post(`/api/v1/policies/${policy.id}/acknowledge`, { versionId })).status,
    ).toBe(200);
    expect(
      (await member.client.get("/api/v1/me/policies")).body.items[0].acknowledgedAt,
    ).not.toBeNull();
    acks = await control(owner, "access-control-termination-policy");
    expect(acks.tests["policy-acknowledged"]?.state).toBe("passing");
    expect(acks.status).toBe("passing");
  });

  it("should give a new starter 30 days from their start date", async () => {
    const owner = await createOrganization(t, "Starter Co");
    const policy = await publish(owner, owner, "encryption-key-management-policy");
    const versionId = policy.versions[0]?.id as string;
    await owner.client.post(`/api/v1/policies/${policy.id}/acknowledge`, { versionId });
    await backdatePolicy(t, owner.organizationId, policy.id, 90);
    const starter = await owner.client.post("/api/v1/people", {
      name: "Nina New",
      email: "nina@starter.test",
      jobRole: "Engineer",
      startDate: isoDay(addDays(new Date(), -5)),
    });
    expect(starter.status).toBe(201);
    expect(
      (await control(owner, "encryption-key-management-policy")).tests["policy-acknowledged"]
        ?.state,
    ).toBe("passing");
    await owner.client.patch(`/api/v1/people/${starter.body.id}`, {
      startDate: isoDay(addDays(new Date(), -35)),
    });
    const late = await control(owner, "encryption-key-management-policy");
    expect(late.tests["policy-acknowledged"]?.state).toBe("failing");
    expect(late.tests["policy-acknowledged"]?.offenders.map((o) => o.id)).toEqual([
      starter.body.id,
    ]);

    // People who left are no longer asked.
    await owner.client.patch(`/api/v1/people/${starter.body.id}`, { endDate: isoDay(new Date()) });
    expect(
      (await control(owner, "encryption-key-management-policy")).tests["policy-acknowledged"]
        ?.state,
    ).toBe("passing");
  });

  it("should not apply when nobody active is in the audience", async () => {
    const owner = await createOrganization(t, "Audience Co");
    const policy = await publish(owner, owner, "encryption-key-management-policy");
    const narrowed = await owner.client.patch(`/api/v1/policies/${policy.id}`, {
      audience: { all: false, jobRoles: ["Astronaut"] },
    });
    expect(narrowed.status).toBe(200);
    const vuln = await control(owner, "encryption-key-management-policy");
    expect(vuln.tests["policy-acknowledged"]?.state).toBe("not_applicable");
    // No encryption key is registered either (issue 15: keys-rotated is automated now).
    expect(vuln.tests["keys-rotated"]?.state).toBe("not_applicable");
    const empty = await owner.client.patch(`/api/v1/policies/${policy.id}`, {
      audience: { all: false, jobRoles: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe("audience.jobRoles");
  });
});

describe("versions", () => {
  it("should keep versions, diff them, supersede the old one, and export PDF and ZIP", async () => {
    const owner = await createOrganization(t, "Versions Co");
    const admin = await addPerson(t, owner, "admin");
    const created = await createFinishedPolicy(owner, "terms-of-service");
    await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
    const v1 = await admin.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect(v1.status).toBe(200);
    // Terms of Service are published for customers; staff are not asked to acknowledge them.
    expect((await owner.client.get("/api/v1/me/policies")).body.items).toEqual([]);
    const body = `${v1.body.versions[0].body}\n\n## 99. New clause\n\nA clause added in version 2.\n`;
    const draft = await owner.client.request("PUT", `/api/v1/policies/${created.body.id}/draft`, {
      body,
      changeSummary: "Add clause 99",
    });
    expect(draft.status).toBe(200);
    expect(
      draft.body.versions.map((v: { version: number; status: string }) => [v.version, v.status]),
    ).toEqual([
      [2, "draft"],
      [1, "published"],
    ]);
    const diff = await owner.client.get(
      `/api/v1/policies/${created.body.id}/diff?from=${v1.body.versions[0].id}&to=${draft.body.versions[0].id}`,
    );
    expect(diff.status).toBe(200);
    expect(diff.body.removed).toBe(0);
    expect(
      diff.body.lines
        .filter((l: { op: string }) => l.op === "added")
        .map((l: { text: string }) => l.text),
    ).toContain("## 99. New clause");

    await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
    const rejected = await admin.client.post(`/api/v1/policies/${created.body.id}/reject`, {
      reason: "Too vague",
    });
    expect(rejected.body.versions[0].status).toBe("draft");
    await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
    const v2 = await admin.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect(v2.body.versions.map((v: { status: string }) => v.status)).toEqual([
      "published",
      "superseded",
    ]);

    const pdf = await owner.client.get(
      `/api/v1/policies/${created.body.id}/versions/${v2.body.versions[0].id}/pdf`,
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toBe(
      `attachment; filename="terms-of-service-v2.pdf"; filename*=UTF-8''terms-of-service-v2.pdf`,
    );
    expect(String(pdf.body).startsWith("%PDF-")).toBe(true);

    const zip = await owner.client.request("GET", "/api/v1/policies/export.zip");
    expect(zip.status).toBe(200);
    expect(zip.headers["content-type"]).toBe("application/zip");
    expect(String(zip.body)).toContain("terms-of-service-v2.pdf");
    expect(String(zip.body)).toContain("terms-of-service-v2.md");

    const retired = await owner.client.post(`/api/v1/policies/${created.body.id}/retire`);
    expect(retired.body.retiredAt).not.toBeNull();
    expect((await control(owner, "terms-of-service")).tests["policy-published"]?.state).toBe(
      "failing",
    );
  });

  it("should show drafts only to those who may write policies, and take the description of services", async () => {
    const owner = await createOrganization(t, "Drafts Co");
    const member = await addPerson(t, owner, "member");
    const policy = await publish(owner, owner, "description-of-services");
    await owner.client.request("PUT", `/api/v1/policies/${policy.id}/draft`, {
      body: "# Next\n\nUnreleased text.",
    });
    const asOwner = await owner.client.get(`/api/v1/policies/${policy.id}`);
    expect(asOwner.body.versions.map((v: { status: string }) => v.status)).toEqual([
      "draft",
      "published",
    ]);
    const asMember = await member.client.get(`/api/v1/policies/${policy.id}`);
    expect(asMember.status).toBe(200);
    expect(asMember.body.versions.map((v: { status: string }) => v.status)).toEqual(["published"]);
    expect(JSON.stringify(asMember.body)).not.toContain("Unreleased text");
  });

  it("should refuse a second live policy for the same control", async () => {
    const owner = await createOrganization(t, "Dup Co");
    expect(
      (await owner.client.post("/api/v1/policies", { templateKey: "bcdr-policy" })).status,
    ).toBe(201);
    const again = await owner.client.post("/api/v1/policies", { templateKey: "bcdr-policy" });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].field).toBe("controlKey");
    const unknown = await owner.client.post("/api/v1/policies", {
      templateKey: "no-such-template",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("templateKey");
  });
});

describe("history and dashboard", () => {
  it("should keep one snapshot per control per day, show the change, and rank what needs doing", async () => {
    const owner = await createOrganization(t, "History Co");
    const policy = await publish(owner, owner, "incident-response-plan");
    await backdatePolicy(t, owner.organizationId, policy.id, 3);
    for (const daysAgo of [6, 5, 2, 1]) {
      await recordSnapshot(
        t.deps.db,
        owner.organizationId,
        new Date(`${isoDay(addDays(new Date(), -daysAgo))}T12:00:00Z`),
      );
    }
    // A second run on the same day replaces that day's snapshot.
    await recordSnapshot(
      t.deps.db,
      owner.organizationId,
      new Date(`${isoDay(addDays(new Date(), -1))}T13:00:00Z`),
    );
    const from = isoDay(addDays(new Date(), -7));
    const to = isoDay(new Date());
    const history = await owner.client.get(
      `/api/v1/controls/incident-response-plan/history?from=${from}&to=${to}`,
    );
    expect(history.status).toBe(200);
    const series = Object.fromEntries(
      history.body.items.map((i: { day: string; status: string }) => [i.day, i.status]),
    );
    expect(series[isoDay(addDays(new Date(), -6))]).toBe("failing");
    expect(series[isoDay(addDays(new Date(), -5))]).toBe("failing");
    expect(series[isoDay(addDays(new Date(), -2))]).toBe("passing");
    expect(series[isoDay(addDays(new Date(), -1))]).toBe("passing");
    expect(series[to]).toBe("passing");
    const days = history.body.items.map((i: { day: string }) => i.day);
    expect(new Set(days).size).toBe(days.length);

    const backwards = await owner.client.get(
      `/api/v1/controls/bcdr-policy/history?from=${to}&to=${from}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe("from");

    // Yesterday's snapshot has no BCDR policy; publishing one today turns it from failing to passing.
    const bcdr = await publish(owner, owner, "bcdr-policy");
    expect(bcdr.versions[0]?.status).toBe("published");
    const dashboard = await owner.client.get("/api/v1/dashboard");
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.overall.total).toBe(29);
    expect(dashboard.body.overall.passing).toBe(2);
    expect(dashboard.body.categories.map((c: { name: string }) => c.name)).toEqual([
      "Availability",
      "Confidentiality",
      "Vulnerability Management",
      "Incident Response",
      "Access Security",
      "Communications",
    ]);
    expect(dashboard.body.changes).toContainEqual({
      controlKey: "bcdr-policy",
      title: "Business Continuity and Disaster Recovery Policy",
      from: "failing",
      to: "passing",
    });
    const ranked = dashboard.body.attention.map((a: { status: string }) => a.status);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked).toEqual(
      [...ranked].sort((a: string, b: string) => (a === b ? 0 : a === "failing" ? -1 : 1)),
    );
    expect(dashboard.body.attention[0].tests[0].offenders[0].action).toEqual(expect.any(String));
    expect(dashboard.body.history.at(-1).day).toBe(to);
  });
});
