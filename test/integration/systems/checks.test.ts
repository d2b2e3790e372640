import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryReview, organization, person, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { backdateSignOffs, backdateSystem, controlTests, daysAgo } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const CLASSIFICATION = "data-classification-policy";
const INVENTORY = "asset-inventory";

describe("systems-classified", () => {
  it("should not apply to an empty inventory, pass when every system is classified, and fail naming the unclassified", async () => {
    const org = await organization(t);
    expect((await controlTests(org, CLASSIFICATION))["systems-classified"]?.state).toBe(
      "not_applicable",
    );
    await system(org, { classification: "public" });
    expect((await controlTests(org, CLASSIFICATION))["systems-classified"]?.state).toBe("passing");
    const bare = await system(org, { classification: null });
    const failing = (await controlTests(org, CLASSIFICATION))["systems-classified"];
    expect(failing?.state).toBe("failing");
    expect(failing?.offenders).toEqual([
      expect.objectContaining({ id: bare.id, label: bare.name, link: `/systems/${bare.id}` }),
    ]);
    expect(failing?.offenders[0]?.action).toMatch(/classification/);
    // Archived systems are out of the inventory.
    await org.owner.client.post(`/api/v1/systems/${bare.id}/archive`, {});
    expect((await controlTests(org, CLASSIFICATION))["systems-classified"]?.state).toBe("passing");
  });

  it("should answer as of a past day from the versions of the time", async () => {
    const org = await organization(t);
    const { id } = await system(org, { classification: "restricted" });
    await backdateSystem(org, id, 30);
    await org.owner.client.patch(`/api/v1/systems/${id}`, { classification: null });
    expect((await controlTests(org, CLASSIFICATION))["systems-classified"]?.state).toBe("failing");
    const then = await controlTests(org, CLASSIFICATION, daysAgo(10));
    expect(then["systems-classified"]?.state).toBe("passing");
    const before = await controlTests(org, CLASSIFICATION, daysAgo(40));
    expect(before["systems-classified"]?.state).toBe("not_applicable");
  });
});

describe("assets-owned", () => {
  it("should pass, come due when the owner leaves soon, and fail with no owner or an owner who left", async () => {
    const org = await organization(t);
    expect((await controlTests(org, INVENTORY))["assets-owned"]?.state).toBe("not_applicable");
    const keeper = await person(org, { name: "Kim Keeper", startDate: "2020-01-01" });
    const kept = await system(org, { ownerId: keeper.id });
    expect((await controlTests(org, INVENTORY))["assets-owned"]?.state).toBe("passing");

    const leaver = await person(org, { name: "Lee Leaver", startDate: "2020-01-01" });
    const handedOver = await system(org, { ownerId: leaver.id });
    await org.owner.client.patch(`/api/v1/people/${leaver.id}`, { endDate: daysAgo(-5) });
    const dueSoon = (await controlTests(org, INVENTORY))["assets-owned"];
    expect(dueSoon?.state).toBe("due_soon");
    expect(dueSoon?.offenders).toEqual([
      expect.objectContaining({
        id: handedOver.id,
        state: "due_soon",
        link: `/systems/${handedOver.id}`,
      }),
    ]);
    expect(dueSoon?.offenders[0]?.action).toMatch(/Lee Leaver \(P-\d+\) leaves on .*reassign/);

    const orphan = await system(org, { ownerId: null });
    const failing = (await controlTests(org, INVENTORY))["assets-owned"];
    expect(failing?.state).toBe("failing");
    expect(failing?.offenders.map((o) => [o.id, o.state])).toEqual([
      [orphan.id, "failing"],
      [handedOver.id, "due_soon"],
    ]);
    await org.owner.client.patch(`/api/v1/systems/${orphan.id}`, { ownerId: keeper.id });
    await org.owner.client.patch(`/api/v1/people/${leaver.id}`, { endDate: daysAgo(1) });
    const left = (await controlTests(org, INVENTORY))["assets-owned"];
    expect(left?.state).toBe("failing");
    expect(left?.offenders.map((o) => o.id)).toEqual([handedOver.id]);
    expect(left?.offenders[0]?.action).toMatch(/not an active person/);
    expect(kept.id).not.toBe(handedOver.id);
  });

  it("should answer as of a past day: the owner was active then", async () => {
    const org = await organization(t);
    const owner = await person(org, { startDate: "2020-01-01" });
    const { id } = await system(org, { ownerId: owner.id });
    await backdateSystem(org, id, 100);
    await org.owner.client.patch(`/api/v1/people/${owner.id}`, { endDate: daysAgo(2) });
    expect((await controlTests(org, INVENTORY))["assets-owned"]?.state).toBe("failing");
    expect((await controlTests(org, INVENTORY, daysAgo(60)))["assets-owned"]?.state).toBe(
      "passing",
    );
    expect((await controlTests(org, INVENTORY, daysAgo(10)))["assets-owned"]?.state).toBe(
      "due_soon",
    );
    expect((await controlTests(org, INVENTORY, daysAgo(200)))["assets-owned"]?.state).toBe(
      "not_applicable",
    );
  });

  it("should fail an owner who had not started yet on the day asked", async () => {
    const org = await organization(t);
    const late = await person(org, { startDate: daysAgo(5) });
    const { id } = await system(org, { ownerId: late.id });
    await backdateSystem(org, id, 30);
    expect((await controlTests(org, INVENTORY, daysAgo(20)))["assets-owned"]?.state).toBe(
      "failing",
    );
  });
});

describe("inventory-reviewed", () => {
  it("should not apply to an empty inventory never signed, fail when never signed, pass once signed", async () => {
    const org = await organization(t);
    expect((await controlTests(org, INVENTORY))["inventory-reviewed"]?.state).toBe(
      "not_applicable",
    );
    await system(org);
    const never = (await controlTests(org, INVENTORY))["inventory-reviewed"];
    expect(never?.state).toBe("failing");
    expect(never?.offenders[0]).toMatchObject({ kind: "inventory", link: "/systems/review" });
    await inventoryReview(org);
    expect((await controlTests(org, INVENTORY))["inventory-reviewed"]?.state).toBe("passing");
  });

  it("should come due 30 days before a year has passed, fail after, and answer as of a past day", async () => {
    const org = await organization(t);
    const { id } = await system(org);
    await backdateSystem(org, id, 400);
    await inventoryReview(org);
    await backdateSignOffs(org, 340);
    const soon = (await controlTests(org, INVENTORY))["inventory-reviewed"];
    expect(soon?.state).toBe("due_soon");
    expect(soon?.offenders[0]?.state).toBe("due_soon");
    await backdateSignOffs(org, 30);
    const late = (await controlTests(org, INVENTORY))["inventory-reviewed"];
    expect(late?.state).toBe("failing");
    expect(late?.offenders[0]?.action).toMatch(/was due on/);
    // Signed 370 days ago: 300 days ago it was current; 380 days ago, never signed yet.
    expect((await controlTests(org, INVENTORY, daysAgo(300)))["inventory-reviewed"]?.state).toBe(
      "passing",
    );
    expect((await controlTests(org, INVENTORY, daysAgo(380)))["inventory-reviewed"]?.state).toBe(
      "failing",
    );
    expect((await controlTests(org, INVENTORY, daysAgo(500)))["inventory-reviewed"]?.state).toBe(
      "not_applicable",
    );
  });
});
