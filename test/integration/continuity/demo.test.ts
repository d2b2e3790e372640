import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganization } from "../../../src/modules/demo.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The demo's restore tests: a year of them for the backed-up systems, mostly passing, Attest's
 * own every month; restore-tested fails for the Production API alone (its last successful
 * restore is thirteen months old), and recording a test of it puts the control right.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the demo's restore tests", { timeout: 180_000 }, () => {
  it("fail restore-tested for the Production API only, until a test is recorded", async () => {
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    await reevaluate(t.deps.db, demo.organizationId);
    const owner = new Client(t.app);
    await owner.post("/api/v1/auth/login", { email: demo.ownerEmail, password: demo.password });
    const standing = (await owner.get("/api/v1/continuity/systems")).body.items as {
      system: { id: string; name: string };
      status: string;
    }[];
    expect(Object.fromEntries(standing.map((s) => [s.system.name, s.status]))).toEqual({
      Attest: "passing",
      "Customer database (PostgreSQL)": "passing",
      "Customer uploads (S3)": "passing",
      "Production API": "failing",
    });
    const tests = await owner.get("/api/v1/continuity/restore-tests?limit=200");
    expect(tests.body.items.filter((i: { automated: boolean }) => i.automated)).toHaveLength(12);
    expect(tests.body.items.filter((i: { result: string }) => i.result === "failed")).toHaveLength(
      2,
    );
    const control = async () =>
      (await owner.get("/api/v1/controls/backup-restoration-testing")).body.tests.find(
        (test: { key: string }) => test.key === "restore-tested",
      );
    const before = await control();
    expect(before.state).toBe("failing");
    expect(before.offenders.map((o: { label: string }) => o.label)).toEqual(["Production API"]);
    expect(before.offenders[0].action).toContain("more than 365 days old");

    const api = standing.find((s) => s.system.name === "Production API");
    const people = await owner.get("/api/v1/people?limit=1");
    const recorded = await owner.post("/api/v1/continuity/restore-tests", {
      systemId: api?.system.id,
      performedOn: new Date().toISOString().slice(0, 10),
      backupTakenAt: new Date(Date.now() - 3_600_000).toISOString(),
      restoredInto: "Staging, with the secrets store restored too",
      restoredIntoProduction: false,
      performedById: people.body.items[0].id,
      checks: [{ name: "Smoke tests", passed: true, detail: "40 of 40 passed." }],
    });
    expect(recorded.status).toBe(201);
    expect((await control()).state).toBe("passing");
  });
});
