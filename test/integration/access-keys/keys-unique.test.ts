import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { accessKey, accessSystem, apiPerson, organization, sshKey } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { daysAgo, testOf } from "../access/checks-helpers.ts";
import { uploadListing } from "./keys-helpers.ts";

/**
 * production-access-restricted's keys-unique through the API: not applicable until a key opens
 * a production system, passing with one active owner per key, due soon when the owner leaves
 * within 14 days, failing for a shared key, a departed owner's key and a key on a production
 * host that nobody registered; now and ?asOf=, with backdated data.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const day = (offset: number) => isoDay(addDays(new Date(), offset));
const check = (org: Parameters<typeof testOf>[0], asOf?: string) =>
  testOf(org, "production-access-restricted", "keys-unique", asOf);

describe("keys-unique", () => {
  it("is not applicable until a key opens production, then passes; as of before, not applicable", async () => {
    const org = await organization(t);
    expect((await check(org)).state).toBe("not_applicable");
    const internal = await accessSystem(org, { production: false });
    const ada = await apiPerson(org, { name: "Ada Active" });
    await accessKey(org, { personId: ada, systemIds: [internal.id], createdOn: day(-20) });
    expect((await check(org)).state).toBe("not_applicable");

    const prod = await accessSystem(org, { production: true });
    await accessKey(org, { personId: ada, systemIds: [prod.id], createdOn: day(-10) });
    const now = await check(org);
    expect(now.state).toBe("passing");
    expect((await check(org, day(-5))).state).toBe("passing");
    // Before the key was made it opened nothing.
    expect((await check(org, day(-12))).state).toBe("not_applicable");
  });

  it("is due soon when the owner leaves within 14 days, failing once they left with the key", async () => {
    const org = await organization(t);
    const prod = await accessSystem(org, { production: true });
    const lea = await apiPerson(org, { name: "Lea Leaving" });
    const key = await accessKey(org, { personId: lea, systemIds: [prod.id], createdOn: day(-30) });
    await org.owner.client.patch(`/api/v1/people/${lea}`, { endDate: day(5) });
    const soon = await check(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]).toMatchObject({
      kind: "access_key",
      id: key.id,
      link: `/access-keys/${key.id}`,
      state: "due_soon",
      dueAt: `${day(5)}T00:00:00.000Z`,
    });
    expect(soon.offenders[0]?.label).toContain("Lea Leaving");

    await org.owner.client.patch(`/api/v1/people/${lea}`, { endDate: day(-2) });
    const failing = await check(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenders[0]).toMatchObject({ id: key.id, state: "failing" });
    expect(failing.offenders[0]?.action).toMatch(/left on .* revoke it/);
    // Before the end date, 14 days ahead of it: due soon; further back: passing.
    expect((await check(org, day(-10))).state).toBe("due_soon");
    expect((await check(org, day(-20))).state).toBe("passing");

    const revoked = await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Left the company",
    });
    expect(revoked.status).toBe(200);
    expect((await check(org)).state).toBe("not_applicable");
    expect((await check(org, day(-1))).state).toBe("failing");
  });

  it("fails for a key registered to two people", async () => {
    const org = await organization(t);
    const prod = await accessSystem(org, { production: true });
    const key = sshKey("team@shared");
    const ann = await apiPerson(org, { name: "Ann Shared" });
    const ben = await apiPerson(org, { name: "Ben Shared" });
    const first = await accessKey(org, {
      personId: ann,
      publicKey: key.line,
      systemIds: [prod.id],
    });
    expect((await check(org)).state).toBe("passing");
    const second = await accessKey(org, { personId: ben, publicKey: key.line });
    const result = await check(org);
    expect(result.state).toBe("failing");
    expect(result.offenders.map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
    expect(result.offenders[0]?.action).toContain("Ann Shared, Ben Shared");
    await org.owner.client.post(`/api/v1/access-keys/${second.id}/revoke`, { reason: "Own key" });
    expect((await check(org)).state).toBe("passing");
  });

  it("fails for a key on a production host that nobody registered, counting the latest listing", async () => {
    const org = await organization(t);
    const prod = await accessSystem(org, { production: true });
    const ada = await apiPerson(org, { name: "Ada Host" });
    const known = await accessKey(org, { personId: ada, createdOn: day(-60) });
    const stranger = sshKey("who@where");
    // A key found on a production host opens it, registered link or not.
    await uploadListing(org, {
      systemId: prod.id,
      host: "db-1",
      collectedAt: daysAgo(20),
      keys: [known.publicKey as string],
    });
    expect((await check(org)).state).toBe("passing");
    const listing = await uploadListing(org, {
      systemId: prod.id,
      host: "db-1",
      collectedAt: daysAgo(10),
      keys: [known.publicKey as string, stranger.line],
    });
    const result = await check(org);
    expect(result.state).toBe("failing");
    expect(result.offenders).toEqual([
      expect.objectContaining({
        kind: "host_key_listing",
        id: listing,
        link: `/key-listings/${listing}`,
        label: `${stranger.fingerprint} on db-1`,
        state: "failing",
      }),
    ]);
    expect((await check(org, day(-15))).state).toBe("passing");
    expect((await check(org, day(-30))).state).toBe("not_applicable");
    // A newer listing without it: passing again.
    await uploadListing(org, {
      systemId: prod.id,
      host: "db-1",
      collectedAt: daysAgo(1),
      keys: [known.publicKey as string],
    });
    expect((await check(org)).state).toBe("passing");
    expect((await check(org, day(-5))).state).toBe("failing");
  });
});
