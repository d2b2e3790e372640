import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.ts";
import {
  type AttestRestoreReport,
  recordAttestRestoreTest,
} from "../../../src/modules/continuity/continuity.attest.ts";
import { organization } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * Attest's own restore test (contract C2): recorded in every organization as an automated,
 * audited restore test of the built-in "Attest" system, by the system actor, and read by
 * restore-tested at once.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

function report(passed: boolean): AttestRestoreReport {
  const finishedAt = new Date();
  return {
    startedAt: new Date(finishedAt.getTime() - 42_000),
    finishedAt,
    backupTakenAt: addDays(finishedAt, -1),
    archiveName: "attest-2026-12-02T0300Z.attest-backup",
    archiveSha256: "ab".repeat(32),
    restoredInto: "scratch embedded database (PGlite), discarded afterwards",
    checks: [
      { name: "row counts per table", passed: true, detail: "73 tables equal" },
      { name: "evidence checksums", passed, detail: passed ? "12 files equal" : "1 differs" },
    ],
    passed,
  };
}

describe("recordAttestRestoreTest", () => {
  it("records a restore test of the Attest system in every organization, audited", async () => {
    const first = await organization(t);
    const second = await organization(t);
    await recordAttestRestoreTest(t.deps.db, report(true));
    for (const org of [first, second]) {
      const list = await org.owner.client.get("/api/v1/continuity/restore-tests");
      expect(list.status).toBe(200);
      const [test] = list.body.items;
      expect(list.body.items).toHaveLength(1);
      expect(test).toMatchObject({
        system: { name: "Attest" },
        automated: true,
        performedBy: null,
        result: "passed",
        checkCount: 2,
        restoredInto: "scratch embedded database (PGlite), discarded afterwards",
      });
      const detail = await org.owner.client.get(`/api/v1/continuity/restore-tests/${test.id}`);
      expect(detail.body.backupReference).toContain("attest-2026-12-02T0300Z.attest-backup");
      expect(detail.body.backupReference).toContain("ab".repeat(32));
      const systems = await org.owner.client.get("/api/v1/continuity/systems");
      expect(systems.body.items).toEqual([
        expect.objectContaining({ system: test.system, status: "passing", reason: null }),
      ]);
      expect((await testOf(org, "backup-restoration-testing", "restore-tested")).state).toBe(
        "passing",
      );
      const audit = await org.owner.client.get("/api/v1/audit-events?limit=50");
      const recorded = audit.body.items.find(
        (e: { action: string }) => e.action === "restore_test.recorded",
      );
      expect(recorded).toMatchObject({ actorType: "system", actorName: "attest restore-test" });
    }
  });

  it("records a failed restore as a failed test, and the check fails", async () => {
    const org = await organization(t);
    await recordAttestRestoreTest(t.deps.db, report(false), "nightly restore test");
    const list = await org.owner.client.get("/api/v1/continuity/restore-tests?result=failed");
    expect(list.body.items.map((i: { system: { name: string } }) => i.system.name)).toContain(
      "Attest",
    );
    const result = await testOf(org, "backup-restoration-testing", "restore-tested");
    expect(result.state).toBe("failing");
    expect(result.offenders[0]?.label).toBe("Attest");
  });
});
