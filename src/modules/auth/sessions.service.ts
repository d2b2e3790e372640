import type { Kysely } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import { organizationRows } from "../organizations/organizations.queries.ts";
import { principalUsers } from "../users/users.queries.ts";
import type { Principal } from "./principal.ts";

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** A half-finished sign-in (password checked, MFA code pending) lives this long. */
const MFA_PENDING_MINUTES = 10;
/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewSession {
  token: string;
  sessionId: string;
  csrfToken: string;
}

export async function createSession(
  tx: Tx,
  input: {
    organizationId: string;
    userId: string;
    mfaPending: boolean;
    /** Opened by a single sign-on whose two-factor the organization accepts in place of its own. */
    providerMfa?: boolean;
    policy: SessionPolicy;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<NewSession> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const now = new Date();
  const lifetimeMs = input.mfaPending
    ? MFA_PENDING_MINUTES * 60_000
    : input.policy.maxHours * 3_600_000;
  const row = await tx
    .insertInto("sessions")
    .values({
      organization_id: input.organizationId,
      user_id: input.userId,
      token_hash: sha256Hex(token),
      csrf_token: csrfToken,
      mfa_pending: input.mfaPending,
      provider_mfa: input.providerMfa ?? false,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + lifetimeMs),
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id, csrfToken };
}

export function revokeSession(tx: Tx, sessionId: string) {
  return tx
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

/**
 * Signs a person out everywhere (but the session given); answers how many sessions that had not
 * yet expired were ended.
 */
export async function revokeUserSessions(
  tx: Tx,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = tx
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null);
  if (exceptSessionId) query = query.where("id", "<>", exceptSessionId);
  const ended = await query.returning("expires_at").execute();
  const now = Date.now();
  return ended.filter((s) => s.expires_at.getTime() > now).length;
}

/** Revokes every live API token of a person (after a password change); answers how many. */
export async function revokeUserTokens(tx: Tx, userId: string): Promise<number> {
  const revoked = await tx
    .updateTable("api_tokens")
    .set({ revoked_at: new Date() })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .returning("id")
    .execute();
  return revoked.length;
}

const principalColumns = [
  "u.id as user_id",
  "u.organization_id",
  "u.name",
  "u.email",
  "u.role",
  "u.status",
  "u.access_expires_at",
  "u.mfa_enabled_at",
  "o.require_mfa",
] as const;

/**
 * Resolves a session cookie to its principal, or null when the session is unknown, revoked,
 * expired, idle too long, still waiting for an MFA code, or its user may no longer sign in.
 */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  policy: SessionPolicy,
  options: { allowMfaPending?: boolean } = {},
): Promise<(Principal & { mfaPending: boolean }) | null> {
  const now = new Date();
  return withSystem(db, async (tx) => {
    const row = await tx
      .selectFrom("sessions as s")
      .innerJoin(principalUsers(tx).as("u"), "u.id", "s.user_id")
      .innerJoin(organizationRows(tx).as("o"), "o.id", "u.organization_id")
      .select([
        ...principalColumns,
        "s.id as session_id",
        "s.csrf_token",
        "s.mfa_pending",
        "s.provider_mfa",
        "s.last_seen_at",
        "s.expires_at",
        "s.revoked_at",
      ])
      .where("s.token_hash", "=", sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.expires_at <= now) return null;
    if (now.getTime() - row.last_seen_at.getTime() > policy.idleMinutes * 60_000) return null;
    if (!userMaySignIn(row, now)) return null;
    if (row.mfa_pending && !options.allowMfaPending) return null;
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await tx
        .updateTable("sessions")
        .set({ last_seen_at: now })
        .where("id", "=", row.session_id)
        .execute();
    }
    const principal = principalFrom(row);
    return {
      ...principal,
      // The provider's two-factor, accepted by the organization, stands for Attest's own.
      mfaEnrollmentRequired: principal.mfaEnrollmentRequired && !row.provider_mfa,
      mfaPending: row.mfa_pending,
      via: { kind: "session", sessionId: row.session_id, csrfToken: row.csrf_token },
    };
  });
}

/** Resolves an API token (`Authorization: Bearer …`) to the principal of the user who made it. */
export async function resolveApiToken(
  db: Kysely<Database>,
  token: string,
): Promise<Principal | null> {
  const now = new Date();
  return withSystem(db, async (tx) => {
    const row = await tx
      .selectFrom("api_tokens as t")
      .innerJoin(principalUsers(tx).as("u"), "u.id", "t.user_id")
      .innerJoin(organizationRows(tx).as("o"), "o.id", "u.organization_id")
      .select([...principalColumns, "t.id as token_id", "t.revoked_at", "t.last_used_at"])
      .where("t.token_hash", "=", sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || !userMaySignIn(row, now)) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await tx
        .updateTable("api_tokens")
        .set({ last_used_at: now })
        .where("id", "=", row.token_id)
        .execute();
    }
    return { ...principalFrom(row), via: { kind: "token", tokenId: row.token_id } };
  });
}

export function userMaySignIn(
  user: { status: string; access_expires_at: Date | null },
  now: Date,
): boolean {
  if (user.status !== "active") return false;
  return !user.access_expires_at || user.access_expires_at > now;
}

function principalFrom(row: {
  user_id: string;
  organization_id: string;
  name: string;
  email: string;
  role: Principal["role"];
  mfa_enabled_at: Date | null;
  require_mfa: boolean;
}): Omit<Principal, "via"> {
  return {
    organizationId: row.organization_id,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    mfaEnabled: row.mfa_enabled_at !== null,
    mfaEnrollmentRequired: row.require_mfa && row.mfa_enabled_at === null,
  };
}
