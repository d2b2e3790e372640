import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { type Org, organization, storedIncident, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { pageTexts } from "../../helpers/pdf-text.ts";

/**
 * GET /incidents/:id/export.pdf: the incident with its facts, timeline, notices and lessons
 * learned, for auditors and customers who ask; readers of incidents only; every export audited.
 */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Export Co" });
});
afterAll(async () => {
  await t?.close();
});

async function download(client: Org["owner"]["client"], url: string) {
  const response = await t.app.inject({
    method: "GET",
    url,
    headers: client.cookie ? { cookie: client.cookie } : {},
  });
  return {
    status: response.statusCode,
    type: String(response.headers["content-type"] ?? ""),
    disposition: String(response.headers["content-disposition"] ?? ""),
    bytes: response.rawPayload,
  };
}

const textOf = async (bytes: Buffer) => (await pageTexts(bytes)).join("\n");

/** Approved lessons learned with one action item, written straight into the database. */
async function approvedLessons(incidentId: string) {
  await withTenant(t.deps.db, org.id, async (tx) => {
    const lessons = await tx
      .insertInto("incident_lessons")
      .values({
        organization_id: org.id,
        incident_id: incidentId,
        author_id: org.owner.id,
        what_happened: "A backup bucket was public.",
        impact: "Two customers' exports.",
        root_cause: "A bucket policy left open.",
        went_well: "Detected within an hour.",
        to_improve: "Scan bucket policies.",
        status: "approved",
        approved_by: org.owner.id,
        approved_at: new Date(),
        shared_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("incident_action_items")
      .values({
        organization_id: org.id,
        incident_id: incidentId,
        lessons_id: lessons.id,
        title: "Add a bucket policy scan",
        owner_id: org.owner.id,
        due_on: "2027-01-15",
      })
      .execute();
  });
}

describe("the incident export", () => {
  it("should render the timeline, the notices and the lessons learned, and audit the export", async () => {
    const { id } = await storedIncident(org, {
      title: "Public backup bucket",
      severity: "high",
      reportedHoursAgo: 100,
      triagedHoursAgo: 98,
      resolvedHoursAgo: 50,
      customersAffected: true,
      lastNoteHoursAgo: 60,
    });
    const draft = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, {
      title: "Exposure of some exports",
    });
    await org.owner.client.post(`/api/v1/notices/${draft.body.id}/publish`, {});
    await approvedLessons(id);

    const pdf = await download(org.owner.client, `/api/v1/incidents/${id}/export.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(pdf.disposition).toMatch(
      /attachment; filename="incident-inc-0001-\d{4}-\d{2}-\d{2}\.pdf"/,
    );
    const text = await textOf(pdf.bytes);
    for (const expected of [
      "INC-0001: Public backup bucket",
      "Customers affected: yes",
      "Timeline",
      "Incident declared",
      "Severity changed from none to high",
      "Status changed from triaged to resolved",
      "Marked as affecting customers",
      "Still investigating.",
      "Notice published: Exposure of some exports",
      "Notices",
      "Exposure of some exports",
      "Lessons learned",
      "A bucket policy left open.",
      "Add a bucket policy scan",
    ]) {
      expect(text).toContain(expected);
    }

    const audit = await org.owner.client.get(`/api/v1/audit-events?targetId=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: "incident.exported" });
    expect(audit.body.items[0].after).toMatchObject({ format: "pdf", reference: "INC-0001" });
  });

  it("should say when there are no notices or lessons yet", async () => {
    const { id } = await storedIncident(org, { title: "Lost laptop" });
    const pdf = await download(org.owner.client, `/api/v1/incidents/${id}/export.pdf`);
    expect(pdf.status).toBe(200);
    const text = await textOf(pdf.bytes);
    expect(text).toContain("Lost laptop");
    expect(text).toContain("No notice has been written about this incident.");
    expect(text).toContain("No lessons learned have been written yet.");
  });

  it("should let readers of incidents export, no one else, and only their organization's", async () => {
    const { id } = await storedIncident(org);
    const auditor = await user(org, "auditor");
    expect((await download(auditor.client, `/api/v1/incidents/${id}/export.pdf`)).status).toBe(200);
    const member = await user(org, "member");
    expect((await download(member.client, `/api/v1/incidents/${id}/export.pdf`)).status).toBe(403);

    const other = await organization(t);
    const { id: foreign } = await storedIncident(other);
    expect(
      (await download(org.owner.client, `/api/v1/incidents/${foreign}/export.pdf`)).status,
    ).toBe(404);
    expect(
      (await download(org.owner.client, `/api/v1/incidents/${randomUUID()}/export.pdf`)).status,
    ).toBe(404);
    const bad = await org.owner.client.get("/api/v1/incidents/INC-1/export.pdf");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("id");
  });
});
