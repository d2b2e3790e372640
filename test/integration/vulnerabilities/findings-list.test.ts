import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, organization, sqlFinding, system, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The findings list and a finding through the API: ordered by deadline (none last), then
 * severity; paged by an opaque cursor; filtered by system, severity, status, SLA state,
 * source, assignee and a search of title, identifiers, package and file. Triage: assignment
 * (to an active user), comments, false positive (a reason required) and reopening, each
 * audited; auditors read but do not triage.
 */
let t: TestApp;
let org: Org;
let api: { id: string; name: string };
let web: { id: string; name: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Listing Co" });
  api = await system(org, { name: "api-1", scanned: true });
  web = await system(org, { name: "web-1", scanned: true });
  ids.overdue = (
    await sqlFinding(org, { systemId: api.id, severity: "high", detectedDaysAgo: 40 })
  ).id;
  ids.soon = (
    await sqlFinding(org, {
      systemId: api.id,
      severity: "critical",
      detectedDaysAgo: 5,
      identifiers: ["CVE-2024-3094"],
      packageName: "xz-utils",
    })
  ).id;
  ids.within = (
    await sqlFinding(org, {
      systemId: web.id,
      severity: "low",
      detectedDaysAgo: 1,
      packageName: null,
      filePath: "src/login.ts",
      title: "Hard-coded 50% discount",
    })
  ).id;
  ids.resolved = (
    await sqlFinding(org, {
      systemId: web.id,
      severity: "critical",
      closed: { status: "resolved", daysAgo: 0 },
    })
  ).id;
});
afterAll(async () => {
  await t?.close();
});

async function list(query = "") {
  const reply = await org.owner.client.get(`/api/v1/findings${query}`);
  expect(reply.status).toBe(200);
  return reply.body as { items: Record<string, unknown>[]; nextCursor: string | null };
}
const idsOf = (page: { items: Record<string, unknown>[] }) => page.items.map((i) => i.id);

describe("the findings list", () => {
  it("orders by deadline then severity, and states the SLA in words", async () => {
    const page = await list();
    expect(idsOf(page)).toEqual([ids.overdue, ids.soon, ids.within, ids.resolved]);
    expect(page.items.map((i) => i.sla)).toEqual(["overdue", "due_soon", "within", null]);
    expect(page.items[1]).toMatchObject({
      systemName: "api-1",
      source: "scan",
      severity: "critical",
      identifiers: ["CVE-2024-3094"],
      packageName: "xz-utils",
      status: "open",
      assigneeId: null,
    });
  });

  it("pages with an opaque cursor", async () => {
    const seen: unknown[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([ids.overdue, ids.soon, ids.within, ids.resolved]);
    const bad = await org.owner.client.get("/api/v1/findings?cursor=nonsense");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("cursor");
  });

  it("filters", async () => {
    expect(idsOf(await list(`?systemId=${web.id}`))).toEqual([ids.within, ids.resolved]);
    expect(idsOf(await list("?severity=critical,low"))).toEqual([
      ids.soon,
      ids.within,
      ids.resolved,
    ]);
    expect(idsOf(await list("?status=resolved"))).toEqual([ids.resolved]);
    expect(idsOf(await list("?sla=overdue"))).toEqual([ids.overdue]);
    expect(idsOf(await list("?sla=due_soon"))).toEqual([ids.soon]);
    expect(idsOf(await list("?source=pentest"))).toEqual([]);
    expect(idsOf(await list("?q=cve-2024-3094"))).toEqual([ids.soon]);
    expect(idsOf(await list("?q=xz-"))).toEqual([ids.soon]);
    expect(idsOf(await list("?q=login.ts"))).toEqual([ids.within]);
    expect(idsOf(await list("?q=50%25"))).toEqual([ids.within]);
    const bad = await org.owner.client.get("/api/v1/findings?severity=critical,urgent");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("severity");
  });
});

describe("triage", () => {
  it("assigns to an active user, and filters by assignee", async () => {
    const editor = await user(org, "editor", { name: "Eve Editor" });
    const auditor = await user(org, "auditor");
    const people = await editor.client.get("/api/v1/finding-assignees");
    expect(people.body.items.map((p: { name: string }) => p.name)).toContain("Eve Editor");
    const assigned = await editor.client.patch(`/api/v1/findings/${ids.soon}`, {
      assigneeId: editor.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assigneeId: editor.id, assigneeName: "Eve Editor" });
    expect(idsOf(await list(`?assigneeId=${editor.id}`))).toEqual([ids.soon]);
    const stranger = await editor.client.patch(`/api/v1/findings/${ids.soon}`, {
      assigneeId: "00000000-0000-4000-8000-000000000000",
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors[0].field).toBe("assigneeId");
    expect(
      (await auditor.client.patch(`/api/v1/findings/${ids.soon}`, { assigneeId: null })).status,
    ).toBe(403);
    expect((await auditor.client.get(`/api/v1/findings/${ids.soon}`)).status).toBe(200);
    const cleared = await editor.client.patch(`/api/v1/findings/${ids.soon}`, { assigneeId: null });
    expect(cleared.body.assigneeId).toBeNull();
  });

  it("comments, marks a false positive with a reason, and reopens it with its deadline", async () => {
    const commented = await org.owner.client.post(`/api/v1/findings/${ids.overdue}/comments`, {
      body: "Upgrading next sprint.",
    });
    expect(commented.status).toBe(201);
    expect(commented.body.comments).toEqual([
      expect.objectContaining({ body: "Upgrading next sprint." }),
    ]);
    const noReason = await org.owner.client.post(
      `/api/v1/findings/${ids.overdue}/false-positive`,
      {},
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe("reason");
    const marked = await org.owner.client.post(`/api/v1/findings/${ids.overdue}/false-positive`, {
      reason: "The vulnerable function is never called.",
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ status: "false_positive", deadlineAt: null, sla: null });
    const dueAt = marked.body.dueAt;
    const twice = await org.owner.client.post(`/api/v1/findings/${ids.overdue}/false-positive`, {
      reason: "again",
    });
    expect(twice.status).toBe(409);
    const openOne = await org.owner.client.post(`/api/v1/findings/${ids.soon}/reopen`, {
      reason: "x",
    });
    expect(openOne.status).toBe(409);
    const reopened = await org.owner.client.post(`/api/v1/findings/${ids.overdue}/reopen`, {
      reason: "It is called after all.",
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({
      status: "open",
      dueAt,
      deadlineAt: dueAt,
      sla: "overdue",
    });
    expect(reopened.body.history.map((h: { status: string }) => h.status)).toEqual([
      "open",
      "false_positive",
      "open",
    ]);
    const audit = await org.owner.client.get("/api/v1/audit-events?limit=20");
    const sentences = audit.body.items.map((e: { action: string }) => e.action);
    expect(sentences).toEqual(
      expect.arrayContaining(["finding.commented", "finding.false_positive", "finding.reopened"]),
    );
    expect(
      (await org.owner.client.get("/api/v1/findings/00000000-0000-4000-8000-000000000000")).status,
    ).toBe(404);
  });
});
