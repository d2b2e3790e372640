import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  recordAttestAtRestCheck,
  recordAttestKeyRotation,
} from "../../../src/modules/encryption/encryption.attest.ts";
import { backdateKey, organization } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * What Attest records about its own encryption, in every organization of a database (contract
 * C3 and recordAttestAtRestCheck): the built-in "Attest master key" and its rotations, and the
 * automated at-rest confirmations of the built-in "Attest" system. A database of its own:
 * these reach every organization.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Org = Awaited<ReturnType<typeof organization>>;

async function keysOf(org: Org) {
  const reply = await org.owner.client.get("/api/v1/encryption/keys");
  expect(reply.status).toBe(200);
  return reply.body.items as { id: string; name: string; builtin: boolean; location: string }[];
}

describe("recordAttestKeyRotation (C3)", () => {
  it("registers the master key once in every organization and records each rotation", async () => {
    const acme = await organization(t);
    const globex = await organization(t);
    const first = new Date(Date.now() - 3_600_000);
    await recordAttestKeyRotation(t.deps.db, {
      rotatedAt: first,
      keyId: "mk-1",
      location: "file: /var/lib/attest/master.key",
    });
    await recordAttestKeyRotation(t.deps.db, {
      rotatedAt: new Date(),
      keyId: "mk-2",
      location: "env: ATTEST_MASTER_KEY",
      actorName: "attest keys rotate (test)",
    });
    for (const org of [acme, globex]) {
      const keys = await keysOf(org);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({
        name: "Attest master key",
        purpose: "wraps Attest's data keys and secrets",
        algorithm: "AES-256-GCM",
        location: "env: ATTEST_MASTER_KEY",
        rotationPeriodDays: 365,
        builtin: true,
        standing: "current",
      });
      const id = keys[0]?.id as string;
      const rotations = await org.owner.client.get(`/api/v1/encryption/keys/${id}/rotations`);
      expect(rotations.body.items).toMatchObject([
        { newKeyRef: "mk-2", actorName: "attest keys rotate (test)", recordedBy: null },
        { newKeyRef: "mk-1", actorName: "attest keys rotate", recordedBy: null },
      ]);
      const audit = await org.owner.client.get("/api/v1/audit-events?limit=50");
      const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
      expect(actions.filter((a) => a === "encryption_key.rotated")).toHaveLength(2);
      expect(actions.filter((a) => a === "encryption_key.created")).toHaveLength(1);
    }
    // Another organization's key is not this one's.
    const acmeKey = (await keysOf(acme))[0]?.id as string;
    expect((await globex.owner.client.get(`/api/v1/encryption/keys/${acmeKey}`)).status).toBe(404);
  });

  it("keeps keys-rotated passing while Attest rotates its key, failing when it stops", async () => {
    const org = await organization(t);
    await recordAttestKeyRotation(t.deps.db, { rotatedAt: new Date(), keyId: "k", location: "f" });
    const id = (await keysOf(org)).find((k) => k.builtin)?.id as string;
    expect((await testOf(org, "encryption-key-management-policy", "keys-rotated")).state).toBe(
      "passing",
    );
    await backdateKey(org, id, 400);
    const late = await testOf(org, "encryption-key-management-policy", "keys-rotated");
    expect(late.state).toBe("failing");
    expect(late.offenders.map((o) => o.label)).toContain("Attest master key");
  });

  it("cannot be archived, renamed, or given a period over 365 days", async () => {
    const org = await organization(t);
    await recordAttestKeyRotation(t.deps.db, { rotatedAt: new Date(), keyId: "k", location: "f" });
    const id = (await keysOf(org))[0]?.id as string;
    const client = org.owner.client;
    expect((await client.post(`/api/v1/encryption/keys/${id}/archive`, {})).status).toBe(409);
    const renamed = await client.patch(`/api/v1/encryption/keys/${id}`, { name: "Mine" });
    expect(renamed.status).toBe(409);
    expect(renamed.body.errors).toEqual([expect.objectContaining({ field: "name" })]);
    const longer = await client.patch(`/api/v1/encryption/keys/${id}`, {
      rotationPeriodDays: 400,
    });
    expect(longer.status).toBe(400);
    const shorter = await client.patch(`/api/v1/encryption/keys/${id}`, {
      rotationPeriodDays: 90,
    });
    expect(shorter.status).toBe(200);
    expect(shorter.body.rotationPeriodDays).toBe(90);
  });
});

describe("recordAttestAtRestCheck", () => {
  it("confirms the Attest system in every organization; a failed check fails the control", async () => {
    const acme = await organization(t);
    const globex = await organization(t);
    await recordAttestAtRestCheck(t.deps.db, {
      checkedAt: new Date(Date.now() - 60_000),
      passed: false,
      detail: "evidence file abc stored in plaintext",
    });
    for (const org of [acme, globex]) {
      const failing = await testOf(org, "encryption-at-rest", "datastores-encrypted");
      expect(failing.state).toBe("failing");
      expect(failing.offenders).toHaveLength(1);
      expect(failing.offenders[0]?.label).toBe("Attest");
      expect(failing.offenders[0]?.action).toContain("evidence file abc stored in plaintext");
    }
    await recordAttestAtRestCheck(t.deps.db, {
      checkedAt: new Date(),
      passed: true,
      detail: "every evidence file and secret encrypted",
    });
    for (const org of [acme, globex]) {
      expect((await testOf(org, "encryption-at-rest", "datastores-encrypted")).state).toBe(
        "passing",
      );
      const stores = await org.owner.client.get("/api/v1/encryption/stores");
      const attest = stores.body.items.filter((s: { name: string }) => s.name === "Attest");
      expect(attest).toHaveLength(1);
      expect(attest[0]).toMatchObject({
        inScope: true,
        standing: "current",
        lastConfirmation: {
          method: "automated",
          passed: true,
          detail: "every evidence file and secret encrypted",
          actorName: "attest self-check",
          confirmedBy: null,
        },
      });
      const detail = await org.owner.client.get(`/api/v1/encryption/stores/${attest[0].id}`);
      expect(detail.body.history.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
    }
  });
});
