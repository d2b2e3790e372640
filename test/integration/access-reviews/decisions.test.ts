import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessReview,
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  ownerPersonId,
  personIdOfUser,
  sqlAccount,
  sqlGrant,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { itemsOf, type ReviewItem } from "./helpers.ts";

/**
 * Deciding: only the item's reviewer decides, keep or revoke, many items with one comment,
 * all or nothing; a revoke needs a comment and opens a revocation task due in 7 days for the
 * system's owner; reassigning never gives an item to the person under review.
 */
let t: TestApp;
let org: Org;
let rita: Person;
let ritaPerson: string;
let editor: Person;
let editorPerson: string;
let reviewId: string;
let items: ReviewItem[];
const people: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Decisions Co" });
  rita = await user(org, "member", { name: "Rita Reviewer" });
  ritaPerson = await personIdOfUser(org.owner.client, rita.id);
  editor = await user(org, "editor", { name: "Eddie Editor" });
  editorPerson = await personIdOfUser(org.owner.client, editor.id);
  const crm = (await ownedSystem(org, { ownerId: ritaPerson, name: "CRM" })).id;
  for (const name of ["Ann", "Ben", "Cat", "Dan"]) {
    people[name] = await apiPerson(org, { name, jobRole: "Sales" });
    await sqlGrant(org, { personId: people[name] as string, systemId: crm, systemRole: "rep" });
  }
  await sqlAccount(org, { personId: people.Dan as string, systemId: crm, username: "dan" });
  await sqlGrant(org, { personId: ritaPerson, systemId: crm, systemRole: "admin" });
  reviewId = (await accessReview(org, { systemIds: [crm], name: "CRM review" })).id;
  items = await itemsOf(org.owner.client, reviewId);
});
afterAll(async () => {
  await t?.close();
});

const decide = (who: Person, body: unknown) =>
  who.client.post(`/api/v1/access-reviews/${reviewId}/decisions`, body);
const itemOf = (name: string, kind: "grant" | "account" = "grant") =>
  items.find((i) => i.person?.name === name && i.kind === kind) as ReviewItem;

describe("deciding", () => {
  it("a revoke needs a comment (400 naming comment)", async () => {
    const reply = await decide(rita, { itemIds: [itemOf("Ann").id], decision: "revoke" });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe("comment");
    const blank = await decide(rita, {
      itemIds: [itemOf("Ann").id],
      decision: "revoke",
      comment: "   ",
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0].field).toBe("comment");
  });

  it("only the item's reviewer decides (403 naming the item), even an owner", async () => {
    const reply = await decide(org.owner, { itemIds: [itemOf("Ann").id], decision: "keep" });
    expect(reply.status).toBe(403);
    expect(reply.body.detail).toContain(itemOf("Ann").id);
    const auditor = await user(org, "auditor");
    expect((await decide(auditor, { itemIds: [itemOf("Ann").id], decision: "keep" })).status).toBe(
      403,
    );
  });

  it("keeps many items with one comment", async () => {
    const reply = await decide(rita, {
      itemIds: [itemOf("Ann").id, itemOf("Ben").id],
      decision: "keep",
      comment: "Both still on the sales team",
    });
    expect(reply.status).toBe(200);
    expect(reply.body.review.counts).toMatchObject({ decided: 2, kept: 2 });
    expect(reply.body.items).toHaveLength(2);
    for (const item of reply.body.items) {
      expect(item).toMatchObject({
        decision: "keep",
        comment: "Both still on the sales team",
        decidedBy: { id: rita.id },
        revocation: null,
        mayDecide: false,
      });
    }
  });

  it("is all or nothing: an item already decided refuses the batch (409 naming it)", async () => {
    const reply = await decide(rita, {
      itemIds: [itemOf("Cat").id, itemOf("Ann").id],
      decision: "keep",
    });
    expect(reply.status).toBe(409);
    expect(reply.body.errors[0].field).toBe("itemIds.1");
    const cat = (await itemsOf(rita.client, reviewId)).find((i) => i.id === itemOf("Cat").id);
    expect(cat?.decision).toBeNull();
    const unknown = await decide(rita, {
      itemIds: ["4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10"],
      decision: "keep",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("itemIds.0");
  });

  it("a revoke opens a revocation task for the system's owner, due in 7 days", async () => {
    const before = Date.now();
    const reply = await decide(rita, {
      itemIds: [itemOf("Dan").id, itemOf("Dan", "account").id],
      decision: "revoke",
      comment: "Dan moved to marketing",
    });
    expect(reply.status).toBe(200);
    expect(reply.body.review.counts).toMatchObject({ revoked: 2, revocationsDone: 0 });
    for (const item of reply.body.items as ReviewItem[]) {
      expect(item.revocation?.taskId).toBeTruthy();
      expect(item.revocation?.doneAt).toBeNull();
      const due = Date.parse(item.revocation?.dueAt as string);
      expect(due - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
      expect(due - before).toBeLessThan(7 * 86_400_000 + 60_000);
      const task = await rita.client.get(`/api/v1/access-tasks/${item.revocation?.taskId}`);
      expect(task.status).toBe(200);
      expect(task.body).toMatchObject({
        kind: "revoke",
        reason: "review",
        person: { id: people.Dan },
        assignee: { id: ritaPerson },
        state: "open",
        mayAct: true,
      });
      expect(task.body.grant ?? task.body.account).toBeTruthy();
    }
  });

  it("reassigns: never to the person under review nor to someone who left", async () => {
    const own = items.find((i) => i.person?.id === ritaPerson) as ReviewItem;
    expect(own.reviewer).toBeNull();
    const self = await org.owner.client.post(`/api/v1/access-reviews/${reviewId}/reassign`, {
      itemIds: [own.id],
      reviewerId: ritaPerson,
    });
    expect(self.status).toBe(400);
    expect(self.body.errors[0].field).toBe("reviewerId");
    const gone = await apiPerson(org, {
      name: "Gone",
      startDate: "2020-01-01",
      endDate: "2021-01-01",
    });
    const left = await org.owner.client.post(`/api/v1/access-reviews/${reviewId}/reassign`, {
      itemIds: [own.id],
      reviewerId: gone,
    });
    expect(left.status).toBe(400);
    expect(left.body.errors[0].field).toBe("reviewerId");
    // The system's owner (a member) may reassign the items of their system.
    const reply = await rita.client.post(`/api/v1/access-reviews/${reviewId}/reassign`, {
      itemIds: [own.id],
      reviewerId: editorPerson,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.items[0].reviewer).toEqual({ id: editorPerson, name: "Eddie Editor" });
    expect(reply.body.review.counts.needingReviewer).toBe(0);
    // Someone else (an editor, not the owner of the system) may not.
    const editorTry = await editor.client.post(`/api/v1/access-reviews/${reviewId}/reassign`, {
      itemIds: [itemOf("Cat").id],
      reviewerId: editorPerson,
    });
    expect(editorTry.status).toBe(403);
    expect(await ownerPersonId(org)).toBeTruthy();
  });

  it("the last decision completes the system and the campaign", async () => {
    const own = items.find((i) => i.person?.id === ritaPerson) as ReviewItem;
    const byEditor = await decide(editor, {
      itemIds: [own.id],
      decision: "keep",
      comment: "Rita runs the CRM",
    });
    expect(byEditor.status).toBe(200);
    expect(byEditor.body.review.status).toBe("open");
    const last = await decide(rita, { itemIds: [itemOf("Cat").id], decision: "keep" });
    expect(last.status).toBe(200);
    expect(last.body.review.status).toBe("completed");
    expect(last.body.review.completedAt).not.toBeNull();
    expect(last.body.review.systems[0].completedAt).not.toBeNull();
    const assigned = await rita.client.get("/api/v1/access-review-items/assigned");
    expect(assigned.body.items).toEqual([]);
    const filtered = await itemsOf(org.owner.client, reviewId, "&decision=revoke");
    expect(filtered).toHaveLength(2);
  });
});
