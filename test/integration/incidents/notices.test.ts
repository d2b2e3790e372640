import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { notice, type Org, organization, storedIncident, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * Customer notices drafted from an incident (POST /incidents/:id/notices): prefilled from the
 * incident and linked to it; the notices routes accept only an incident of the organization;
 * publishing puts the notice on the incident's timeline, and telling subscribers is dated.
 */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Notices from incidents" });
});
afterAll(async () => {
  await t?.close();
});

/** The incident's timeline entries of kind "notice", straight from the database. */
function noticeEntries(incidentId: string) {
  return withTenant(t.deps.db, org.id, (tx) =>
    tx
      .selectFrom("incident_entries")
      .select(["notice_id", "body", "author_id"])
      .where("incident_id", "=", incidentId)
      .where("kind", "=", "notice")
      .orderBy("created_at")
      .execute(),
  );
}

function noticeRow(id: string) {
  return withTenant(t.deps.db, org.id, (tx) =>
    tx
      .selectFrom("notices")
      .select(["published_at", "subscribers_notified_at", "incident_id"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow(),
  );
}

describe("notices drafted from an incident", () => {
  it("should draft a notice prefilled from the incident and linked to it, audited", async () => {
    const { id } = await storedIncident(org, {
      title: "Customer exports exposed",
      severity: "high",
      customersAffected: true,
    });
    const reply = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, {});
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      title: "Customer exports exposed",
      severity: "high",
      kind: "incident",
      status: "draft",
      incidentId: id,
      publishedAt: null,
    });
    expect(reply.body.body).toContain(
      "we identified a security incident: Customer exports exposed",
    );
    expect(reply.body.body).toContain("**What happened.** Written by the test factory.");

    const given = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, {
      title: "Security notice",
      body: "Our words.",
    });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ title: "Security notice", incidentId: id });
    expect(given.body.body).toBe("Our words.");

    const listed = await org.owner.client.get(`/api/v1/notices?incidentId=${id}`);
    expect(listed.body.items.map((n: { id: string }) => n.id).sort()).toEqual(
      [reply.body.id, given.body.id].sort(),
    );
    const audit = await org.owner.client.get(`/api/v1/audit-events?targetId=${reply.body.id}`);
    expect(audit.body.items[0]).toMatchObject({ action: "notice.created" });
    expect(audit.body.items[0].after.incidentId).toBe(id);
    // A draft is not on the incident's timeline.
    expect(await noticeEntries(id)).toEqual([]);
  });

  it("should refuse bad input naming the field, other roles, and other organizations' incidents", async () => {
    const { id } = await storedIncident(org);
    const empty = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, { title: " " });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe("title");
    const typed = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, { body: 5 });
    expect(typed.status).toBe(400);
    expect(typed.body.errors[0].field).toBe("body");
    const badId = await org.owner.client.post("/api/v1/incidents/INC-1/notices", {});
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe("id");

    for (const role of ["editor", "member", "auditor"] as const) {
      const someone = await user(org, role);
      const reply = await someone.client.post(`/api/v1/incidents/${id}/notices`, {});
      expect(reply.status).toBe(403);
    }
    const admin = await user(org, "admin");
    expect((await admin.client.post(`/api/v1/incidents/${id}/notices`, {})).status).toBe(201);

    const other = await organization(t);
    const { id: foreign } = await storedIncident(other);
    expect((await org.owner.client.post(`/api/v1/incidents/${foreign}/notices`, {})).status).toBe(
      404,
    );
    expect(
      (await org.owner.client.post(`/api/v1/incidents/${randomUUID()}/notices`, {})).status,
    ).toBe(404);

    // The notices routes take only an incident of the organization.
    const created = await org.owner.client.post("/api/v1/notices", {
      title: "T",
      body: "x",
      severity: "low",
      incidentId: foreign,
    });
    expect(created.status).toBe(400);
    expect(created.body.errors[0].field).toBe("incidentId");
    const { id: noticeId } = await notice(org, { published: false });
    const linked = await org.owner.client.patch(`/api/v1/notices/${noticeId}`, {
      incidentId: foreign,
    });
    expect(linked.status).toBe(400);
    expect(linked.body.errors[0].field).toBe("incidentId");
    expect((await noticeRow(noticeId)).incident_id).toBeNull();
  });

  it("should put a published notice on the incident's timeline and date when subscribers are told", async () => {
    const { id } = await storedIncident(org, { customersAffected: true });
    const draft = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, {});
    const quiet = await org.owner.client.post(`/api/v1/notices/${draft.body.id}/publish`, {
      notifySubscribers: false,
    });
    expect(quiet.status).toBe(200);
    expect(await noticeEntries(id)).toEqual([
      { notice_id: draft.body.id, body: draft.body.title, author_id: org.owner.id },
    ]);
    const published = await noticeRow(draft.body.id);
    expect(published.published_at).not.toBeNull();
    expect(published.subscribers_notified_at).toBeNull();

    // An update that mails subscribers tells them, once: a second keeps the first moment.
    const update = await org.owner.client.post(`/api/v1/notices/${draft.body.id}/updates`, {
      body: "Contained.",
      notifySubscribers: true,
    });
    expect(update.status).toBe(200);
    const told = (await noticeRow(draft.body.id)).subscribers_notified_at;
    expect(told).not.toBeNull();
    await org.owner.client.post(`/api/v1/notices/${draft.body.id}/updates`, {
      body: "Resolved.",
      notifySubscribers: true,
    });
    expect((await noticeRow(draft.body.id)).subscribers_notified_at).toEqual(told);

    // Published with mail: told at publication.
    const second = await org.owner.client.post(`/api/v1/incidents/${id}/notices`, {});
    await org.owner.client.post(`/api/v1/notices/${second.body.id}/publish`, {});
    const row = await noticeRow(second.body.id);
    expect(row.subscribers_notified_at).toEqual(row.published_at);

    // A published notice linked afterwards goes on the timeline too.
    const { id: earlier } = await notice(org, { title: "Published before linking" });
    const linked = await org.owner.client.patch(`/api/v1/notices/${earlier}`, { incidentId: id });
    expect(linked.status).toBe(200);
    const entries = await noticeEntries(id);
    expect(entries.map((e) => e.notice_id)).toEqual([draft.body.id, second.body.id, earlier]);
    expect(entries[2]?.body).toBe("Published before linking");
  });
});
