import type { Tx } from "../../db/tenant.ts";
import type { AuditEntry } from "../change.ts";

/**
 * The few writes every access workflow shares — carrying a grant out, revoking it, removing an
 * account, revoking an access key — each closing the task that asked for it, so a grant revoked from the system's page
 * and one revoked from the leaver's task end the same way. They run inside `applyChange`.
 */
interface Scope {
  tx: Tx;
  audit(entry: AuditEntry): Promise<void>;
}

interface Done {
  /** When it was done (defaults to now; may be in the past, never in the future). */
  at: Date;
  by: string | null;
}

/** Confirms a pending grant was carried out: it is active from `at`. */
export async function carryOutGrant(scope: Scope, grantId: string, done: Done) {
  const grant = await scope.tx
    .updateTable("access_grants")
    .set({ granted_at: done.at, granted_by: done.by, updated_at: new Date() })
    .where("id", "=", grantId)
    .where("granted_at", "is", null)
    .where("cancelled_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!grant) return undefined;
  await closeTasks(scope.tx, { grantId, kind: "grant" }, done);
  await scope.audit({
    action: "access_grant.granted",
    targetType: "access_grant",
    targetId: grantId,
    after: { grantedAt: done.at.toISOString() },
  });
  return grant;
}

/**
 * Takes a grant away: an active one is revoked at `at`; a pending one (never carried out) is
 * cancelled. Open tasks to give it are cancelled; open tasks to take it away are completed.
 */
export async function revokeGrant(
  scope: Scope,
  grantId: string,
  done: Done & { reason: string | null },
) {
  const now = new Date();
  const revoked = await scope.tx
    .updateTable("access_grants")
    .set({ revoked_at: done.at, revoked_by: done.by, revoke_reason: done.reason, updated_at: now })
    .where("id", "=", grantId)
    .where("granted_at", "is not", null)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  const grant =
    revoked ??
    (await scope.tx
      .updateTable("access_grants")
      .set({ cancelled_at: now, revoke_reason: done.reason, updated_at: now })
      .where("id", "=", grantId)
      .where("granted_at", "is", null)
      .where("cancelled_at", "is", null)
      .returningAll()
      .executeTakeFirst());
  if (!grant) return undefined;
  await closeTasks(scope.tx, { grantId, kind: "revoke" }, done);
  await cancelTasks(scope.tx, { grantId, kind: "grant" }, done, "the grant was taken away");
  await scope.audit({
    action: revoked ? "access_grant.revoked" : "access_grant.cancelled",
    targetType: "access_grant",
    targetId: grantId,
    after: { at: done.at.toISOString(), reason: done.reason },
  });
  return grant;
}

/** Removes an account from its system at `at` (it stays as history). */
export async function removeAccount(scope: Scope, accountId: string, done: Done) {
  const account = await scope.tx
    .updateTable("accounts")
    .set({ removed_at: done.at, removed_by: done.by, updated_at: new Date() })
    .where("id", "=", accountId)
    .where("removed_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!account) return undefined;
  await closeTasks(scope.tx, { accountId, kind: "revoke" }, done);
  await scope.audit({
    action: "account.removed",
    targetType: "account",
    targetId: accountId,
    after: { removedAt: done.at.toISOString() },
  });
  return account;
}

/**
 * Revokes an access key at `at` (it stays as history, with the systems it opened); its open
 * revocation task is completed.
 */
export async function revokeKey(
  scope: Scope,
  keyId: string,
  done: Done & { reason: string | null },
) {
  const key = await scope.tx
    .updateTable("access_keys")
    .set({
      revoked_at: done.at,
      revoked_by: done.by,
      revoke_reason: done.reason,
      updated_at: new Date(),
    })
    .where("id", "=", keyId)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!key) return undefined;
  await closeTasks(scope.tx, { accessKeyId: keyId, kind: "revoke" }, done);
  await scope.audit({
    action: "access_key.revoked",
    targetType: "access_key",
    targetId: keyId,
    after: { at: done.at.toISOString(), reason: done.reason, name: key.name },
  });
  return key;
}

type TaskTarget =
  | { grantId: string; kind: "grant" | "revoke" }
  | { accountId: string; kind: "revoke" }
  | { accessKeyId: string; kind: "revoke" };

function openTasks(tx: Tx, target: TaskTarget) {
  const query = tx
    .updateTable("access_tasks")
    .where("kind", "=", target.kind)
    .where("completed_at", "is", null)
    .where("cancelled_at", "is", null);
  if ("grantId" in target) return query.where("grant_id", "=", target.grantId);
  if ("accountId" in target) return query.where("account_id", "=", target.accountId);
  return query.where("access_key_id", "=", target.accessKeyId);
}

async function closeTasks(tx: Tx, target: TaskTarget, done: Done) {
  await openTasks(tx, target).set({ completed_at: done.at, completed_by: done.by }).execute();
}

async function cancelTasks(tx: Tx, target: TaskTarget, done: Done, reason: string) {
  await openTasks(tx, target)
    .set({ cancelled_at: new Date(), cancelled_by: done.by, cancel_reason: reason })
    .execute();
}
