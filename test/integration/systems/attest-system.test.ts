import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  ATTEST_SYSTEM_NAME,
  attestSystemId,
  ensureAttestSystem,
} from "../../../src/modules/systems/systems.attest.ts";
import type { Context } from "../../../src/platform/context.ts";
import { organization, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function systemContext(organizationId: string): Context {
  return {
    db: t.deps.db,
    organizationId,
    actor: { type: "system", name: "attest restore-test" },
    requestId: null,
  };
}

describe("the built-in Attest system", () => {
  it("should be created once, audited, restricted and backed up, and refuse deletion", async () => {
    const org = await organization(t);
    const ctx = systemContext(org.id);
    expect(await withTenant(t.deps.db, org.id, (tx) => attestSystemId(tx))).toBeNull();
    const id = await ensureAttestSystem(ctx);
    expect(await ensureAttestSystem(ctx)).toBe(id);

    const shown = await org.owner.client.get(`/api/v1/systems/${id}`);
    expect(shown.body).toMatchObject({
      name: ATTEST_SYSTEM_NAME,
      kind: "data_store",
      classification: "restricted",
      backedUp: true,
      production: true,
      builtin: true,
    });
    const deleted = await org.owner.client.delete(`/api/v1/systems/${id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toMatch(/Attest itself/);

    const audit = await org.owner.client.get("/api/v1/audit-events?action=system.created");
    const created = audit.body.items.filter((e: { targetId: string }) => e.targetId === id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actorType: "system", actorName: "attest restore-test" });
  });

  it("should adopt a system the organization already named Attest, and stay apart per organization", async () => {
    const org = await organization(t);
    const other = await organization(t);
    const own = await system(org, { name: "attest" });
    expect(await ensureAttestSystem(systemContext(org.id))).toBe(own.id);
    const theirs = await ensureAttestSystem(systemContext(other.id));
    expect(theirs).not.toBe(own.id);
    expect((await org.owner.client.get(`/api/v1/systems/${own.id}`)).body.builtin).toBe(true);
  });
});
