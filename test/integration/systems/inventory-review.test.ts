import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryReview, organization, person, system, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the inventory review", () => {
  it("should show every system as new before the first sign-off, with today's problems", async () => {
    const org = await organization(t);
    const fine = await system(org, { name: "Alpha" });
    const bare = await system(org, { name: "Bravo", classification: null });
    const orphan = await system(org, { name: "Charlie", ownerId: null });
    const leaver = await person(org, { startDate: "2020-01-01" });
    const abandoned = await system(org, { name: "Delta", ownerId: leaver.id });
    await org.owner.client.patch(`/api/v1/people/${leaver.id}`, { endDate: "2020-06-01" });
    await system(org, { name: "Echo", archived: true });

    const changes = await org.owner.client.get("/api/v1/inventory-reviews/changes");
    expect(changes.status).toBe(200);
    expect(changes.body).toMatchObject({
      since: null,
      systemCount: 4,
      added: [fine, bare, orphan, abandoned].map(({ id, name }) => ({ id, name })),
      changed: [],
      archived: [],
      problems: {
        unowned: [
          { id: orphan.id, name: "Charlie", reason: "no_owner" },
          { id: abandoned.id, name: "Delta", reason: "owner_left" },
        ],
        unclassified: [{ id: bare.id, name: "Bravo" }],
      },
    });
  });

  it("should sign off, storing the count and the changes, and count changes from the last sign-off", async () => {
    const org = await organization(t);
    const kept = await system(org, { name: "Kept" });
    const moved = await system(org, { name: "Moved" });
    const retired = await system(org, { name: "Retired" });

    const signed = await org.owner.client.post("/api/v1/inventory-reviews", {
      comment: "First review.",
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body).toMatchObject({
      comment: "First review.",
      systemCount: 3,
      signedBy: org.owner.id,
      signedByName: `Owner of ${org.name}`,
      changes: { since: null, added: [kept, moved, retired].map(({ id, name }) => ({ id, name })) },
    });
    expect(kept.id).toBeTruthy();

    const fresh = await system(org, { name: "New" });
    await org.owner.client.patch(`/api/v1/systems/${moved.id}`, {
      production: true,
      adminRoles: ["SRE"],
    });
    await org.owner.client.post(`/api/v1/systems/${retired.id}/archive`, {});
    const changes = (await org.owner.client.get("/api/v1/inventory-reviews/changes")).body;
    expect(changes.since).toBe(signed.body.signedAt);
    expect(changes).toMatchObject({
      systemCount: 3,
      added: [{ id: fresh.id, name: "New" }],
      changed: [{ id: moved.id, name: "Moved", fields: ["production", "adminRoles"] }],
      archived: [{ id: retired.id, name: "Retired" }],
    });

    const second = await inventoryReview(org, { comment: "Second review." });
    const list = (await org.owner.client.get("/api/v1/inventory-reviews")).body.items;
    expect(list.map((r: { id: string }) => r.id)).toEqual([second.id, signed.body.id]);
    const read = (await org.owner.client.get(`/api/v1/inventory-reviews/${second.id}`)).body;
    expect(read.changes.changed).toEqual(changes.changed);
    const after = (await org.owner.client.get("/api/v1/inventory-reviews/changes")).body;
    expect([after.added, after.changed, after.archived]).toEqual([[], [], []]);

    const events = await org.owner.client.get(`/api/v1/audit-events?targetId=${second.id}`);
    expect(events.body.items[0]).toMatchObject({ action: "inventory.signed_off" });
  });

  it("should page sign-offs newest first, answer 404 for an unknown one, and let only managers sign", async () => {
    const org = await organization(t);
    await system(org);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await inventoryReview(org)).id);
    const first = (await org.owner.client.get("/api/v1/inventory-reviews?limit=2")).body;
    const rest = (
      await org.owner.client.get(`/api/v1/inventory-reviews?limit=2&cursor=${first.nextCursor}`)
    ).body;
    expect([...first.items, ...rest.items].map((r: { id: string }) => r.id)).toEqual(ids.reverse());
    expect(rest.nextCursor).toBeNull();
    const unknown = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";
    expect((await org.owner.client.get(`/api/v1/inventory-reviews/${unknown}`)).status).toBe(404);
    const auditor = await user(org, "auditor");
    expect((await auditor.client.get("/api/v1/inventory-reviews")).status).toBe(200);
    expect((await auditor.client.post("/api/v1/inventory-reviews", {})).status).toBe(403);
  });
});
