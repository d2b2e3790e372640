import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../src/db/database.ts";
import { migrateToLatest, migrator } from "../../../src/db/migrate.ts";
import { type Tx, withSystem, withTenant } from "../../../src/db/tenant.ts";
import { recordAuditEvent } from "../../../src/modules/audit-log/audit-log.service.ts";
import { createOrganizationWithOwner } from "../../../src/modules/organizations/organizations.service.ts";
import { policyVisibilityAsOf } from "../../../src/modules/policies/policies.queries.ts";
import type { Actor } from "../../../src/platform/context.ts";
import { createEmptyDatabase } from "../../helpers/database.ts";

// An empty database migrated step by step: policies changed before their history was kept.
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createEmptyDatabase("attest_policy_visibility");
}, 60_000);
afterAll(() => handle.close());

const BEFORE = "20261202070000_sign_in_throttles";

/** A moment strictly after the last event and strictly before the next one. */
async function between(): Promise<Date> {
  const at = new Date();
  const later = () => Date.now() > at.getTime();
  for (let i = 0; i < 100 && !later(); i++) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, 2));
  return at;
}

describe("the migration to a policy visibility history", () => {
  it("should backfill each creation and each change of visibility from the audit events", async () => {
    await migrator(handle.db).migrateTo(BEFORE);
    const { organizationId, userId } = await withSystem(handle.db, (tx) =>
      createOrganizationWithOwner(
        tx,
        {
          organizationName: "Backfill Co",
          name: "Owner of Backfill Co",
          email: "owner@backfill.example.test",
          password: "unused",
        },
        "not-a-real-hash",
        null,
      ),
    );
    const actor: Actor = { type: "user", userId, name: "Owner", role: "owner" };
    const inTenant = <T>(work: (tx: Tx) => Promise<T>) =>
      withTenant(handle.db, organizationId, work);
    const insertPolicy = (title: string, visibility: "internal" | "public") =>
      inTenant((tx) =>
        tx
          .insertInto("policies")
          .values({ organization_id: organizationId, title, visibility, created_by: userId })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
    const event = (policyId: string, action: string, visibility: string, title = "Terms") =>
      inTenant((tx) =>
        recordAuditEvent(tx, {
          organizationId,
          actor,
          action,
          targetType: "policy",
          targetId: policyId,
          after: { title, visibility },
          requestId: null,
        }),
      );

    const before = await between();
    const changed = (await insertPolicy("Terms", "internal")).id;
    await event(changed, "policy.created", "public");
    const whilePublic = await between();
    // An update that keeps the visibility is no change of it.
    await event(changed, "policy.updated", "public", "Terms of Service");
    await between();
    await event(changed, "policy.updated", "internal", "Terms of Service");
    const afterBoth = await between();
    // Seeded without events: no history, its current visibility answers for every date.
    const seeded = (await insertPolicy("Seeded", "public")).id;
    // An event of another kind of target with the same id is not the policy's.
    await inTenant((tx) =>
      recordAuditEvent(tx, {
        organizationId,
        actor,
        action: "policy.updated",
        targetType: "policy_version",
        targetId: seeded,
        after: { visibility: "internal" },
        requestId: null,
      }),
    );

    await migrateToLatest(handle.db);

    const rows = await inTenant((tx) =>
      tx
        .selectFrom("policy_visibility_changes")
        .select(["policy_id", "visibility", "changed_by"])
        .orderBy("seq")
        .execute(),
    );
    expect(rows).toEqual([
      { policy_id: changed, visibility: "public", changed_by: userId },
      { policy_id: changed, visibility: "internal", changed_by: userId },
    ]);
    const asOf = (at: Date) => inTenant((tx) => policyVisibilityAsOf(tx, at));
    expect((await asOf(whilePublic)).get(changed)).toBe("public");
    expect((await asOf(afterBoth)).get(changed)).toBe("internal");
    // Before the first change recorded: the policy's current visibility, as before the history.
    expect((await asOf(before)).get(changed)).toBe("internal");
    expect((await asOf(whilePublic)).get(seeded)).toBe("public");
    expect((await asOf(afterBoth)).get(seeded)).toBe("public");
  });
});
