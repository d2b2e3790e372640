import { isoDay } from "../../domain/dates.ts";
import type { Role } from "../../domain/permissions.ts";
import { fillPlaceholders } from "../../domain/policy-text.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { activeUserCount } from "../users/users.queries.ts";
import { currentVersion, findPolicy, openVersion } from "./policies.queries.ts";
import {
  APPROVER_ROLES,
  actingUser,
  assertMayApprove,
  assertNotRetired,
  assertTextFinished,
} from "./policies.rules.ts";
import { getPolicy } from "./policies.views.ts";
import { sendPublicationNotices } from "./policy-notices.ts";

/**
 * A version's way to publication: submitted for approval, rejected back to draft, or approved
 * and published (and its audience asked to acknowledge it); the periodic review re-approves
 * the current version unchanged.
 */

/** Where a failure to send the publication mail is written: the request's log. */
export interface MailErrorLog {
  error(details: { err: unknown }, message: string): void;
}

export async function submitForApproval(ctx: Context, policyId: string) {
  await transition(ctx, policyId, "draft", "submitted", "policy.submitted");
  return getPolicy(ctx, policyId);
}

export async function rejectSubmission(ctx: Context, policyId: string, reason: string) {
  await transition(ctx, policyId, "submitted", "draft", "policy.rejected", { reason });
  return getPolicy(ctx, policyId);
}

async function transition(
  ctx: Context,
  policyId: string,
  from: "draft" | "submitted",
  to: "draft" | "submitted",
  action: string,
  extra: Record<string, unknown> = {},
) {
  // No version in force changes: nothing to announce.
  await applyChange(ctx, null, async ({ tx, audit }) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const open = await openVersion(tx, policyId);
    if (open?.status !== from) {
      throw errors.invalidState(
        from === "draft" ? "There is no draft to submit." : "No version awaits approval.",
      );
    }
    await tx
      .updateTable("policy_versions")
      .set({
        status: to,
        submitted_at: to === "submitted" ? new Date() : null,
        updated_at: new Date(),
      })
      .where("id", "=", open.id)
      .execute();
    await audit({
      action,
      targetType: "policy_version",
      targetId: open.id,
      before: { status: from },
      after: { status: to, policyId, version: open.version, ...extra },
    });
  });
}

function approverOf(user: { userId: string; role: Role }) {
  return { approverId: user.userId, approverRole: user.role };
}

/** How the audience hears of a publication: the mailer, and where a failure to send is logged. */
export interface PublicationMail {
  deps: Deps;
  log: MailErrorLog;
}

/**
 * Approves the submitted version and publishes it: it becomes the current version, the one
 * before is superseded, and everyone in the audience is asked to acknowledge it (with `mail`).
 * The mail goes out after the commit; a failure to send it is logged, and the publication
 * stands.
 */
export async function approveAndPublish(
  ctx: Context,
  policyId: string,
  comment?: string,
  mail?: PublicationMail,
) {
  const approver = actingUser(ctx.actor);
  const published = await applyChange(ctx, "policies", async ({ tx, audit }) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const open = await openVersion(tx, policyId);
    if (open?.status !== "submitted")
      throw errors.invalidState("Submit a version for approval first.");
    assertMayApprove({
      ...approverOf(approver),
      authorId: open.author_id,
      approverCount: await activeUserCount(tx, APPROVER_ROLES),
    });
    assertTextFinished(open, { fillsOnApproval: true });
    const now = new Date();
    const effectiveDate = isoDay(now);
    const body = fillPlaceholders(open.body, { effective_date: effectiveDate });
    const previous = await currentVersion(tx, policyId);
    if (previous) {
      await tx
        .updateTable("policy_versions")
        .set({ status: "superseded", superseded_at: now, updated_at: now })
        .where("id", "=", previous.id)
        .execute();
    }
    await tx
      .updateTable("policy_versions")
      .set({ status: "published", body, published_at: now, updated_at: now })
      .where("id", "=", open.id)
      .execute();
    await tx
      .insertInto("policy_approvals")
      .values({
        organization_id: ctx.organizationId,
        version_id: open.id,
        kind: "publication",
        approver_id: approver.userId,
        approver_role: approver.role,
        approved_at: now,
        comment: comment ?? null,
      })
      .execute();
    await audit({
      action: "policy.published",
      targetType: "policy_version",
      targetId: open.id,
      before: previous ? { currentVersion: previous.version } : { currentVersion: null },
      after: {
        policyId,
        currentVersion: open.version,
        approverRole: approver.role,
        comment: comment ?? null,
        ...(body !== open.body ? { effectiveDate } : {}),
      },
    });
    return open.id;
  });
  const policy = await getPolicy(ctx, policyId);
  if (mail) {
    await sendPublicationNotices(mail.deps, ctx.organizationId, published).catch((error: unknown) =>
      mail.log.error({ err: error }, "could not send policy publication mail"),
    );
  }
  return policy;
}

/** Re-approves the current version unchanged: this is the periodic review. */
export async function reviewPolicy(ctx: Context, policyId: string, comment?: string) {
  const approver = actingUser(ctx.actor);
  await applyChange(ctx, "policies", async ({ tx, audit }) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const current = await currentVersion(tx, policyId);
    if (!current) throw errors.invalidState("There is no published version to review.");
    assertMayApprove({
      ...approverOf(approver),
      authorId: current.author_id,
      approverCount: await activeUserCount(tx, APPROVER_ROLES),
    });
    assertTextFinished(current, { fillsOnApproval: false });
    await tx
      .insertInto("policy_approvals")
      .values({
        organization_id: ctx.organizationId,
        version_id: current.id,
        kind: "review",
        approver_id: approver.userId,
        approver_role: approver.role,
        approved_at: new Date(),
        comment: comment ?? null,
      })
      .execute();
    await audit({
      action: "policy.reviewed",
      targetType: "policy_version",
      targetId: current.id,
      after: { policyId, version: current.version, comment: comment ?? null },
    });
  });
  return getPolicy(ctx, policyId);
}
