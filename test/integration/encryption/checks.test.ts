import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  atRestConfirmation,
  backdateKey,
  backdateStore,
  dataStore,
  encryptionDayAgo as dayAgo,
  encryptionKey,
  keyRotation,
  organization,
  system,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * The encryption checks through the API, now and ?asOf=, with backdated data:
 * datastores-encrypted (every database or data store holding confidential or restricted data
 * has a passing confirmation of encryption at rest within 365 days, due soon in the last 30,
 * the latest automated check not failed) and keys-rotated (every registered key rotated
 * within its period from its last rotation or its registration, due soon 30 days before).
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Org = Awaited<ReturnType<typeof organization>>;
const atRest = (org: Org, asOf?: string) =>
  testOf(org, "encryption-at-rest", "datastores-encrypted", asOf);
const rotated = (org: Org, asOf?: string) =>
  testOf(org, "encryption-key-management-policy", "keys-rotated", asOf);

describe("datastores-encrypted", () => {
  it("is not applicable without a data store holding confidential or restricted data", async () => {
    const org = await organization(t);
    await system(org, { kind: "database", classification: "internal" });
    await system(org, { kind: "application", classification: "restricted" });
    await dataStore(org, { archived: true });
    const result = await atRest(org);
    expect(result.state).toBe("not_applicable");
    expect(result.message).toBe(
      "No data store (database or data store) holds confidential or restricted data.",
    );
  });

  it("fails for a store never confirmed, passes once confirmed with evidence", async () => {
    const org = await organization(t);
    const store = await dataStore(org, { kind: "database", classification: "confidential" });
    const failing = await atRest(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenders).toEqual([
      expect.objectContaining({
        kind: "system",
        id: store.id,
        label: store.name,
        link: `/encryption/stores/${store.id}`,
        state: "failing",
      }),
    ]);
    expect(failing.offenders[0]?.action).toContain("it was never confirmed");
    await atRestConfirmation(org, store.id);
    const passing = await atRest(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toBe(
      "Every data store holding confidential or restricted data (1) has encryption at rest confirmed within 365 days.",
    );
  });

  it("comes due in the last 30 days of the year and fails past it, as of any day", async () => {
    const org = await organization(t);
    const store = await dataStore(org);
    await atRestConfirmation(org, store.id);
    await backdateStore(org, store.id, 340);
    const soon = await atRest(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]?.action).toContain(`again by ${dayAgo(340 - 365)}`);
    expect((await atRest(org, dayAgo(30))).state).toBe("passing");
    // Before the confirmation it had never been confirmed.
    expect((await atRest(org, dayAgo(341))).state).toBe("failing");
    await backdateStore(org, store.id, 30);
    const old = await atRest(org);
    expect(old.state).toBe("failing");
    expect(old.offenders[0]?.action).toContain(`its last confirmation, on ${dayAgo(370)}`);
    expect((await atRest(org, dayAgo(30))).state).toBe("due_soon");
    await atRestConfirmation(org, store.id);
    expect((await atRest(org)).state).toBe("passing");
  });
});

describe("keys-rotated", () => {
  it("is not applicable without keys, passing for a key registered within its period", async () => {
    const org = await organization(t);
    expect((await rotated(org)).state).toBe("not_applicable");
    await encryptionKey(org);
    const passing = await rotated(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toBe(
      "Every registered key (1) was rotated within its rotation period.",
    );
    expect((await rotated(org, dayAgo(1))).state).toBe("not_applicable");
  });

  it("comes due 30 days before the period ends, fails past it naming the days overdue", async () => {
    const org = await organization(t);
    const key = await encryptionKey(org, { name: "Backups key", rotationPeriodDays: 90 });
    await backdateKey(org, key.id, 70);
    const soon = await rotated(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]).toMatchObject({ id: key.id, state: "due_soon" });
    await backdateKey(org, key.id, 30);
    const late = await rotated(org);
    expect(late.state).toBe("failing");
    expect(late.message).toBe("1 key of 1 registered is past its rotation period.");
    expect(late.offenders[0]).toMatchObject({
      kind: "encryption_key",
      label: "Backups key",
      link: `/encryption/keys/${key.id}`,
      state: "failing",
    });
    expect(late.offenders[0]?.action).toContain("10 days overdue");
    expect((await rotated(org, dayAgo(30))).state).toBe("due_soon");
    await keyRotation(org, key.id);
    expect((await rotated(org)).state).toBe("passing");
    // Recorded today: yesterday it was still overdue.
    expect((await rotated(org, dayAgo(1))).state).toBe("failing");
  });

  it("counts from the last rotation, and leaves archived keys out", async () => {
    const org = await organization(t);
    const key = await encryptionKey(org);
    await keyRotation(org, key.id);
    await backdateKey(org, key.id, 400);
    await keyRotation(org, key.id, {
      rotatedAt: new Date(Date.now() - 50 * 86_400_000).toISOString(),
    });
    expect((await rotated(org)).state).toBe("passing");
    const stale = await encryptionKey(org);
    await backdateKey(org, stale.id, 500);
    expect((await rotated(org)).state).toBe("failing");
    const archived = await org.owner.client.post(`/api/v1/encryption/keys/${stale.id}/archive`, {});
    expect(archived.status).toBe(200);
    expect((await rotated(org)).state).toBe("passing");
    expect((await rotated(org, dayAgo(1))).state).toBe("failing");
  });
});
