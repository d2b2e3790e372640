import { randomBytes } from "node:crypto";
import type { Tx } from "../../db/tenant.ts";
import type { User } from "../../db/types.ts";
import { generateTotpSecret, otpauthUrl, verifyTotp } from "../../domain/totp.ts";
import type { Context } from "../../platform/context.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import { AppError, errors } from "../../platform/errors.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { verifyPassword } from "../../platform/passwords.ts";
import { applyChange } from "../change.ts";
import {
  organizationName,
  organizationRequiresMfa,
} from "../organizations/organizations.queries.ts";
import {
  clearMfaSecrets,
  enableMfa,
  setPendingMfaSecret,
  spendTotpStep,
} from "../users/credentials.service.ts";
import { userById } from "../users/users.queries.ts";
import { revokeUserSessions } from "./sessions.service.ts";

const RECOVERY_CODE_COUNT = 10;

/** Recovery codes look like `k3v9-x2mf-8qpa`; matching ignores case, spaces and dashes. */
function newRecoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

/**
 * Starts enrolment. It needs the current password: a stolen session or token alone must not be
 * able to turn two-factor on, keep the recovery codes and lock the owner out.
 */
export async function startMfaEnrollment(
  ctx: Context,
  keyring: Keyring,
  userId: string,
  password: string | undefined,
) {
  const secret = generateTotpSecret();
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const user = await loadUser(tx, userId);
    if (user.mfa_enabled_at) throw errors.invalidState("Two-factor authentication is already on.");
    // An account made by single sign-on has no password: it signs in only through the
    // provider, and its fresh session is all it can show (the organization may require it to
    // enrol before anything else).
    if (user.password_hash !== null) {
      if (password === undefined) throw errors.validation("password", "is required");
      await checkPassword(user, password);
    }
    await setPendingMfaSecret(tx, userId, keyring.seal(secret));
    const organization = await organizationName(tx);
    await audit({
      action: "mfa.enrollment_started",
      targetType: "user",
      targetId: userId,
    });
    return { secret, otpauthUrl: otpauthUrl(secret, user.email, `Attest (${organization})`) };
  });
}

/**
 * Turns two-factor on with the first code from the device, answers the recovery codes, and
 * signs the person out everywhere but here (whoever held another session had only a password).
 */
export async function confirmMfaEnrollment(
  ctx: Context,
  keyring: Keyring,
  input: { userId: string; currentSessionId: string | null; code: string },
): Promise<{ recoveryCodes: string[]; sessionsEnded: number }> {
  const { userId, code } = input;
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const user = await loadUser(tx, userId);
    if (user.mfa_enabled_at) throw errors.invalidState("Two-factor authentication is already on.");
    if (!user.mfa_pending_secret_enc) {
      throw errors.invalidState("Start enrolment first: POST /api/v1/me/mfa/enroll.");
    }
    const secret = keyring.open(user.mfa_pending_secret_enc);
    const counter = verifyTotp(secret, code, new Date());
    if (counter === null) {
      throw new AppError("invalid_mfa_code", "That code is not valid; check your device's clock.", [
        { field: "code", message: "is not the current code" },
      ]);
    }
    await enableMfa(tx, userId, user.mfa_pending_secret_enc, counter);
    const codes = await replaceRecoveryCodes(tx, ctx.organizationId, userId);
    const sessionsEnded = await revokeUserSessions(tx, userId, input.currentSessionId ?? undefined);
    await audit({
      action: "mfa.enabled",
      targetType: "user",
      targetId: userId,
      before: { mfaEnabled: false },
      after: { mfaEnabled: true, recoveryCodes: codes.length, sessionsEnded },
    });
    return { recoveryCodes: codes, sessionsEnded };
  });
}

export async function disableMfa(ctx: Context, userId: string, password: string) {
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const user = await loadUser(tx, userId);
    if (await organizationRequiresMfa(tx, ctx.organizationId)) {
      throw new AppError(
        "mfa_required_by_organization",
        "Your organization requires two-factor authentication, so it cannot be turned off.",
      );
    }
    if (!user.mfa_enabled_at) throw errors.invalidState("Two-factor authentication is not on.");
    await checkPassword(user, password);
    await clearMfaSecrets(tx, userId);
    await tx.deleteFrom("mfa_recovery_codes").where("user_id", "=", userId).execute();
    await audit({
      action: "mfa.disabled",
      targetType: "user",
      targetId: userId,
      before: { mfaEnabled: true },
      after: { mfaEnabled: false },
    });
  });
}

/**
 * Checks a second factor: a TOTP code (never the same time step twice) or an unused recovery
 * code (spent on use). Returns which kind matched, or null.
 */
export async function verifySecondFactor(
  tx: Tx,
  keyring: Keyring,
  user: User,
  code: string,
): Promise<"totp" | "recovery_code" | null> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed) && user.mfa_secret_enc) {
    const counter = verifyTotp(keyring.open(user.mfa_secret_enc), trimmed, new Date());
    if (counter === null) return null;
    return (await spendTotpStep(tx, user.id, counter)) ? "totp" : null;
  }
  // A recovery code is spent the same way: only an update that finds it unused counts.
  const spent = await tx
    .updateTable("mfa_recovery_codes")
    .set({ used_at: new Date() })
    .where("user_id", "=", user.id)
    .where("code_hash", "=", sha256Hex(normalizeRecoveryCode(trimmed)))
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return spent ? "recovery_code" : null;
}

async function replaceRecoveryCodes(tx: Tx, organizationId: string, userId: string) {
  await tx.deleteFrom("mfa_recovery_codes").where("user_id", "=", userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx
    .insertInto("mfa_recovery_codes")
    .values(
      codes.map((code) => ({
        organization_id: organizationId,
        user_id: userId,
        code_hash: sha256Hex(normalizeRecoveryCode(code)),
      })),
    )
    .execute();
  return codes;
}

async function checkPassword(user: User, password: string): Promise<void> {
  if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
    throw new AppError("invalid_credentials", "The password is not correct.", [
      { field: "password", message: "is not correct" },
    ]);
  }
}

async function loadUser(tx: Tx, userId: string): Promise<User> {
  const user = await userById(tx, userId);
  if (!user) throw errors.notFound("User");
  return user;
}
