import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { verifyAuditChains } from "../../../src/modules/audit-log/audit-log.service.ts";
import { applyChange } from "../../../src/modules/change.ts";
import type { Context } from "../../../src/platform/context.ts";
import { createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * A change's audit events join the organization's chain when its work is done: a change that
 * has recorded an event and is still working holds no lock on the chain, so another change of
 * the same organization commits meanwhile. Needs PostgreSQL: PGlite runs one transaction at a
 * time.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("appending a change's audit events", () => {
  it("should let another change of the organization commit while one that has audited still works, and keep the chain whole", async () => {
    const owner = await createOrganization(t, "Side By Side Co");
    const ctx: Context = {
      db: t.deps.db,
      organizationId: owner.organizationId,
      actor: { type: "system", name: "Long change" },
      requestId: null,
    };
    let recorded!: () => void;
    const hasRecorded = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const long = applyChange(ctx, null, async ({ audit }) => {
      const snapshot = { step: "first" };
      await audit({
        action: "test.long_change",
        targetType: "organization",
        targetId: null,
        after: snapshot,
      });
      // Changed after it was handed over: the event keeps what it was given.
      snapshot.step = "changed later";
      recorded();
      await mayFinish;
    });
    await hasRecorded;

    // Another change of the same organization, through the API, while the first is open.
    const token = await owner.client.post("/api/v1/tokens", { name: "meanwhile" });
    expect(token.status).toBe(201);
    finish();
    await long;

    const events = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("audit_events").select(["seq", "action", "after"]).orderBy("seq").execute(),
    );
    const actions = events.map((e) => e.action);
    // In the order the changes committed: the token first, the long change after it.
    expect(actions.indexOf("token.created")).toBeLessThan(actions.indexOf("test.long_change"));
    expect(events.find((e) => e.action === "test.long_change")?.after).toEqual({ step: "first" });
    const chain = (await verifyAuditChains(t.deps.db)).find(
      (c) => c.organizationId === owner.organizationId,
    );
    expect(chain?.firstBreak).toBeNull();
  });
});
