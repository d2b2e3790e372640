import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerControlTest } from "../../../src/modules/monitoring/registry.ts";
import { createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";

// Vitest isolates each test file's modules, so this registration stays in this file.
registerControlTest({
  testKey: "assets-owned",
  controls: ["asset-inventory"],
  sources: ["people"],
  run: async ({ tx }) => {
    await tx
      .selectFrom("no_such_table" as "people")
      .selectAll()
      .execute();
    return { state: "passing", message: "unreachable", offenders: [] };
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the evaluation engine", () => {
  it("should report a test that cannot run as an error, fail its control, and leave other tests unharmed", async () => {
    const owner = await createOrganization(t, "Broken Test Co");
    const control = await owner.client.get("/api/v1/controls/asset-inventory");
    expect(control.status).toBe(200);
    const broken = control.body.tests.find((test: { key: string }) => test.key === "assets-owned");
    expect(broken.state).toBe("error");
    expect(broken.message).toMatch(/^The test could not run: .*no_such_table/);
    expect(control.body.status).toBe("failing");
    // Evaluated later in the same transaction as the error: the savepoint kept it usable.
    const privacy = await owner.client.get("/api/v1/controls/privacy-policy");
    expect(privacy.body.tests.map((test: { state: string }) => test.state)).toEqual([
      "failing",
      "failing",
      "failing",
      "failing",
    ]);
  });

  it("should automate every test of the catalog, and pass nothing for an empty organization", async () => {
    const owner = await createOrganization(t, "Plain Co");
    const controls = (await owner.client.get("/api/v1/controls")).body.items as {
      key: string;
      status: string;
      tests: { key: string; state: string; message: string }[];
    }[];
    expect(controls).toHaveLength(29);
    // Issue 15 made the last of them operate: a catalog test with no check would read
    // "not automated yet" here, and hold its control at not_evaluated.
    const unautomated = controls.flatMap((c) =>
      c.tests
        .filter((test) => test.state === "not_evaluated")
        .map((test) => `${c.key}/${test.key}`),
    );
    expect(unautomated).toEqual([]);
    expect(controls.filter((c) => c.status === "passing")).toEqual([]);
  });
});
