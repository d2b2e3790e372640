import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * A full evaluation (the scheduled run, ?evaluate) and the re-evaluations changes start run at
 * the same time on one organization: each locks the current results before it writes the
 * day's snapshot, so none waits on another that waits on it. Needs PostgreSQL: PGlite runs one
 * transaction at a time.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("evaluations of one organization at the same time", () => {
  it("should all finish, whole and partial, without a deadlock", async () => {
    const owner = await createOrganization(t, "Busy Co");
    const db = t.deps.db;
    const org = owner.organizationId;
    for (let round = 0; round < 12; round++) {
      const runs = await Promise.allSettled([
        reevaluate(db, org, ["people"]),
        reevaluate(db, org),
        reevaluate(db, org, ["policies"]),
        reevaluate(db, org),
      ]);
      const failed = runs.filter((r) => r.status === "rejected");
      expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
});
