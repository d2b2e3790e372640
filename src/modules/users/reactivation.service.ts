import type { User } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { employmentEnded } from "../people/people.queries.ts";
import { assertMayChange } from "./users.rules.ts";
import {
  actorRole,
  findUser,
  INVITE_DAYS,
  lockUserChanges,
  presentUser,
  snapshot,
  type UserView,
} from "./users.service.ts";

/**
 * Gives a deactivated account back (an owner or admin; an owner's account only an owner).
 * Refused while the person's employment has ended: a re-hire clears the end date first, so no
 * leaver's account comes back unnoticed. An account with a password is active again; one that
 * never had a password (an invitation never accepted, an account made by single sign-on or
 * SCIM) is invited again, and the new invitation's token is answered, to send. Sessions and
 * API tokens revoked at deactivation stay revoked.
 */
export async function reactivateUser(
  ctx: Context,
  id: string,
): Promise<{ user: UserView; inviteToken: string | null }> {
  const actor = actorRole(ctx.actor);
  return applyChange(ctx, null, async (scope) => {
    await lockUserChanges(scope.tx, ctx.organizationId);
    const before = await findUser(scope.tx, id);
    assertMayChange(actor, before, "reactivate");
    if (before.status !== "deactivated") {
      throw errors.invalidState(`This account is ${before.status}, not deactivated.`);
    }
    const reactivated = await reactivate(
      scope,
      before,
      before.password_hash ? "active" : "invited",
    );
    return { user: presentUser(reactivated.user), inviteToken: reactivated.inviteToken };
  });
}

/**
 * Reactivates an account inside the caller's change, for an identity provider that re-hires
 * the person (SCIM, with single sign-on on): the account is active at once, since the provider
 * signs them in. Answers whether it was deactivated before.
 */
export async function reactivateUserIn(
  ctx: Context,
  scope: ChangeScope,
  id: string,
): Promise<boolean> {
  await lockUserChanges(scope.tx, ctx.organizationId);
  const before = await findUser(scope.tx, id);
  if (before.status !== "deactivated") return false;
  await reactivate(scope, before, "active");
  return true;
}

async function reactivate(
  { tx, audit }: ChangeScope,
  before: User,
  status: "active" | "invited",
): Promise<{ user: User; inviteToken: string | null }> {
  const today = isoDay(new Date());
  if (await employmentEnded(tx, { email: before.email, userId: before.id }, today)) {
    throw errors.invalidState(
      `${before.name}'s employment has ended: clear the end date on their person (a re-hire) first.`,
    );
  }
  const inviteToken = status === "invited" ? randomToken(32) : null;
  const now = new Date();
  const user = await tx
    .updateTable("users")
    .set({
      status,
      deactivated_at: null,
      invite_token_hash: inviteToken ? sha256Hex(inviteToken) : null,
      invite_expires_at: inviteToken ? new Date(now.getTime() + INVITE_DAYS * 86_400_000) : null,
      updated_at: now,
    })
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit({
    action: "user.reactivated",
    targetType: "user",
    targetId: user.id,
    before: snapshot(before),
    after: snapshot(user),
  });
  return { user, inviteToken };
}
