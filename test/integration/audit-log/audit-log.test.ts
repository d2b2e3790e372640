import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "../../../src/db/database.ts";
import { type Tx, withSystem, withTenant } from "../../../src/db/tenant.ts";
import {
  recordStandaloneEvent,
  verifyAuditChains,
} from "../../../src/modules/audit-log/audit-log.service.ts";
import { addPerson, createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";
import { createTestDatabase } from "../../helpers/database.ts";

const run = promisify(execFile);
const CLI = path.resolve("bin/attest.js");

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the audit trail", () => {
  it("should record who changed what, before and after, with the request id", async () => {
    const owner = await createOrganization(t, "Trail Co");
    const editor = await addPerson(t, owner, "editor", "Eddie");
    const changed = await owner.client.patch(`/api/v1/users/${editor.id}`, { role: "admin" });
    expect(changed.status).toBe(200);

    const events = await owner.client.get(`/api/v1/audit-events?action=user.role_changed`);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      actorType: "user",
      actor: { id: owner.id },
      targetType: "user",
      targetId: editor.id,
      before: { role: "editor" },
      after: { role: "admin" },
      requestId: changed.headers["x-request-id"],
    });

    const all = (await owner.client.get("/api/v1/audit-events?limit=200")).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(all).toEqual(
      expect.arrayContaining([
        "organization.created",
        "user.invited",
        "user.invitation_accepted",
        "user.role_changed",
      ]),
    );
  });

  it("should filter by action, actor and time, and page with a cursor", async () => {
    const owner = await createOrganization(t, "Filter Co");
    for (const criteria of [["A1.2"], ["A1.3"], ["CC7.5"]]) {
      await owner.client.patch("/api/v1/controls/bcdr-policy", { criteria });
    }
    const page1 = await owner.client.get("/api/v1/audit-events?action=control.updated&limit=2");
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await owner.client.get(
      `/api/v1/audit-events?action=control.updated&limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const seqs = [...page1.body.items, ...page2.body.items].map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const byActor = await owner.client.get(
      `/api/v1/audit-events?actorId=${owner.id}&action=control.updated`,
    );
    expect(byActor.body.items).toHaveLength(3);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await owner.client.get(`/api/v1/audit-events?from=${encodeURIComponent(future)}`);
    expect(none.body.items).toHaveLength(0);
  });

  it("should not let the application role update or delete an event", async () => {
    const owner = await createOrganization(t, "Append Co");
    const attempts: ((tx: Tx) => Promise<unknown>)[] = [
      (tx) => tx.updateTable("audit_events").set({ action: "forged" }).execute(),
      (tx) => tx.deleteFrom("audit_events").execute(),
    ];
    for (const attempt of attempts) {
      await expect(withTenant(t.deps.db, owner.organizationId, attempt)).rejects.toThrow(
        /permission denied/,
      );
      await expect(withSystem(t.deps.db, attempt)).rejects.toThrow(/permission denied/);
    }
    // Even the owner of the table is stopped by the trigger.
    await expect(sql`update audit_events set action = 'forged'`.execute(t.deps.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_events`.execute(t.deps.db)).rejects.toThrow(/append-only/);
  });

  it("should chain concurrent appends without gaps or forks", async () => {
    const owner = await createOrganization(t, "Busy Co");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordStandaloneEvent(t.deps.db, {
          organizationId: owner.organizationId,
          actor: { type: "system", name: "test" },
          action: "test.concurrent",
          targetType: "test",
          targetId: String(i),
          requestId: null,
        }),
      ),
    );
    const results = await verifyAuditChains(t.deps.db);
    const mine = results.find((r) => r.organizationId === owner.organizationId);
    expect(mine?.firstBreak).toBeNull();
    expect(mine?.eventsChecked).toBeGreaterThanOrEqual(21);
  });
});

describe("attest audit verify", () => {
  it("should pass an untouched trail and name the first altered event", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-verify-"));
    const database = await createTestDatabase({ onDisk: path.join(dir, "pg") });
    const app = await createTestAppOn(database);
    const owner = await createOrganization(app, "Tamper Co");
    for (const criteria of [["A1.2"], ["A1.3"], ["CC7.5"]]) {
      await owner.client.patch("/api/v1/controls/bcdr-policy", { criteria });
    }
    const target = await withTenant(database.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("audit_events")
        .select(["id", "seq"])
        .where("action", "=", "control.updated")
        .orderBy("seq")
        .limit(1)
        .executeTakeFirstOrThrow(),
    );

    const env = { ...process.env, ...database.env, ATTEST_LOG_LEVEL: "silent" };
    await app.app.close();
    if (database.engine === "pglite") await database.db.destroy();
    const clean = await run("node", [CLI, "audit", "verify"], { env });
    expect(clean.stdout).toMatch(/^ok\s+Tamper Co .*: \d+ events verified/m);

    // Someone with direct superuser access rewrites history, bypassing the trigger.
    const reopened =
      database.engine === "pglite" ? await openPglite({ dataDir: path.join(dir, "pg") }) : database;
    await reopened.db.connection().execute(async (conn) => {
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`update audit_events set after = '{"criteria":["CC9.9"]}' where id = ${target.id}`.execute(
        conn,
      );
      await sql`set session_replication_role = origin`.execute(conn);
    });
    if (database.engine === "pglite") await reopened.db.destroy();

    const tampered = await run("node", [CLI, "audit", "verify"], { env }).then(
      () => {
        throw new Error("verify should exit 1");
      },
      (error: { code: number; stdout: string }) => error,
    );
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`BROKEN  Tamper Co`);
    expect(tampered.stdout).toContain(`event seq ${target.seq} id ${target.id}`);
    expect(tampered.stdout).toContain("altered");

    if (database.engine === "postgres") await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});

async function createTestAppOn(
  database: Awaited<ReturnType<typeof createTestDatabase>>,
): Promise<TestApp> {
  const { buildServer } = await import("../../../src/server.ts");
  const { loadConfig } = await import("../../../src/platform/config.ts");
  const { randomBytes } = await import("node:crypto");
  const { Keyring } = await import("../../../src/platform/keyring.ts");
  const deps = {
    db: database.db,
    engine: database.engine,
    config: { ...loadConfig({}), logLevel: "silent", loginRateLimit: 10_000 },
    keyring: Keyring.of(randomBytes(32)),
    mailer: null,
  };
  const app = await buildServer(deps, { logger: false });
  await app.ready();
  return { app, deps, database, close: () => app.close() };
}
