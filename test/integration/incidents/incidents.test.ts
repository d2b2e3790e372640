import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changeIncident,
  declare,
  incidentAttachment,
  incidentNote,
  type Org,
  organization,
  report,
  system,
  triage,
  user,
} from "../../factories.ts";
import { createTestApp, formOf, type TestApp } from "../../helpers/app.ts";

/**
 * Incidents through the API: declared by a member, triaged, contained, resolved, reopened and
 * closed along the status machine, each change on the timeline (from/to) and in the audit
 * trail; notes and attachments (encrypted evidence); who sees what; a report's handler
 * declaring one from a confidential report without the reporter showing.
 */
let t: TestApp;
const MAX_BYTES = 64_000;

beforeAll(async () => {
  t = await createTestApp({ evidenceMaxBytes: MAX_BYTES });
});
afterAll(async () => {
  await t?.close();
});

async function auditActions(org: Org) {
  const reply = await org.owner.client.get("/api/v1/audit-events?limit=200");
  expect(reply.status).toBe(200);
  return (reply.body.items as { action: string }[]).map((e) => e.action);
}

async function entriesOf(org: Org, id: string) {
  const reply = await org.owner.client.get(`/api/v1/incidents/${id}/entries`);
  expect(reply.status).toBe(200);
  return reply.body.items as {
    kind: string;
    from: string | null;
    to: string | null;
    body: string;
    author: { id: string } | null;
    evidence: { id: string; fileName: string } | null;
  }[];
}

const HOUR = 3_600_000;

describe("an incident's lifecycle", () => {
  it("is declared by a member, triaged, contained, resolved, reopened, resolved and closed, every change on the timeline", async () => {
    const org = await organization(t);
    const member = await user(org, "member");
    const editor = await user(org, "editor");
    const api = await system(org, { name: "API gateway" });

    const declared = await declare(org, member, {
      title: "Phishing mail clicked",
      description: "A colleague entered their password on a fake page.",
      systemIds: [api.id],
    });
    expect(declared).toMatchObject({
      reference: "INC-0001",
      number: 1,
      title: "Phishing mail clicked",
      status: "reported",
      severity: null,
      owner: null,
      reportedBy: { id: member.id },
      fromReport: false,
      systems: [{ id: api.id, name: "API gateway" }],
      customersAffected: false,
      isPlanTest: false,
      lessons: null,
      notices: [],
      timeToNoticeHours: null,
      nextUpdateBy: null,
      may: { manage: false, approve: false },
    });
    const reportedAt = new Date(declared.reportedAt).getTime();
    // 24 hours to triage by default.
    expect(new Date(declared.triageBy).getTime()).toBe(reportedAt + 24 * HOUR);
    const id = declared.id as string;

    // Leaving "reported" needs a severity and an owner.
    const untriaged = await org.owner.client.patch(`/api/v1/incidents/${id}`, {
      status: "triaged",
    });
    expect(untriaged.status).toBe(409);
    expect(untriaged.body.detail).toContain("severity and an owner");

    const triaged = await triage(org, id, { severity: "high", ownerId: editor.id });
    expect(triaged).toMatchObject({
      status: "triaged",
      severity: "high",
      owner: { id: editor.id },
      triageBy: null,
      may: { manage: true, approve: true },
    });
    expect(triaged.triagedAt).not.toBeNull();
    // A high incident needs an update every 3 days.
    expect(new Date(triaged.nextUpdateBy).getTime()).toBe(
      new Date(triaged.lastEntryAt).getTime() + 3 * 24 * HOUR,
    );

    const contained = await changeIncident(org, id, { status: "contained" }, editor.client);
    expect(contained.containedAt).not.toBeNull();
    const resolved = await changeIncident(org, id, { status: "resolved", severity: "medium" });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.nextUpdateBy).toBeNull();

    // Reopened: back to contained, the resolution cleared.
    const reopened = await changeIncident(org, id, { status: "contained" });
    expect(reopened).toMatchObject({ status: "contained", resolvedAt: null });
    expect(reopened.containedAt).toBe(contained.containedAt);
    await changeIncident(org, id, { status: "resolved" });
    const closed = await changeIncident(org, id, { status: "closed" });
    expect(closed.closedAt).not.toBeNull();

    // Nothing moves a closed incident, nor backwards.
    for (const status of ["resolved", "contained", "reported"]) {
      const refused = await org.owner.client.patch(`/api/v1/incidents/${id}`, { status });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("conflict");
    }

    const entries = await entriesOf(org, id);
    expect(entries.map((e) => [e.kind, e.from, e.to])).toEqual([
      ["declared", null, null],
      ["severity", null, "high"],
      ["owner", null, editor.id],
      ["status", "reported", "triaged"],
      ["status", "triaged", "contained"],
      ["severity", "high", "medium"],
      ["status", "contained", "resolved"],
      ["status", "resolved", "contained"],
      ["status", "contained", "resolved"],
      ["status", "resolved", "closed"],
    ]);
    expect(entries[0]?.author?.id).toBe(member.id);
    expect(entries[4]?.author?.id).toBe(editor.id);

    const actions = await auditActions(org);
    expect(actions.filter((a) => a === "incident.declared")).toHaveLength(1);
    expect(actions.filter((a) => a === "incident.updated")).toHaveLength(6);
    const events = (await org.owner.client.get("/api/v1/audit-events?limit=200")).body.items as {
      action: string;
      summary: string;
    }[];
    const summaries = events.filter((e) => e.action.startsWith("incident.")).map((e) => e.summary);
    expect(
      summaries.some((s) =>
        s.includes("moved INC-0001 Phishing mail clicked from resolved to closed"),
      ),
    ).toBe(true);
    expect(
      summaries.some((s) => s.includes("declared the incident INC-0001 Phishing mail clicked")),
    ).toBe(true);
  });

  it("skips stages forward, dating the skipped ones, and records customer impact", async () => {
    const org = await organization(t);
    const incident = await declare(org, undefined, {
      title: "Database exposed",
      severity: "critical",
      customersAffected: true,
      affectedCustomers: ["Acme"],
    });
    const id = incident.id as string;
    expect(incident).toMatchObject({ severity: "critical", customersAffected: true });
    // Declared with a severity: the update clock runs (a critical one: a day).
    expect(new Date(incident.nextUpdateBy).getTime()).toBe(
      new Date(incident.lastEntryAt).getTime() + 24 * HOUR,
    );
    const resolved = await changeIncident(org, id, {
      ownerId: org.owner.id,
      status: "resolved",
      customersAffected: false,
      customerDataAffected: true,
    });
    expect(resolved).toMatchObject({
      status: "resolved",
      customersAffected: false,
      customerDataAffected: true,
      affectedCustomers: ["Acme"],
    });
    expect(resolved.triagedAt).toBe(resolved.resolvedAt);
    expect(resolved.containedAt).toBe(resolved.resolvedAt);
    const entries = await entriesOf(org, id);
    expect(entries.map((e) => [e.kind, e.from, e.to])).toEqual([
      ["declared", null, null],
      ["severity", null, "critical"],
      ["customers", "false", "true"],
      ["owner", null, org.owner.id],
      ["customers", "true", "false"],
      ["status", "reported", "resolved"],
    ]);
  });

  it("keeps notes and actions on the timeline, dated as told, never in the future", async () => {
    const org = await organization(t);
    const { id } = await declare(org);
    const earlier = new Date(Date.now() - 2 * HOUR).toISOString();
    const note = await incidentNote(org, id, {
      kind: "action",
      body: "Rotated the keys.",
      occurredAt: earlier,
    });
    expect(note).toMatchObject({
      kind: "action",
      body: "Rotated the keys.",
      occurredAt: earlier,
      author: { id: org.owner.id },
      evidence: null,
      notice: null,
    });
    const future = await org.owner.client.post(`/api/v1/incidents/${id}/entries`, {
      kind: "note",
      body: "Later",
      occurredAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe("occurredAt");
    const detail = await org.owner.client.get(`/api/v1/incidents/${id}`);
    expect(detail.body.lastEntryAt).toBe(note.createdAt);
    expect(await auditActions(org)).toContain("incident.entry_added");
  });

  it("answers the severities with their definitions, update days and the triage hours", async () => {
    const org = await organization(t);
    const member = await user(org, "member");
    const reply = await member.client.get("/api/v1/incidents/severities");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      critical: { definition: expect.any(String), updateDays: 1 },
      high: { updateDays: 3 },
      medium: { updateDays: 7 },
      low: { updateDays: 14 },
      triageHours: 24,
    });
  });
});

describe("attachments", () => {
  it("files an attachment as encrypted evidence and gives the same bytes back", async () => {
    const org = await organization(t);
    const { id } = await declare(org);
    const content = `Firewall log ${randomUUID()}`;
    const entry = await incidentAttachment(org, id, {
      name: "firewall.log.txt",
      content,
      body: "The firewall's log",
    });
    expect(entry).toMatchObject({
      kind: "attachment",
      body: "The firewall's log",
      evidence: { id: expect.any(String), fileName: "firewall.log.txt" },
    });
    const download = await org.owner.client.get(`/api/v1/evidence/${entry.evidence.id}/download`);
    expect(download.status).toBe(200);
    expect(download.body).toBe(content);
    const evidence = await org.owner.client.get(`/api/v1/evidence/${entry.evidence.id}`);
    expect(evidence.body).toMatchObject({ controlKey: "incident-tracking" });
    const entries = await entriesOf(org, id);
    expect(entries.at(-1)).toMatchObject({ kind: "attachment", evidence: entry.evidence });
    expect(await auditActions(org)).toEqual(
      expect.arrayContaining(["incident.attachment_added", "evidence.uploaded"]),
    );

    const refused = await org.owner.client.postForm(
      `/api/v1/incidents/${id}/attachments`,
      formOf({}, { name: "tool.exe", type: "application/x-msdownload", content: "MZ" }),
    );
    expect(refused.status).toBe(415);
    const empty = await org.owner.client.postForm(
      `/api/v1/incidents/${id}/attachments`,
      formOf({ body: "no file" }),
    );
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe("file");
    const large = await org.owner.client.postForm(
      `/api/v1/incidents/${id}/attachments`,
      formOf({}, { name: "dump.txt", type: "text/plain", content: "x".repeat(MAX_BYTES + 10) }),
    );
    expect(large.status).toBe(413);
    expect(large.body.errors[0].field).toBe("file");
    // Nothing of the refused forms is on the timeline.
    expect(await entriesOf(org, id)).toHaveLength(entries.length);
  });
});

describe("who sees and changes incidents", () => {
  it("shows a member only the incidents they declared; readers all; only managers change them", async () => {
    const org = await organization(t);
    const member = await user(org, "member");
    const other = await user(org, "member");
    const auditor = await user(org, "auditor");
    const mine = await declare(org, member, { title: "Lost laptop" });
    const theirs = await declare(org, other, { title: "Strange login" });

    const list = await member.client.get("/api/v1/incidents");
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect((await member.client.get(`/api/v1/incidents/${mine.id}`)).status).toBe(200);
    expect((await member.client.get(`/api/v1/incidents/${mine.id}/entries`)).status).toBe(200);
    const hidden = await member.client.get(`/api/v1/incidents/${theirs.id}`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain("Strange login");
    expect((await member.client.get(`/api/v1/incidents/${theirs.id}/entries`)).status).toBe(404);

    const all = await auditor.client.get("/api/v1/incidents");
    expect(all.body.items).toHaveLength(2);
    const read = await auditor.client.get(`/api/v1/incidents/${theirs.id}`);
    expect(read.body.may).toEqual({ manage: false, approve: false });

    for (const who of [member, auditor]) {
      expect((await who.client.patch(`/api/v1/incidents/${mine.id}`, { title: "x" })).status).toBe(
        403,
      );
      expect(
        (
          await who.client.post(`/api/v1/incidents/${mine.id}/entries`, {
            kind: "note",
            body: "x",
          })
        ).status,
      ).toBe(403);
    }
    expect((await auditor.client.post("/api/v1/incidents", { title: "x" })).status).toBe(403);
  });

  it("answers 404 for another organization's incidents, and 400 for its systems and users", async () => {
    const a = await organization(t);
    const b = await organization(t);
    const theirs = await declare(b, undefined, { title: "B's secret incident" });
    const bSystem = await system(b);
    for (const [method, url, body] of [
      ["GET", `/api/v1/incidents/${theirs.id}`, undefined],
      ["GET", `/api/v1/incidents/${theirs.id}/entries`, undefined],
      ["PATCH", `/api/v1/incidents/${theirs.id}`, { title: "Mine now" }],
      ["POST", `/api/v1/incidents/${theirs.id}/entries`, { kind: "note", body: "hello" }],
    ] as const) {
      const reply = await a.owner.client.request(method, url, body);
      expect(reply.status, `${method} ${url}`).toBe(404);
      expect(JSON.stringify(reply.body)).not.toContain("B's secret incident");
    }
    const attached = await a.owner.client.postForm(
      `/api/v1/incidents/${theirs.id}/attachments`,
      formOf({}, { name: "a.txt", type: "text/plain", content: "x" }),
    );
    expect(attached.status).toBe(404);
    expect((await a.owner.client.get("/api/v1/incidents")).body.items).toEqual([]);

    const mine = await declare(a);
    const badSystem = await a.owner.client.patch(`/api/v1/incidents/${mine.id}`, {
      systemIds: [bSystem.id],
    });
    expect(badSystem.status).toBe(400);
    expect(badSystem.body.errors[0].field).toBe("systemIds.0");
    const badOwner = await a.owner.client.patch(`/api/v1/incidents/${mine.id}`, {
      ownerId: b.owner.id,
    });
    expect(badOwner.status).toBe(400);
    expect(badOwner.body.errors[0].field).toBe("ownerId");
    const badSeverity = await a.owner.client.post("/api/v1/incidents", {
      title: "x",
      severity: "urgent",
    });
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.errors[0].field).toBe("severity");
    const noTitle = await a.owner.client.post("/api/v1/incidents", { description: "x" });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.errors[0].field).toBe("title");
  });
});

describe("incidents from confidential reports", () => {
  it("lets a handler declare one from a report, never naming the reporter; others are refused", async () => {
    const org = await organization(t);
    const admin = await user(org, "admin");
    const member = await user(org, "member");
    const received = await report(org, {
      subject: "Credentials in a public repository",
      details: "Found by Jane Reporter, jane@example.test",
    });

    // No handler designated: the owners handle reports. An admin is not one of them.
    const refused = await admin.client.post("/api/v1/incidents", {
      title: "Leaked credentials",
      reportId: received.id,
    });
    expect(refused.status).toBe(403);
    expect(
      (
        await member.client.post("/api/v1/incidents", {
          title: "Leaked credentials",
          reportId: received.id,
        })
      ).status,
    ).toBe(403);

    const designated = await org.owner.client.request("PUT", "/api/v1/reporting/handlers", {
      userIds: [admin.id],
    });
    expect(designated.status).toBe(200);
    // The owner is no handler any more.
    const notOwner = await org.owner.client.post("/api/v1/incidents", {
      title: "Leaked credentials",
      reportId: received.id,
    });
    expect(notOwner.status).toBe(403);

    const unknown = await admin.client.post("/api/v1/incidents", {
      title: "Leaked credentials",
      reportId: randomUUID(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("reportId");

    const declared = await admin.client.post("/api/v1/incidents", {
      title: "Leaked credentials",
      reportId: received.id,
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ fromReport: true, reportedBy: { id: admin.id } });
    const id = declared.body.id as string;
    const texts = [
      JSON.stringify(declared.body),
      JSON.stringify((await org.owner.client.get(`/api/v1/incidents/${id}`)).body),
      JSON.stringify(await entriesOf(org, id)),
      JSON.stringify((await org.owner.client.get("/api/v1/incidents")).body),
    ];
    for (const text of texts) {
      expect(text).not.toContain("Jane");
      expect(text).not.toContain("Credentials in a public repository");
      expect(text).not.toContain(received.id);
      expect(text).not.toContain(received.followUpKey);
    }

    const again = await admin.client.post("/api/v1/incidents", {
      title: "Leaked credentials again",
      reportId: received.id,
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("INC-0001");
  });
});
