import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  changeIncident,
  declare,
  notice,
  type Org,
  organization,
  resolve,
  triage,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The incident list: the latest reported first, filtered by status (open: reported, triaged
 * or contained), severity and text or number, paged by cursor without gaps or repeats; what
 * other parts of the area add to each incident (the plan's test, the time to the first notice,
 * lessons learned) read from their tables.
 */
let t: TestApp;
let org: Org;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  // Five incidents, the first reported first.
  ids.phishing = (await declare(org, undefined, { title: "Phishing of finance" })).id;
  ids.laptop = (await declare(org, undefined, { title: "Lost laptop" })).id;
  ids.outage = (await declare(org, undefined, { title: "Outage of the 100% uptime API" })).id;
  ids.leak = (await declare(org, undefined, { title: "Data leak" })).id;
  ids.ddos = (await declare(org, undefined, { title: "DDoS" })).id;
  await triage(org, ids.laptop as string, { severity: "low" });
  await resolve(org, ids.outage as string);
  await triage(org, ids.leak as string, { severity: "critical" });
  await changeIncident(org, ids.leak as string, { status: "contained" });
});
afterAll(async () => {
  await t?.close();
});

async function titles(query: string, client = org.owner.client): Promise<string[]> {
  const reply = await client.get(`/api/v1/incidents${query}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.items.map((i: { title: string }) => i.title);
}

describe("the incident list", () => {
  it("lists the latest reported first, with each incident's summary", async () => {
    const reply = await org.owner.client.get("/api/v1/incidents");
    expect(reply.body.items.map((i: { reference: string }) => i.reference)).toEqual([
      "INC-0005",
      "INC-0004",
      "INC-0003",
      "INC-0002",
      "INC-0001",
    ]);
    expect(reply.body.nextCursor).toBeNull();
    const leak = reply.body.items[1];
    expect(leak).toMatchObject({
      title: "Data leak",
      severity: "critical",
      status: "contained",
      owner: { id: org.owner.id },
      triageBy: null,
      isPlanTest: false,
      timeToNoticeHours: null,
    });
    expect(leak.description).toBeUndefined();
    expect(leak.may).toBeUndefined();
  });

  it("filters by status, open meaning reported, triaged or contained", async () => {
    expect(await titles("?status=open")).toEqual([
      "DDoS",
      "Data leak",
      "Lost laptop",
      "Phishing of finance",
    ]);
    expect(await titles("?status=reported")).toEqual(["DDoS", "Phishing of finance"]);
    expect(await titles("?status=resolved")).toEqual(["Outage of the 100% uptime API"]);
    expect(await titles("?status=closed")).toEqual([]);
  });

  it("filters by severity and searches titles and numbers", async () => {
    expect(await titles("?severity=critical")).toEqual(["Data leak"]);
    expect(await titles("?severity=low&status=open")).toEqual(["Lost laptop"]);
    expect(await titles("?q=LAPTOP")).toEqual(["Lost laptop"]);
    // Pattern characters are taken literally.
    expect(await titles("?q=100%25")).toEqual(["Outage of the 100% uptime API"]);
    expect(await titles("?q=_")).toEqual([]);
    expect(await titles("?q=INC-0004")).toEqual(["Data leak"]);
    expect(await titles("?q=2")).toEqual(["Lost laptop"]);
  });

  it("pages by cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const reply = await org.owner.client.get(`/api/v1/incidents${query}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((i: { id: string }) => i.id));
      cursor = reply.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([ids.ddos, ids.leak, ids.outage, ids.laptop, ids.phishing]);
    const bad = await org.owner.client.get("/api/v1/incidents?cursor=nonsense");
    expect(bad.status).toBe(400);
    const badStatus = await org.owner.client.get("/api/v1/incidents?status=solved");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0].field).toBe("status");
  });

  it("shows a member only what they declared, an auditor everything", async () => {
    const member = await user(org, "member");
    const auditor = await user(org, "auditor");
    await declare(org, member, { title: "Suspicious USB stick" });
    expect(await titles("", member.client)).toEqual(["Suspicious USB stick"]);
    expect(await titles("?q=laptop", member.client)).toEqual([]);
    expect(await titles("", auditor.client)).toHaveLength(6);
  });

  it("says whether an exercise takes it as the plan's test, its notices and the time to the first one, and its lessons", async () => {
    const own = await organization(t);
    const incident = await declare(own, undefined, {
      title: "Customer data exposed",
      customersAffected: true,
    });
    const id = incident.id as string;
    await triage(own, id, { severity: "high" });
    await resolve(own, id);
    const told = await notice(own, { title: "About the exposure" });
    // Rows of the other parts of the area, written as they will write them.
    await withTenant(t.deps.db, own.id, async (tx) => {
      const row = await tx
        .selectFrom("incidents")
        .select(["triaged_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const triaged = row.triaged_at as Date;
      // Marked as affecting customers before its triage: the clock runs from the triage.
      await tx
        .updateTable("notices")
        .set({ incident_id: id, published_at: new Date(triaged.getTime() + 5 * 3_600_000) })
        .where("id", "=", told.id)
        .execute();
      await tx
        .insertInto("ir_exercises")
        .values({
          organization_id: own.id,
          kind: "incident",
          incident_id: id,
          title: "The exposure as the plan's test",
          held_on: new Date().toISOString().slice(0, 10),
        })
        .execute();
      await tx
        .insertInto("incident_lessons")
        .values({ organization_id: own.id, incident_id: id, author_id: own.owner.id })
        .execute();
    });
    const listed = (await own.owner.client.get("/api/v1/incidents")).body.items[0];
    expect(listed).toMatchObject({ isPlanTest: true, timeToNoticeHours: 5 });
    const detail = (await own.owner.client.get(`/api/v1/incidents/${id}`)).body;
    expect(detail).toMatchObject({
      isPlanTest: true,
      timeToNoticeHours: 5,
      lessons: { status: "draft", approvedAt: null },
      notices: [{ id: told.id, title: "About the exposure", status: "published" }],
    });
  });
});
