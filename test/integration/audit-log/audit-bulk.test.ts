import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendBulkEvents } from "../../../src/modules/audit-log/audit-log.bulk.ts";
import { verifyAuditChains } from "../../../src/modules/audit-log/audit-log.service.ts";
import { addPerson, createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("appending events in bulk (the demo and the benchmarks)", () => {
  it("should continue the organization's chain across batches so that it verifies, and the API reads the events back", async () => {
    const owner = await createOrganization(t, "Bulk Co");
    // One more event through the API, so the bulk events start after an existing tail.
    await addPerson(t, owner, "member", "Mia");
    const before = await chainOf(owner.organizationId);
    expect(before.firstBreak).toBeNull();
    expect(before.eventsChecked).toBeGreaterThan(1);

    const batches: [number, number][] = [];
    const start = Date.UTC(2026, 0, 1);
    await appendBulkEvents(
      t.deps.db,
      owner.organizationId,
      2_500,
      (i) => ({
        actorId: owner.id,
        actorName: "Bulk Owner",
        action: i % 2 === 0 ? "control.updated" : "auth.login",
        targetType: i % 2 === 0 ? "control" : "user",
        targetId: i % 2 === 0 ? "bcdr-policy" : owner.id,
        before: i % 2 === 0 ? { status: "draft", n: i } : null,
        after: { status: "published", n: i, nested: { z: 1, a: [i, "é"] } },
        createdAt: new Date(start + i * 1_000),
      }),
      (batch, written) => batches.push([batch, written]),
    );
    expect(batches).toEqual([
      [0, 2_000],
      [1, 2_500],
    ]);

    const after = await chainOf(owner.organizationId);
    expect(after.firstBreak).toBeNull();
    expect(after.eventsChecked).toBe(before.eventsChecked + 2_500);

    const newest = await owner.client.get("/api/v1/audit-events?action=control.updated&limit=1");
    expect(newest.status).toBe(200);
    expect(newest.body.items[0]).toMatchObject({
      actorType: "user",
      actor: { id: owner.id },
      targetId: "bcdr-policy",
      before: { status: "draft", n: 2_498 },
      after: { status: "published", n: 2_498 },
    });
  });
});

async function chainOf(organizationId: string) {
  const results = await verifyAuditChains(t.deps.db);
  const chain = results.find((result) => result.organizationId === organizationId);
  if (!chain) throw new Error(`no chain for ${organizationId}`);
  return chain;
}
