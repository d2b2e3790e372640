import type { Kysely } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database, User } from "../../db/types.ts";
import type { Actor, Context } from "../../platform/context.ts";
import { AppError } from "../../platform/errors.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "../../platform/passwords.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { applyChange } from "../change.ts";
import { passwordSignInAllowedForNonOwners } from "../sso/sso.queries.ts";
import { setPasswordHash } from "../users/credentials.service.ts";
import { userByEmail, userById } from "../users/users.queries.ts";
import {
  clearSignInAttempts,
  recordLockout,
  refundSignInAttempt,
  type SignInAttempt,
  startSignInAttempt,
} from "./attempts.ts";
import { verifySecondFactor } from "./mfa.service.ts";
import { assertStrongPasswordFor } from "./password-policy.ts";
import {
  createSession,
  type NewSession,
  resolveSession,
  revokeSession,
  revokeUserSessions,
  revokeUserTokens,
  type SessionPolicy,
  userMaySignIn,
} from "./sessions.service.ts";

export interface LoginDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  sessionPolicy: SessionPolicy;
}

export interface LoginRequest {
  email?: string | undefined;
  password?: string | undefined;
  code?: string | undefined;
  /** The cookie of a sign-in that is waiting for its MFA code. */
  pendingSessionToken?: string | undefined;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export type LoginResult =
  | { status: "ok"; session: NewSession; userId: string; organizationId: string }
  | { status: "mfa_required"; session: NewSession };

const invalidCredentials = () =>
  new AppError("invalid_credentials", "The email or password is not correct.");
const invalidCode = () =>
  new AppError("invalid_mfa_code", "The authentication code is not valid.", [
    { field: "code", message: "is not valid" },
  ]);

/**
 * Signs a person in. With email and password: checks them, then either opens a session or,
 * when MFA is on and no code came along, opens a pending one. With only a code: completes the
 * pending sign-in. Every failure is in the audit trail of the account's organization.
 */
export async function login(deps: LoginDeps, request: LoginRequest): Promise<LoginResult> {
  if (request.email !== undefined || request.password !== undefined) {
    return loginWithPassword(deps, request);
  }
  if (request.code !== undefined) return completeMfaLogin(deps, request);
  throw new AppError("validation_failed", "Send email and password, or the authentication code.", [
    { field: "email", message: "is required" },
  ]);
}

async function loginWithPassword(deps: LoginDeps, request: LoginRequest): Promise<LoginResult> {
  const email = (request.email ?? "").trim().toLowerCase();
  const password = request.password ?? "";
  const attempt = await startSignInAttempt(deps, email);
  const user = await withSystem(deps.db, (tx) => userByEmail(tx, email));
  const passwordOk =
    user?.password_hash && userMaySignIn(user, new Date())
      ? await verifyPassword(user.password_hash, password)
      : await verifyAgainstDecoy(password);
  if (!user || !passwordOk) {
    if (user) await recordFailure(deps, user, request, "password", attempt);
    throw invalidCredentials();
  }
  // Checked after the password, so that it tells nothing to someone who does not know it.
  // Owners always keep the password path: a broken provider must not lock everyone out.
  if (
    user.role !== "owner" &&
    !(await withTenant(deps.db, user.organization_id, passwordSignInAllowedForNonOwners))
  ) {
    // The password was right: no step towards a lockout.
    await refundSignInAttempt(deps.db, attempt);
    await recordStandaloneEvent(deps.db, {
      organizationId: user.organization_id,
      actor: { type: "anonymous" },
      action: "auth.login_failed",
      targetType: "user",
      targetId: user.id,
      after: { reason: "password_sign_in_disabled", ip: request.ip },
      requestId: request.requestId,
    });
    throw new AppError(
      "password_sign_in_disabled",
      "Your organization signs in with single sign-on; use the single sign-on button.",
    );
  }
  if (user.mfa_enabled_at) {
    if (request.code === undefined) {
      await refundSignInAttempt(deps.db, attempt);
      const session = await withTenant(deps.db, user.organization_id, (tx) =>
        createSession(tx, {
          organizationId: user.organization_id,
          userId: user.id,
          mfaPending: true,
          policy: deps.sessionPolicy,
          ip: request.ip,
          userAgent: request.userAgent,
        }),
      );
      return { status: "mfa_required", session };
    }
    return finishLogin(deps, user, request, request.code, null, attempt);
  }
  return finishLogin(deps, user, request, null, null, attempt);
}

async function completeMfaLogin(deps: LoginDeps, request: LoginRequest): Promise<LoginResult> {
  const pending = request.pendingSessionToken
    ? await resolveSession(deps.db, request.pendingSessionToken, deps.sessionPolicy, {
        allowMfaPending: true,
      })
    : null;
  if (pending?.via.kind !== "session" || !pending.mfaPending) {
    throw new AppError(
      "unauthenticated",
      "Your sign-in expired or has not started; enter your email and password again.",
    );
  }
  const user = await withTenant(deps.db, pending.organizationId, async (tx) => {
    const found = await userById(tx, pending.userId);
    if (!found) throw new Error(`No user ${pending.userId}`);
    return found;
  });
  const attempt = await startSignInAttempt(deps, user.email);
  return finishLogin(deps, user, request, request.code ?? "", pending.via.sessionId, attempt);
}

async function finishLogin(
  deps: LoginDeps,
  user: User,
  request: LoginRequest,
  code: string | null,
  pendingSessionId: string | null,
  attempt: SignInAttempt,
): Promise<LoginResult> {
  const actor: Actor = { type: "user", userId: user.id, name: user.name, role: user.role };
  const ctx = {
    db: deps.db,
    organizationId: user.organization_id,
    actor,
    requestId: request.requestId,
  };
  const outcome = await applyChange(ctx, null, async ({ tx, audit }) => {
    let factor: "password" | "totp" | "recovery_code" = "password";
    if (code !== null) {
      const matched = await verifySecondFactor(tx, deps.keyring, user, code);
      if (!matched) return null;
      factor = matched;
    }
    if (pendingSessionId) await revokeSession(tx, pendingSessionId);
    const session = await createSession(tx, {
      organizationId: user.organization_id,
      userId: user.id,
      mfaPending: false,
      policy: deps.sessionPolicy,
      ip: request.ip,
      userAgent: request.userAgent,
    });
    await audit({
      action: "auth.login",
      targetType: "user",
      targetId: user.id,
      after: {
        sessionId: session.sessionId,
        secondFactor: code === null ? null : factor,
        ip: request.ip,
      },
    });
    return session;
  });
  if (!outcome) {
    await recordFailure(deps, user, request, "mfa_code", attempt);
    throw invalidCode();
  }
  await clearSignInAttempts(deps.db, attempt);
  return { status: "ok", session: outcome, userId: user.id, organizationId: user.organization_id };
}

async function recordFailure(
  deps: LoginDeps,
  user: User,
  request: LoginRequest,
  reason: string,
  attempt: SignInAttempt,
) {
  await recordLockout(deps.db, attempt, user, request);
  await recordStandaloneEvent(deps.db, {
    organizationId: user.organization_id,
    actor: { type: "anonymous" },
    action: "auth.login_failed",
    targetType: "user",
    targetId: user.id,
    after: { reason, ip: request.ip },
    requestId: request.requestId,
  });
}

export async function logout(
  db: Kysely<Database>,
  input: { organizationId: string; sessionId: string; actor: Actor; requestId: string },
) {
  await applyChange(contextOf(db, input), null, async ({ tx, audit }) => {
    await revokeSession(tx, input.sessionId);
    await audit({ action: "auth.logout", targetType: "session", targetId: input.sessionId });
  });
}

export async function changePassword(
  db: Kysely<Database>,
  input: {
    organizationId: string;
    userId: string;
    currentSessionId: string | null;
    currentPassword: string;
    newPassword: string;
    actor: Actor;
    requestId: string;
  },
) {
  await assertStrongPasswordFor(db, input, "newPassword", input.newPassword);
  const newHash = await hashPassword(input.newPassword);
  return applyChange(contextOf(db, input), null, async ({ tx, audit }) => {
    const user = await userById(tx, input.userId);
    if (
      !user?.password_hash ||
      !(await verifyPassword(user.password_hash, input.currentPassword))
    ) {
      throw new AppError("invalid_credentials", "The current password is not correct.", [
        { field: "currentPassword", message: "is not correct" },
      ]);
    }
    await setPasswordHash(tx, input.userId, newHash);
    // Other devices signed in with the old password are signed out, and API tokens made with
    // it stop working: whoever learnt the old password may have made one.
    const sessionsEnded = await revokeUserSessions(
      tx,
      input.userId,
      input.currentSessionId ?? undefined,
    );
    const tokensRevoked = await revokeUserTokens(tx, input.userId);
    await audit({
      action: "user.password_changed",
      targetType: "user",
      targetId: input.userId,
      after: { sessionsEnded, tokensRevoked },
    });
    return { sessionsEnded, tokensRevoked };
  });
}

/** The context of a change made by an account's own request. */
function contextOf(
  db: Kysely<Database>,
  input: { organizationId: string; actor: Actor; requestId: string },
): Context {
  return {
    db,
    organizationId: input.organizationId,
    actor: input.actor,
    requestId: input.requestId,
  };
}
