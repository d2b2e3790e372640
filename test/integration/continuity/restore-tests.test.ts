import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  backdateRestoreTest,
  organization,
  restoreTest,
  restoreTestBody,
  system,
  user,
} from "../../factories.ts";
import { createTestApp, formOf, type TestApp } from "../../helpers/app.ts";

/**
 * Restore tests through the API: recording (into non-production only; results from the
 * integrity checks), the list with its filters and paging, the backed-up systems' standing,
 * evidence, and withdrawing a wrong record.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const URL = "/api/v1/continuity/restore-tests";

describe("recording a restore test", () => {
  it("refuses a restore into production, said so or as a production system, naming the field", async () => {
    const org = await organization(t);
    const db = await system(org, { backedUp: true });
    const live = await system(org, { production: true });
    const said = await org.owner.client.post(
      URL,
      await restoreTestBody(org, db.id, { restoredIntoProduction: true }),
    );
    expect(said.status).toBe(400);
    expect(said.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "restoredIntoProduction",
    ]);
    const named = await org.owner.client.post(
      URL,
      await restoreTestBody(org, db.id, { restoredIntoSystemId: live.id }),
    );
    expect(named.status).toBe(400);
    expect(named.body.errors[0].field).toBe("restoredIntoSystemId");
    const list = await org.owner.client.get(URL);
    expect(list.body.items).toEqual([]);
  });

  it("refuses a future day, a backup taken after the restore, and an unknown system or person", async () => {
    const org = await organization(t);
    const db = await system(org, { backedUp: true });
    const base = await restoreTestBody(org, db.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ performedOn: isoDay(addDays(new Date(), 2)) }, "performedOn"],
      [{ backupTakenAt: addDays(new Date(), 1).toISOString() }, "backupTakenAt"],
      [{ systemId: "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10" }, "systemId"],
      [{ performedById: "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10" }, "performedById"],
      [{ restoredInto: "" }, "restoredInto"],
    ];
    for (const [change, field] of cases) {
      const reply = await org.owner.client.post(URL, { ...base, ...change });
      expect(reply.status, field).toBe(400);
      expect(reply.body.errors[0].field).toBe(field);
    }
  });

  it("is successful only with at least one check and every check passed", async () => {
    const org = await organization(t);
    const db = await system(org, { backedUp: true });
    const passed = await org.owner.client.post(URL, await restoreTestBody(org, db.id));
    expect(passed.status).toBe(201);
    expect(passed.body).toMatchObject({ result: "passed", successful: true, checkCount: 1 });
    const failed = await org.owner.client.post(
      URL,
      await restoreTestBody(org, db.id, {
        checks: [
          { name: "Row counts", passed: true },
          { name: "Checksums of the files", passed: false, detail: "3 files differ" },
        ],
      }),
    );
    expect(failed.body).toMatchObject({ result: "failed", successful: false, failedCheckCount: 1 });
    expect(failed.body.checks[1]).toEqual({
      name: "Checksums of the files",
      passed: false,
      detail: "3 files differ",
    });
    const none = await org.owner.client.post(
      URL,
      await restoreTestBody(org, db.id, { checks: [] }),
    );
    expect(none.body).toMatchObject({ result: "unverified", successful: false, checkCount: 0 });
  });

  it("is for continuity.manage: an auditor reads, a member does neither", async () => {
    const org = await organization(t);
    const made = await restoreTest(org);
    const auditor = await user(org, "auditor");
    const member = await user(org, "member");
    expect((await auditor.client.get(`${URL}/${made.id}`)).status).toBe(200);
    expect((await auditor.client.post(URL, {})).status).toBe(403);
    expect((await member.client.get(URL)).status).toBe(403);
  });
});

describe("the restore tests list", () => {
  it("filters by system and result and pages by cursor, the latest performed first", async () => {
    const org = await organization(t);
    const db = await system(org, { backedUp: true });
    const other = await system(org, { backedUp: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const made = await restoreTest(org, db.id, { performedDaysAgo: i * 10 });
      ids.push(made.id);
    }
    await restoreTest(org, other.id, { checks: [{ name: "Row counts", passed: false }] });
    const first = await org.owner.client.get(`${URL}?systemId=${db.id}&limit=2`);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 2));
    const second = await org.owner.client.get(
      `${URL}?systemId=${db.id}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    expect(second.body.nextCursor).toBeNull();
    const failed = await org.owner.client.get(`${URL}?result=failed`);
    expect(failed.body.items.map((i: { system: { id: string } }) => i.system.id)).toEqual([
      other.id,
    ]);
  });

  it("shows each backed-up system's last successful test and next due day", async () => {
    const org = await organization(t);
    const tested = await system(org, { name: "A tested", backedUp: true });
    const never = await system(org, { name: "B never", backedUp: true });
    await system(org, { name: "C not backed up", backedUp: false });
    const made = await restoreTest(org, tested.id);
    await backdateRestoreTest(org, made.id, 100);
    const standing = await org.owner.client.get("/api/v1/continuity/systems");
    expect(standing.body.items).toEqual([
      {
        system: { id: tested.id, name: "A tested" },
        status: "passing",
        reason: null,
        lastSuccessfulOn: isoDay(addDays(new Date(), -100)),
        nextDueOn: isoDay(addDays(new Date(), 265)),
        lastTestOn: isoDay(addDays(new Date(), -100)),
        lastTestId: made.id,
      },
      {
        system: { id: never.id, name: "B never" },
        status: "failing",
        reason: "none",
        lastSuccessfulOn: null,
        nextDueOn: null,
        lastTestOn: null,
        lastTestId: null,
      },
    ]);
  });
});

describe("evidence and withdrawal", () => {
  it("attaches a file as evidence of restore-tested", async () => {
    const org = await organization(t);
    const made = await restoreTest(org);
    const attached = await org.owner.client.postForm(
      `${URL}/${made.id}/evidence`,
      formOf({}, { name: "restore-log.txt", type: "text/plain", content: "42 rows restored" }),
    );
    expect(attached.status).toBe(201);
    expect(attached.body.evidence).toHaveLength(1);
    const evidence = await org.owner.client.get(`/api/v1/evidence/${attached.body.evidence[0].id}`);
    expect(evidence.body).toMatchObject({
      controlKey: "backup-restoration-testing",
      fileName: "restore-log.txt",
    });
  });

  it("withdraws with a reason, once, audited; the record stays and the list can hide it", async () => {
    const org = await organization(t);
    const made = await restoreTest(org);
    const empty = await org.owner.client.post(`${URL}/${made.id}/withdraw`, { reason: " " });
    expect(empty.status).toBe(400);
    const done = await org.owner.client.post(`${URL}/${made.id}/withdraw`, {
      reason: "Wrong system",
    });
    expect(done.status).toBe(200);
    expect(done.body.withdrawnBy).toEqual({ id: org.owner.id, name: expect.any(String) });
    const again = await org.owner.client.post(`${URL}/${made.id}/withdraw`, { reason: "Again" });
    expect(again.status).toBe(409);
    expect((await org.owner.client.get(URL)).body.items).toHaveLength(1);
    expect((await org.owner.client.get(`${URL}?withdrawn=false`)).body.items).toHaveLength(0);
    const audit = await org.owner.client.get("/api/v1/audit-events?limit=20");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain(
      "restore_test.withdrawn",
    );
  });
});
