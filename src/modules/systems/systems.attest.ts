import type { QueryCreator } from "kysely";
import { sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Context } from "../../platform/context.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { insertSystem } from "./systems.changes.ts";

/**
 * The system of the inventory that stands for Attest itself. Attest backs up its own data and
 * restore-tests it (backup-restoration-testing), and checks its own storage is encrypted
 * (encryption-at-rest): those records need a system to be about. It is created the first time
 * one is recorded, marked `builtin = 'attest'`; users may edit or archive it like any other,
 * but not delete it.
 */
export const ATTEST_SYSTEM_NAME = "Attest";

const ATTEST_SYSTEM = {
  name: ATTEST_SYSTEM_NAME,
  kind: "data_store",
  description:
    "Attest itself: its database and the evidence files it stores. Created by Attest, which " +
    "restore-tests its own backups and checks its own storage is encrypted.",
  production: true,
  classification: "restricted",
  customerData: true,
  backedUp: true,
  internetFacing: false,
} as const;

/** The organization's built-in Attest system, or null when none has been created yet. */
export async function attestSystemId(db: QueryCreator<Database>): Promise<string | null> {
  const row = await db
    .selectFrom("systems")
    .select("id")
    .where("builtin", "=", "attest")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The built-in Attest system's id inside a change, created when missing (audited as
 * `system.created`). A system the organization had already named "Attest" is adopted instead.
 */
export async function ensureAttestSystemIn(ctx: Context, scope: ChangeScope): Promise<string> {
  const existing = await attestSystemId(scope.tx);
  if (existing) return existing;
  const sameName = await scope.tx
    .selectFrom("systems")
    .select("id")
    .where(sql<string>`lower(name)`, "=", ATTEST_SYSTEM_NAME.toLowerCase())
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (sameName) {
    await scope.tx
      .updateTable("systems")
      .set({ builtin: "attest" })
      .where("id", "=", sameName.id)
      .execute();
    await scope.audit({
      action: "system.marked_builtin",
      targetType: "system",
      targetId: sameName.id,
      after: { builtin: "attest" },
    });
    return sameName.id;
  }
  const row = await insertSystem(ctx, scope, { ...ATTEST_SYSTEM }, "attest");
  return row.id;
}

/** The built-in Attest system's id, created in a change of its own when missing. */
export async function ensureAttestSystem(ctx: Context): Promise<string> {
  const existing = await withTenant(ctx.db, ctx.organizationId, (tx) => attestSystemId(tx));
  if (existing) return existing;
  return applyChange(ctx, "systems", (scope) => ensureAttestSystemIn(ctx, scope));
}
