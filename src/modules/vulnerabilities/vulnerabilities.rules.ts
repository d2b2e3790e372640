import type { FindingAcceptanceRow } from "../../db/tables/vulnerabilities.ts";
import { can } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";

/**
 * Who may decide a risk acceptance beyond the role table (vulnerabilities.approve): never the
 * one who asked for it, and, when an approver was named, only that approver.
 */

export function actingUserId(ctx: Context): string {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return actor.userId;
}

/** Why the caller may not decide this acceptance, or null when they may. */
export function whyNotDecide(
  ctx: Context,
  acceptance: Pick<FindingAcceptanceRow, "requested_by" | "approver_id">,
  approverName: string | null,
): string | null {
  const actor = ctx.actor;
  if (
    (actor.type !== "user" && actor.type !== "token") ||
    !can(actor.role, "vulnerabilities.approve")
  ) {
    return "Your role does not allow deciding risk acceptances: an owner or an admin decides them.";
  }
  if (acceptance.requested_by === actor.userId) {
    return "You asked for this risk acceptance: someone else must approve or reject it.";
  }
  if (acceptance.approver_id && acceptance.approver_id !== actor.userId) {
    return `This risk acceptance asked ${approverName ?? "another approver"} to decide: only they may.`;
  }
  return null;
}

export function mayDecide(
  ctx: Context,
  acceptance: Pick<FindingAcceptanceRow, "requested_by" | "approver_id">,
): boolean {
  return whyNotDecide(ctx, acceptance, null) === null;
}

/** Throws the 403 naming why, when the caller may not decide. */
export function assertMayDecide(
  ctx: Context,
  acceptance: Pick<FindingAcceptanceRow, "requested_by" | "approver_id">,
  approverName: string | null,
): void {
  const why = whyNotDecide(ctx, acceptance, approverName);
  if (why) throw errors.forbidden(why);
}
