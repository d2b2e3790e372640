import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { type EvidenceEnv, fileGeneratedEvidence } from "../evidence/evidence.service.ts";
import { renderRecordPdf } from "./access-reviews.pdf.ts";
import { loadRecord, type RecordReview, recordFileName } from "./access-reviews.record.ts";
import { actingUser, findReview, reviewStatus } from "./access-reviews.rules.ts";
import { getReview } from "./access-reviews.service.ts";

/**
 * Signing a campaign off: once every item is decided and every revocation carried out, its
 * record (as PDF) is filed in the evidence library for user-access-reviews'
 * access-reviews-current, and the campaign is closed naming that evidence.
 */

export const REVIEW_EVIDENCE = {
  controlKey: "user-access-reviews",
  testKey: "access-reviews-current",
} as const;

/** Why the campaign cannot be signed off yet, or null when it can. */
function whatIsLeft(review: RecordReview): string | null {
  if (review.status === "cancelled") return "The campaign was cancelled.";
  if (review.status === "closed") return "The campaign is already signed off.";
  const undecided = review.counts.items - review.counts.decided;
  const pending = review.counts.revoked - review.counts.revocationsDone;
  const left: string[] = [];
  if (undecided > 0) left.push(`${undecided} item${undecided === 1 ? "" : "s"} still undecided`);
  if (pending > 0) {
    left.push(`${pending} revocation${pending === 1 ? "" : "s"} not yet carried out`);
  }
  return left.length > 0 ? `Not yet: ${left.join(" and ")}.` : null;
}

export async function signOffReview(ctx: Context, env: EvidenceEnv, reviewId: string) {
  const { userId } = actingUser(ctx);
  const now = new Date();
  const data = await withTenant(ctx.db, ctx.organizationId, (tx) => loadRecord(ctx, tx, reviewId));
  const left = whatIsLeft(data.review);
  if (left) throw errors.invalidState(left);
  const signed = {
    ...data,
    review: {
      ...data.review,
      status: "closed" as const,
      closedAt: now,
      closedBy: {
        id: userId,
        name: ctx.actor.type === "user" || ctx.actor.type === "token" ? ctx.actor.name : "",
      },
    },
  };
  const pdf = await renderRecordPdf(signed);
  await fileGeneratedEvidence(
    ctx,
    env,
    {
      ...REVIEW_EVIDENCE,
      title: `Access review record: ${data.review.name}`,
      description: `Signed-off record of the access review started ${isoDay(data.review.startedAt)}: ${data.review.counts.items} items, ${data.review.counts.kept} kept, ${data.review.counts.revoked} revoked and carried out.`,
      evidenceDate: isoDay(now),
      fileName: recordFileName(data.review, "pdf"),
      contentType: "application/pdf",
      data: pdf,
    },
    async (scope, evidence) => {
      // Checked again inside the change: another sign-off or a cancel may have come first
      // (decisions and revocations, once made, are never undone).
      const status = reviewStatus(await findReview(scope.tx, reviewId));
      if (status !== "completed") throw errors.invalidState(`The campaign is ${status}.`);
      await scope.tx
        .updateTable("access_reviews")
        .set({ closed_at: now, closed_by: userId, evidence_id: evidence.id, updated_at: now })
        .where("id", "=", reviewId)
        .execute();
      await scope.audit({
        action: "access_review.signed_off",
        targetType: "access_review",
        targetId: reviewId,
        after: { evidenceId: evidence.id, items: data.review.counts.items },
      });
    },
    ["access_reviews"],
  );
  return getReview(ctx, reviewId);
}
