import type { Tx } from "../../db/tenant.ts";
import type { User } from "../../db/types.ts";

// Writes of an account's credentials, for the auth area: the users area owns the table, auth
// decides when (test/architecture). Each runs in the caller's transaction.

/** Stores a new password's hash. */
export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string) {
  await tx
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** Keeps an enrolment's secret (encrypted) until the first code confirms it. */
export async function setPendingMfaSecret(tx: Tx, userId: string, secretEnc: string) {
  await tx
    .updateTable("users")
    .set({ mfa_pending_secret_enc: secretEnc, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** Turns two-factor on with the confirmed secret and the time step its first code spent. */
export async function enableMfa(tx: Tx, userId: string, secretEnc: string, counter: number) {
  await tx
    .updateTable("users")
    .set({
      mfa_secret_enc: secretEnc,
      mfa_pending_secret_enc: null,
      mfa_enabled_at: new Date(),
      mfa_last_counter: counter,
      updated_at: new Date(),
    })
    .where("id", "=", userId)
    .execute();
}

/** Turns two-factor off: the secrets are forgotten. */
export async function clearMfaSecrets(tx: Tx, userId: string) {
  await tx
    .updateTable("users")
    .set({
      mfa_secret_enc: null,
      mfa_pending_secret_enc: null,
      mfa_enabled_at: null,
      mfa_last_counter: null,
      updated_at: new Date(),
    })
    .where("id", "=", userId)
    .execute();
}

/**
 * Spends a TOTP time step by a conditional update, not by comparing with a row read earlier:
 * of several sign-ins sent at once with one code, only the first to update wins (the others
 * wait for its row lock, then find the counter already there). True when this one won.
 */
export async function spendTotpStep(tx: Tx, userId: string, counter: number): Promise<boolean> {
  const spent = await tx
    .updateTable("users")
    .set({ mfa_last_counter: counter })
    .where("id", "=", userId)
    .where((eb) =>
      eb.or([eb("mfa_last_counter", "is", null), eb("mfa_last_counter", "<", counter)]),
    )
    .returning("id")
    .executeTakeFirst();
  return spent !== undefined;
}

/** Creates an organization's first owner, active, with a password. */
export async function createOwnerAccount(
  tx: Tx,
  input: { organizationId: string; email: string; name: string; passwordHash: string },
): Promise<User> {
  return tx
    .insertInto("users")
    .values({
      organization_id: input.organizationId,
      email: input.email,
      name: input.name,
      role: "owner",
      status: "active",
      password_hash: input.passwordHash,
      // Millisecond precision, as JavaScript dates carry, keeps list cursors exact.
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
