import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  accessKey,
  accessSystem,
  apiPerson,
  organization,
  sqlGrant,
  sshKey,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { daysAgo, testOf } from "../access/checks-helpers.ts";
import { uploadListing } from "./keys-helpers.ts";

/**
 * production-access-restricted's hosts-match-registry through the API: not applicable until a
 * production host has a listing; passing when every key of each host's latest listing was
 * registered to one active person with a grant on the host's system when it was collected;
 * failing for an unknown key, a shared key, a departed person's key and a key whose owner had
 * no grant; due soon when the latest listing is older than 90 days; now and ?asOf=.
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
  testOf(org, "production-access-restricted", "hosts-match-registry", asOf);

async function withAccess(org: Parameters<typeof testOf>[0], systemId: string, name: string) {
  const personId = await apiPerson(org, { name });
  await sqlGrant(org, { personId, systemId, grantedAt: daysAgo(200) });
  const key = await accessKey(org, { personId, createdOn: day(-200), systemIds: [systemId] });
  return { personId, key };
}

describe("hosts-match-registry", () => {
  it("is not applicable without a production listing; passes, then due soon once 90 days old", async () => {
    const org = await organization(t);
    const internal = await accessSystem(org, { production: false });
    const prod = await accessSystem(org, { production: true });
    const { key } = await withAccess(org, prod.id, "Ada Granted");
    expect((await check(org)).state).toBe("not_applicable");
    await uploadListing(org, {
      systemId: internal.id,
      collectedAt: daysAgo(1),
      keys: [sshKey().line],
    });
    expect((await check(org)).state).toBe("not_applicable");

    const listing = await uploadListing(org, {
      systemId: prod.id,
      host: "app-1",
      collectedAt: daysAgo(100),
      keys: [key.publicKey as string],
    });
    const stale = await check(org);
    expect(stale.state).toBe("due_soon");
    expect(stale.offenders).toEqual([
      expect.objectContaining({
        kind: "host_key_listing",
        id: listing,
        link: `/key-listings/${listing}`,
        state: "due_soon",
      }),
    ]);
    expect((await check(org, day(-50))).state).toBe("passing");
    expect((await check(org, day(-101))).state).toBe("not_applicable");
    await uploadListing(org, {
      systemId: prod.id,
      host: "app-1",
      collectedAt: daysAgo(2),
      keys: [key.publicKey as string],
    });
    const fresh = await check(org);
    expect(fresh.state).toBe("passing");
    expect(fresh.message).toContain("1 keys on the 1 production hosts");
  });

  it("fails for an unknown key, a shared key, a departed person's key and a key without a grant", async () => {
    const org = await organization(t);
    const prod = await accessSystem(org, { production: true });
    const { key: fine } = await withAccess(org, prod.id, "Fay Fine");
    // Shared: registered to two people.
    const shared = sshKey("shared@team");
    const a = await withAccess(org, prod.id, "Sam Shared");
    const b = await apiPerson(org, { name: "Sue Shared" });
    await accessKey(org, { personId: a.personId, publicKey: shared.line, createdOn: day(-100) });
    await accessKey(org, { personId: b, publicKey: shared.line, createdOn: day(-100) });
    // No grant on the system.
    const loner = await apiPerson(org, { name: "Nat Nogrant" });
    const ungranted = await accessKey(org, { personId: loner, createdOn: day(-100) });
    // Departed before the collection.
    const { personId: gone, key: goneKey } = await withAccess(org, prod.id, "Dee Departed");
    await org.owner.client.patch(`/api/v1/people/${gone}`, { endDate: day(-5) });
    const unknown = sshKey("nobody@nowhere");

    const listing = await uploadListing(org, {
      systemId: prod.id,
      host: "app-2",
      collectedAt: daysAgo(1),
      keys: [
        fine.publicKey as string,
        shared.line,
        ungranted.publicKey as string,
        goneKey.publicKey as string,
        unknown.line,
      ],
    });
    const result = await check(org);
    expect(result.state).toBe("failing");
    expect(result.offenderCount).toBe(4);
    const byLine = new Map(result.offenders.map((o) => [o.id, o]));
    expect(byLine.get(`${listing}:1`)?.action).toMatch(/registered to several people/);
    expect(byLine.get(`${listing}:2`)?.action).toMatch(/Nat Nogrant, who had no access/);
    expect(byLine.get(`${listing}:3`)?.action).toMatch(/Dee Departed, who was not active/);
    expect(byLine.get(`${listing}:4`)?.action).toMatch(/registered to nobody/);
    expect(byLine.has(`${listing}:0`)).toBe(false);
    for (const offender of result.offenders) {
      expect(offender).toMatchObject({ kind: "host_key_entry", link: `/key-listings/${listing}` });
    }
    // As of before the listing was collected: not applicable.
    expect((await check(org, day(-3))).state).toBe("not_applicable");
  });

  it("judges keys as registered when the listing was collected", async () => {
    const org = await organization(t);
    const prod = await accessSystem(org, { production: true });
    const { key } = await withAccess(org, prod.id, "Rob Revoked");
    await uploadListing(org, {
      systemId: prod.id,
      collectedAt: daysAgo(10),
      keys: [key.publicKey as string],
    });
    expect((await check(org)).state).toBe("passing");
    // Revoked after the collection: the listing still matched the registry then.
    await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Rotated",
      revokedAt: `${day(-5)}T00:00:00.000Z`,
    });
    expect((await check(org)).state).toBe("passing");
    // Revoked before the collection: unknown then.
    const early = await accessKey(org, { createdOn: day(-30) });
    await org.owner.client.post(`/api/v1/access-keys/${early.id}/revoke`, {
      reason: "Rotated",
      revokedAt: `${day(-20)}T00:00:00.000Z`,
    });
    await uploadListing(org, {
      systemId: prod.id,
      host: "app-3",
      collectedAt: daysAgo(3),
      keys: [early.publicKey as string],
    });
    const result = await check(org);
    expect(result.state).toBe("failing");
    expect(result.offenders[0]?.action).toMatch(/registered to nobody/);
    expect((await check(org, day(-4))).state).toBe("passing");
  });
});
