import { createHmac } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Kysely, sql } from "kysely";
import { withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { FORGET_AFTER_MS, failuresToCountFrom, lockDelayMs } from "../../domain/sign-in-backoff.ts";
import type { Context } from "../../platform/context.ts";
import { AppError, errors } from "../../platform/errors.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { applyChange } from "../change.ts";
import { userById } from "../users/users.queries.ts";

/**
 * The per-account limit on sign-in guesses (password, TOTP or recovery code), beside the
 * per-address one. An attempt is counted before its password or code is checked, under a row
 * lock, so parallel guesses cannot slip past the count; a sign-in that succeeds clears it, and
 * a right password that still waits for its code gives its count back.
 *
 * Accounts are keyed by an HMAC of the email, known or not: an unknown email is counted,
 * locked and answered exactly like a real one, so the limit tells nobody which accounts exist.
 */
export interface SignInAttempt {
  accountKey: string;
  /** The wait this attempt starts if it fails; null while the account's attempts are free. */
  lockedUntil: Date | null;
  failures: number;
  previousLockedUntil: Date | null;
}

export interface AttemptDeps {
  db: Kysely<Database>;
  keyring: Keyring;
}

export class SignInLocked extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(
      "rate_limited",
      `Too many failed sign-in attempts for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }
}

export function accountKeyOf(masterKey: Buffer, email: string): string {
  return createHmac("sha256", masterKey)
    .update(`attest.sign-in:${email.trim().toLowerCase()}`)
    .digest("hex");
}

/** Counts an attempt on the account of `email`, or refuses it (429) while the account waits. */
export async function startSignInAttempt(
  deps: AttemptDeps,
  email: string,
  now = new Date(),
): Promise<SignInAttempt> {
  const accountKey = accountKeyOf(deps.keyring.macKey, email);
  return withSystem(deps.db, async (tx) => {
    // Inserts the account's row or locks the one there (an upsert, so a row removed meanwhile
    // by the clean-up below is simply made again); held until the attempt is counted.
    const row = await tx
      .insertInto("sign_in_throttles")
      .values({ account_key: accountKey, failures: 0, last_attempt_at: now })
      .onConflict((oc) =>
        oc
          .column("account_key")
          .doUpdateSet((eb) => ({ account_key: eb.ref("excluded.account_key") })),
      )
      .returning([
        "failures",
        "last_attempt_at",
        "locked_until",
        sql<boolean>`xmax = 0`.as("created"),
      ])
      .executeTakeFirstOrThrow();
    if (row.created) {
      // Rows of emails nobody tried for a day go, a few at a time, as new ones come; rows
      // another attempt holds are skipped.
      const stale = new Date(now.getTime() - FORGET_AFTER_MS);
      await tx
        .deleteFrom("sign_in_throttles")
        .where(
          "account_key",
          "in",
          tx
            .selectFrom("sign_in_throttles")
            .select("account_key")
            .where("last_attempt_at", "<", stale)
            .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
            .limit(100)
            .forUpdate()
            .skipLocked(),
        )
        .execute();
    }
    if (row.locked_until && row.locked_until > now) {
      throw new SignInLocked(Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000));
    }
    const failures = failuresToCountFrom(row.failures, row.last_attempt_at, now) + 1;
    const delay = lockDelayMs(failures);
    const lockedUntil = delay > 0 ? new Date(now.getTime() + delay) : null;
    await tx
      .updateTable("sign_in_throttles")
      .set({ failures, last_attempt_at: now, locked_until: lockedUntil })
      .where("account_key", "=", accountKey)
      .execute();
    return { accountKey, lockedUntil, failures, previousLockedUntil: row.locked_until };
  });
}

/** A sign-in that opened a session: the account starts afresh. */
export async function clearSignInAttempts(db: Kysely<Database>, attempt: SignInAttempt) {
  await withSystem(db, (tx) =>
    tx.deleteFrom("sign_in_throttles").where("account_key", "=", attempt.accountKey).execute(),
  );
}

/** A right password that now waits for its code is no failure: its count is given back. */
export async function refundSignInAttempt(db: Kysely<Database>, attempt: SignInAttempt) {
  await withSystem(db, (tx) =>
    tx
      .updateTable("sign_in_throttles")
      .set((eb) => ({
        failures: eb
          .case()
          .when("failures", ">", 0)
          .then(eb("failures", "-", 1))
          .else(0)
          .end(),
        // The wait this attempt started goes too, unless a later attempt started another.
        locked_until: attempt.lockedUntil
          ? eb
              .case()
              .when("locked_until", "=", attempt.lockedUntil)
              .then(attempt.previousLockedUntil)
              .else(eb.ref("locked_until"))
              .end()
          : eb.ref("locked_until"),
      }))
      .where("account_key", "=", attempt.accountKey)
      .execute(),
  );
}

/**
 * When a failed attempt starts a wait on a real account, its organization's audit trail says
 * so (an unknown email has no organization to tell).
 */
export async function recordLockout(
  db: Kysely<Database>,
  attempt: SignInAttempt,
  account: { id: string; organization_id: string },
  request: { ip: string | null; requestId: string },
) {
  if (!attempt.lockedUntil) return;
  await recordStandaloneEvent(db, {
    organizationId: account.organization_id,
    actor: { type: "anonymous" },
    action: "auth.sign_in_locked",
    targetType: "user",
    targetId: account.id,
    after: {
      failures: attempt.failures,
      lockedUntil: attempt.lockedUntil.toISOString(),
      ip: request.ip,
    },
    requestId: request.requestId,
  });
}

/**
 * An owner or admin lets a person of their organization sign in again at once: the failures
 * and the wait are forgotten. Nothing to clear changes nothing and writes no event.
 */
export async function clearSignInLock(ctx: Context, keyring: Keyring, userId: string) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const user = await userById(tx, userId);
    if (!user) throw errors.notFound("User");
    const cleared = await tx
      .deleteFrom("sign_in_throttles")
      .where("account_key", "=", accountKeyOf(keyring.macKey, user.email))
      .returning(["failures", "locked_until"])
      .executeTakeFirst();
    if (!cleared) return;
    await audit({
      action: "auth.sign_in_unlocked",
      targetType: "user",
      targetId: user.id,
      before: {
        failures: cleared.failures,
        lockedUntil: cleared.locked_until?.toISOString() ?? null,
      },
    });
  });
}

/** An onError hook for the sign-in route: a locked account's 429 says when to come back. */
export function retryAfterOnLock(
  _request: FastifyRequest,
  reply: FastifyReply,
  error: Error,
  done: () => void,
) {
  if (error instanceof SignInLocked) reply.header("retry-after", String(error.retryAfterSeconds));
  done();
}
