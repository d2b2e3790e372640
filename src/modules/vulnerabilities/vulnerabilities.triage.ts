import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import { findingDetailIn, lockFinding } from "./vulnerabilities.findings.ts";
import { recordStatuses } from "./vulnerabilities.periods.ts";
import { actingUserId } from "./vulnerabilities.rules.ts";

/**
 * Triage of a finding: who works on it, comments, marking it a false positive (a reason
 * required) and reopening it (false positive or resolved → open, its deadline unchanged: the
 * clock never restarts). Status changes go through recordStatuses.
 */

const ALL_ROLES = ["owner", "admin", "editor", "member", "auditor"] as const;

export async function assignFinding(ctx: Context, id: string, body: { assigneeId: string | null }) {
  return applyChange(ctx, "findings", async ({ tx, audit }) => {
    const finding = await lockFinding(tx, id);
    let assigneeName: string | null = null;
    if (body.assigneeId) {
      const [user] = await activeUsersWithRoles(tx, ALL_ROLES, [body.assigneeId]);
      if (!user)
        throw errors.validation("assigneeId", "must be an active user of the organization");
      assigneeName = user.name;
    }
    if (finding.assignee_id !== body.assigneeId) {
      await tx
        .updateTable("findings")
        .set({ assignee_id: body.assigneeId, reminded_for: null, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      await audit({
        action: "finding.assigned",
        targetType: "finding",
        targetId: id,
        before: { assigneeId: finding.assignee_id },
        after: { assigneeId: body.assigneeId, assigneeName },
      });
    }
    return findingDetailIn(ctx, tx, id);
  });
}

export async function addComment(ctx: Context, id: string, body: { body: string }) {
  return applyChange(ctx, null, async ({ tx, audit }) => {
    await lockFinding(tx, id);
    const comment = await tx
      .insertInto("finding_comments")
      .values({
        organization_id: ctx.organizationId,
        finding_id: id,
        author_id: actingUserId(ctx),
        body: body.body,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit({
      action: "finding.commented",
      targetType: "finding",
      targetId: id,
      after: { commentId: comment.id },
    });
    return findingDetailIn(ctx, tx, id);
  });
}

/** Ends an acceptance in force (pending or approved) when the finding leaves open/accepted. */
async function closeAcceptances(ctx: Context, tx: Parameters<typeof lockFinding>[0], id: string) {
  const now = new Date();
  await tx
    .updateTable("finding_acceptances")
    .set({ revoked_at: now, revoked_by: actingUserId(ctx) })
    .where("finding_id", "=", id)
    .where("revoked_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("decision", "is", null),
        eb.and([eb("decision", "=", "approved"), eb("expires_at", ">", now)]),
      ]),
    )
    .execute();
}

export async function markFalsePositive(ctx: Context, id: string, body: { reason: string }) {
  return applyChange(ctx, "findings", async ({ tx, audit }) => {
    const finding = await lockFinding(tx, id);
    if (finding.status === "false_positive") {
      throw errors.invalidState("The finding is already marked a false positive.");
    }
    await closeAcceptances(ctx, tx, id);
    await recordStatuses(tx, ctx.organizationId, [
      {
        findingId: id,
        status: "false_positive",
        severity: finding.severity,
        dueAt: finding.due_at,
        at: new Date(),
      },
    ]);
    await audit({
      action: "finding.false_positive",
      targetType: "finding",
      targetId: id,
      before: { status: finding.status },
      after: { status: "false_positive", reason: body.reason },
    });
    return findingDetailIn(ctx, tx, id);
  });
}

export async function reopenFinding(ctx: Context, id: string, body: { reason: string }) {
  return applyChange(ctx, "findings", async ({ tx, audit }) => {
    const finding = await lockFinding(tx, id);
    if (finding.status !== "false_positive" && finding.status !== "resolved") {
      throw errors.invalidState(
        "Only a resolved finding or a false positive can be reopened; this one is still counting.",
      );
    }
    await recordStatuses(tx, ctx.organizationId, [
      {
        findingId: id,
        status: "open",
        severity: finding.severity,
        dueAt: finding.due_at,
        at: new Date(),
      },
    ]);
    await audit({
      action: "finding.reopened",
      targetType: "finding",
      targetId: id,
      before: { status: finding.status },
      after: { status: "open", reason: body.reason },
    });
    return findingDetailIn(ctx, tx, id);
  });
}

/** The organization's active users, and which of them may be asked to approve. */
export async function triagePeopleOf(ctx: Context) {
  const me = actingUserId(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => ({
    items: (await activeUsersWithRoles(tx, ALL_ROLES)).map((u) => ({
      id: u.userId,
      name: u.name,
      mayApprove: (u.role === "owner" || u.role === "admin") && u.userId !== me,
    })),
  }));
}
