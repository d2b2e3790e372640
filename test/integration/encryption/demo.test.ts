import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganization } from "../../../src/modules/demo.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The demo's encryption year: keys rotated over the year with the backup key overdue (fixed by
 * recording a rotation), the data stores confirmed with the uploads bucket due soon, and
 * Attest's own storage confirmed by its weekly automated check.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the demo's encryption", { timeout: 180_000 }, () => {
  it("fails keys-rotated on the backup key until it is rotated; the uploads bucket is due soon", async () => {
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    await reevaluate(t.deps.db, demo.organizationId);
    const owner = new Client(t.app);
    await owner.post("/api/v1/auth/login", { email: demo.ownerEmail, password: demo.password });
    const test = async (control: string, key: string) =>
      (await owner.get(`/api/v1/controls/${control}`)).body.tests.find(
        (each: { key: string }) => each.key === key,
      );

    const keys = (await owner.get("/api/v1/encryption/keys")).body.items;
    expect(keys.map((k: { name: string }) => k.name).sort()).toEqual([
      "Attest master key",
      "Backup encryption key",
      "Customer database KMS key",
      "Customer uploads KMS key",
      "Database TLS certificate key",
    ]);
    const rotated = await test("encryption-key-management-policy", "keys-rotated");
    expect(rotated.state).toBe("failing");
    expect(rotated.offenders.map((o: { label: string }) => o.label)).toEqual([
      "Backup encryption key",
    ]);
    expect(rotated.offenders[0].action).toContain("21 days overdue");

    const atRest = await test("encryption-at-rest", "datastores-encrypted");
    expect(atRest.state).toBe("due_soon");
    expect(atRest.offenders.map((o: { label: string }) => o.label)).toEqual([
      "Customer uploads (S3)",
    ]);
    const stores = (await owner.get("/api/v1/encryption/stores")).body.items;
    const attest = stores.find((s: { name: string }) => s.name === "Attest");
    expect(attest).toMatchObject({ inScope: true, standing: "current" });
    expect(attest.lastConfirmation.method).toBe("automated");

    const backup = keys.find((k: { name: string }) => k.name === "Backup encryption key");
    const recorded = await owner.post(`/api/v1/encryption/keys/${backup.id}/rotations`, {
      rotatedAt: new Date().toISOString(),
      notes: "Rotated in Vault.",
    });
    expect(recorded.status).toBe(201);
    expect((await test("encryption-key-management-policy", "keys-rotated")).state).toBe("passing");
    // Rotated 201 days ago every 180 days: 30 days ago it was due within the month.
    const past = await owner.get(
      `/api/v1/controls/encryption-key-management-policy?asOf=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}`,
    );
    const then = past.body.tests.find((each: { key: string }) => each.key === "keys-rotated");
    expect(then.state).toBe("due_soon");
  });
});
