import type { Kysely } from "kysely";
import { withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Context } from "../../platform/context.ts";
import { applyChange } from "../change.ts";
import { allOrganizationIds } from "../organizations/organizations.queries.ts";
import { ensureAttestSystemIn } from "../systems/systems.attest.ts";
import { recordConfirmationRow } from "./encryption.confirmations.ts";
import { ENCRYPTION_SOURCE } from "./encryption.core.ts";
import { ATTEST_MASTER_KEY, ensureBuiltinKey, insertRotation } from "./encryption.keys.ts";

/**
 * What Attest records about its own encryption, in every organization of the database, as the
 * system actor: the rotations of its master key (`attest keys rotate`, contract C3) and the
 * automated at-rest confirmations of the "Attest" system from its check of its own storage.
 */

/** Runs `work` once per organization, as the system actor named `actorName`. */
async function inEveryOrganization(
  db: Kysely<Database>,
  actorName: string,
  work: (ctx: Context) => Promise<void>,
): Promise<void> {
  const organizationIds = await withSystem(db, (tx) => allOrganizationIds(tx));
  for (const organizationId of organizationIds) {
    await work({ db, organizationId, actor: { type: "system", name: actorName }, requestId: null });
  }
}

/**
 * In every organization: makes sure the key registry has the built-in entry "Attest master key"
 * (purpose "wraps Attest's data keys and secrets", algorithm "AES-256-GCM", location given,
 * rotation period 365 days) and records a rotation at `rotatedAt`, by the system actor, audited.
 */
export function recordAttestKeyRotation(
  db: Kysely<Database>,
  rotation: { rotatedAt: Date; keyId: string; location: string; actorName?: string },
): Promise<void> {
  const actorName = rotation.actorName ?? "attest keys rotate";
  return inEveryOrganization(db, actorName, async (ctx) => {
    await applyChange(ctx, ENCRYPTION_SOURCE, async (scope) => {
      const key = await ensureBuiltinKey(scope, ctx.organizationId, {
        ...ATTEST_MASTER_KEY,
        location: rotation.location,
      });
      await insertRotation(scope, ctx.organizationId, key, {
        rotatedAt: rotation.rotatedAt,
        newKeyRef: rotation.keyId,
        notes: "",
        evidenceId: null,
        recordedBy: null,
        actorName,
      });
    });
  });
}

/** Records, in every organization, an automated at-rest confirmation of the "Attest" system
 *  (ensureAttestSystem, contract C1: created in the same change when missing) from Attest's check of its own storage. */
export function recordAttestAtRestCheck(
  db: Kysely<Database>,
  result: { checkedAt: Date; passed: boolean; detail: string; actorName?: string },
): Promise<void> {
  const actorName = result.actorName ?? "attest self-check";
  return inEveryOrganization(db, actorName, async (ctx) => {
    // The system and its confirmation in one change: nothing half written.
    await applyChange(ctx, [ENCRYPTION_SOURCE, "systems"], async (scope) => {
      const systemId = await ensureAttestSystemIn(ctx, scope);
      await recordConfirmationRow(scope, ctx.organizationId, {
        systemId,
        method: "automated",
        confirmedAt: result.checkedAt,
        passed: result.passed,
        detail: result.detail,
        notes: "",
        evidenceIds: [],
        confirmedBy: null,
        actorName,
      });
    });
  });
}
