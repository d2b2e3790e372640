import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  ownerPersonId,
  personIdOfUser,
  sqlAccount,
  sqlGrant,
  system,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { itemsOf } from "./helpers.ts";

/**
 * Starting a campaign freezes the access standing then (grants and accounts, with their
 * context); each item goes to the system's owner, never to the person under review; a system
 * is in one open campaign at a time; cancelling frees it.
 */
let t: TestApp;
let org: Org;
let rita: Person;
let ritaPerson: string;
let outsider: Person;
let pat: string;
let quinn: string;
let ledger: string;
let patGrant: string;

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Reviews Co" });
  rita = await user(org, "member", { name: "Rita Reviewer" });
  ritaPerson = await personIdOfUser(org.owner.client, rita.id);
  outsider = await user(org, "member", { name: "Olga Outsider" });
  pat = await apiPerson(org, { name: "Pat Payroll", jobRole: "Finance" });
  quinn = await apiPerson(org, { name: "Quinn Quality", jobRole: "QA" });
  ledger = (await ownedSystem(org, { ownerId: ritaPerson, name: "Ledger" })).id;
  patGrant = await sqlGrant(org, { personId: pat, systemId: ledger, systemRole: "clerk" });
  await sqlGrant(org, { personId: quinn, systemId: ledger, systemRole: "viewer" });
  await sqlGrant(org, { personId: ritaPerson, systemId: ledger, systemRole: "admin" });
  const account = await sqlAccount(org, { personId: pat, systemId: ledger, username: "pat" });
  await sqlAccount(org, {
    personId: ritaPerson,
    systemId: ledger,
    username: "svc-ledger",
    service: true,
  });
  await withTenant(t.deps.db, org.id, (tx) =>
    sql`update accounts set last_login_at = '2026-11-30T08:00:00Z' where id = ${account}`.execute(
      tx,
    ),
  );
});
afterAll(async () => {
  await t?.close();
});

describe("starting a campaign", () => {
  let reviewId: string;

  it("freezes every active grant and account of its systems, with their context", async () => {
    const started = await org.owner.client.post("/api/v1/access-reviews", {
      name: "Q4 Ledger review",
      systemIds: [ledger],
      dueAt: "2099-01-31",
    });
    expect(started.status).toBe(201);
    reviewId = started.body.id;
    expect(started.body).toMatchObject({
      name: "Q4 Ledger review",
      status: "open",
      scheduled: false,
      dueAt: "2099-01-31T23:59:59.999Z",
      counts: { items: 5, decided: 0, kept: 0, revoked: 0, revocationsDone: 0, needingReviewer: 2 },
      systems: [{ system: { id: ledger, name: "Ledger" }, owner: { id: ritaPerson }, items: 5 }],
    });
    const items = await itemsOf(org.owner.client, reviewId);
    expect(items).toHaveLength(5);
    const patItem = items.find((i) => i.grantId === patGrant);
    expect(patItem).toMatchObject({
      kind: "grant",
      person: { id: pat, name: "Pat Payroll" },
      systemRole: "clerk",
      jobRole: "Finance",
      username: "pat",
      lastLoginAt: "2026-11-30T08:00:00.000Z",
      reviewer: { id: ritaPerson, name: "Rita Reviewer" },
      decision: null,
    });
    const patAccount = items.find((i) => i.kind === "account" && i.username === "pat");
    expect(patAccount).toMatchObject({ person: { id: pat }, reviewer: { id: ritaPerson } });
    // The owner's own access waits for another reviewer: nobody reviews themselves.
    const own = items.filter((i) => i.person?.id === ritaPerson);
    expect(own).toHaveLength(2);
    for (const item of own) expect(item.reviewer).toBeNull();
    expect(items.find((i) => i.kind === "account" && i.username === "svc-ledger")?.service).toBe(
      true,
    );
  });

  it("later changes do not alter what is under review", async () => {
    const late = await apiPerson(org, { name: "Lou Late" });
    await sqlGrant(org, { personId: late, systemId: ledger, grantedAt: new Date() });
    await org.owner.client.post(`/api/v1/access-grants/${patGrant}/revoke`, {
      reason: "Left the team",
    });
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update people set job_role = 'Sales' where id = ${pat}`.execute(tx),
    );
    const items = await itemsOf(org.owner.client, reviewId);
    expect(items).toHaveLength(5);
    expect(items.some((i) => i.person?.id === late)).toBe(false);
    expect(items.find((i) => i.grantId === patGrant)).toMatchObject({
      systemRole: "clerk",
      jobRole: "Finance",
    });
  });

  it("refuses a system already under an open campaign, naming it (409)", async () => {
    const again = await org.owner.client.post("/api/v1/access-reviews", { systemIds: [ledger] });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("Ledger");
    expect(again.body.detail).toContain("Q4 Ledger review");
  });

  it("refuses archived and unknown systems, and a due date in the past (400)", async () => {
    const archived = await system(org, { archived: true });
    const reply = await org.owner.client.post("/api/v1/access-reviews", {
      systemIds: [archived.id],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("systemIds.0");
    const past = await org.owner.client.post("/api/v1/access-reviews", {
      systemIds: [(await system(org)).id],
      dueAt: "2020-01-01",
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe("dueAt");
    const empty = await org.owner.client.post("/api/v1/access-reviews", { systemIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe("systemIds");
  });

  it("a system with nothing to review is complete at once; the default due date follows settings", async () => {
    const bare = await system(org, { name: "Bare" });
    const before = Date.now();
    const started = await org.owner.client.post("/api/v1/access-reviews", {
      systemIds: [bare.id],
    });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe("completed");
    expect(started.body.systems[0].completedAt).not.toBeNull();
    const due = Date.parse(started.body.dueAt);
    expect(due - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 1000);
    expect(due - before).toBeLessThan(14 * 86_400_000 + 60_000);
  });

  it("items of a system whose owner has left wait for a reviewer", async () => {
    const gone = await apiPerson(org, { name: "Gus Gone", startDate: "2020-01-01" });
    const orphan = (await ownedSystem(org, { ownerId: gone, name: "Orphan" })).id;
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update people set end_date = '2021-01-01' where id = ${gone}`.execute(tx),
    );
    await sqlGrant(org, { personId: quinn, systemId: orphan });
    const started = await org.owner.client.post("/api/v1/access-reviews", {
      systemIds: [orphan],
    });
    expect(started.status).toBe(201);
    expect(started.body.counts).toMatchObject({ items: 1, needingReviewer: 1 });
    expect(started.body.systems[0].owner).toMatchObject({ id: gone });
  });

  it("the reviewer (a member) reads the campaign and their items; others do not", async () => {
    const seen = await rita.client.get(`/api/v1/access-reviews/${reviewId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.mayManage).toBe(false);
    const items = await itemsOf(rita.client, reviewId);
    expect(items.length).toBe(5);
    expect(items.filter((i) => i.mayDecide)).toHaveLength(3);
    const assigned = await rita.client.get("/api/v1/access-review-items/assigned");
    expect(assigned.status).toBe(200);
    expect(assigned.body.items).toHaveLength(3);
    expect(assigned.body.items[0].review).toMatchObject({ id: reviewId, name: "Q4 Ledger review" });
    expect((await outsider.client.get(`/api/v1/access-reviews/${reviewId}`)).status).toBe(404);
    expect((await outsider.client.get(`/api/v1/access-reviews/${reviewId}/items`)).status).toBe(
      404,
    );
    expect((await outsider.client.get("/api/v1/access-reviews")).status).toBe(403);
    const unknown = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";
    expect((await org.owner.client.get(`/api/v1/access-reviews/${unknown}/items`)).status).toBe(
      404,
    );
    expect((await outsider.client.get("/api/v1/access-review-items/assigned")).body.items).toEqual(
      [],
    );
  });

  it("lists campaigns newest first, filtered by status, paged", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const reply = await org.owner.client.get(`/api/v1/access-reviews?limit=1${query}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((r: { id: string }) => r.id));
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)).toBe(reviewId);
    const open = await org.owner.client.get("/api/v1/access-reviews?status=open");
    expect(open.body.items.map((r: { id: string }) => r.id)).toContain(reviewId);
    expect(open.body.items).toHaveLength(2);
    const completed = await org.owner.client.get("/api/v1/access-reviews?status=completed");
    expect(completed.body.items).toHaveLength(1);
  });

  it("cancelling frees the systems for another campaign", async () => {
    const member = await rita.client.post(`/api/v1/access-reviews/${reviewId}/cancel`, {
      reason: "Wrong scope",
    });
    expect(member.status).toBe(403);
    const cancelled = await org.owner.client.post(`/api/v1/access-reviews/${reviewId}/cancel`, {
      reason: "Wrong scope",
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancelReason: "Wrong scope" });
    const twice = await org.owner.client.post(`/api/v1/access-reviews/${reviewId}/cancel`, {
      reason: "Again",
    });
    expect(twice.status).toBe(409);
    const decide = await rita.client.post(`/api/v1/access-reviews/${reviewId}/decisions`, {
      itemIds: [(await itemsOf(rita.client, reviewId))[0]?.id],
      decision: "keep",
    });
    expect(decide.status).toBe(409);
    const restarted = await org.owner.client.post("/api/v1/access-reviews", {
      systemIds: [ledger],
    });
    expect(restarted.status).toBe(201);
    // Pat's grant was revoked meanwhile: the new campaign does not hold it.
    const items = await itemsOf(org.owner.client, restarted.body.id);
    expect(items.some((i) => i.grantId === patGrant)).toBe(false);
    expect(await ownerPersonId(org)).not.toBe(ritaPerson);
  });
});
