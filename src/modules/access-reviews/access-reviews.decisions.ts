import { sql } from "kysely";
import type { AccessReviewItemRow, ReviewDecision } from "../../db/tables/access-reviews.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { openReviewRevocations } from "../access/access.reviews.service.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { activePeopleOn } from "../people/people.queries.ts";
import { presentItems } from "./access-reviews.items.ts";
import {
  actingUser,
  actorCan,
  actorPerson,
  findReview,
  ownedSystems,
  reviewStatus,
} from "./access-reviews.rules.ts";
import { getReview } from "./access-reviews.service.ts";

/**
 * Decisions (keep or revoke, one comment for many items, all or nothing) by the items'
 * reviewer; a revoke opens its revocation task through the access area. Deciding the last
 * item of a system completes the system; the last of the campaign completes the campaign.
 */

/** The items, in the order asked, each of this campaign; a 400 naming the first that is not. */
async function itemsOf(tx: Tx, reviewId: string, itemIds: readonly string[]) {
  const rows = await tx
    .selectFrom("access_review_items")
    .selectAll()
    .where("review_id", "=", reviewId)
    .where("id", "in", [...new Set(itemIds)])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return itemIds.map((id, index) => {
    const row = byId.get(id);
    if (!row) throw errors.validation(`itemIds.${index}`, "is not an item of this campaign");
    return { row, index };
  });
}

async function assertOpen(tx: Tx, reviewId: string) {
  const review = await findReview(tx, reviewId);
  const status = reviewStatus(review);
  if (status !== "open") {
    throw errors.invalidState(`The campaign is ${status}: its items can no longer change.`);
  }
  return review;
}

function assertUndecided(items: { row: AccessReviewItemRow; index: number }[]) {
  const decided = items.find((i) => i.row.decision !== null);
  if (decided) {
    throw errors.conflict(
      `Item ${decided.row.id} is already decided (${decided.row.decision}).`,
      `itemIds.${decided.index}`,
    );
  }
}

/** Marks the systems, then the campaign, whose every item is now decided, as complete. */
async function completeWhatIsDone(scope: ChangeScope, reviewId: string, now: Date) {
  const { tx } = scope;
  await sql`
    update access_review_systems s set completed_at = ${now}
    where s.review_id = ${reviewId} and s.completed_at is null
      and not exists (select 1 from access_review_items i
        where i.review_id = s.review_id and i.system_id = s.system_id and i.decision is null)`.execute(
    tx,
  );
  const completed = await tx
    .updateTable("access_reviews")
    .set({ completed_at: now, updated_at: now })
    .where("id", "=", reviewId)
    .where("completed_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("access_review_items as i")
            .select("i.id")
            .whereRef("i.review_id", "=", "access_reviews.id")
            .where("i.decision", "is", null),
        ),
      ),
    )
    .returning("id")
    .executeTakeFirst();
  if (completed) {
    await scope.audit({
      action: "access_review.completed",
      targetType: "access_review",
      targetId: reviewId,
      after: { completedAt: now.toISOString() },
    });
  }
}

export interface DecisionInput {
  itemIds: string[];
  decision: ReviewDecision;
  comment?: string | undefined;
}

export async function decideItems(ctx: Context, reviewId: string, input: DecisionInput) {
  const { userId } = actingUser(ctx);
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  if (input.decision === "revoke" && !comment) {
    throw errors.validation("comment", "is required to revoke: say why the access is not needed");
  }
  const now = new Date();
  await applyChange(ctx, ["access_reviews", "access"], async (scope) => {
    const { tx } = scope;
    await assertOpen(tx, reviewId);
    const items = await itemsOf(tx, reviewId, input.itemIds);
    const me = await actorPerson(ctx, tx);
    const foreign = items.find((i) => me === null || i.row.reviewer_id !== me);
    if (foreign) {
      throw errors.forbidden(
        `Item ${foreign.row.id} (itemIds.${foreign.index}) is not assigned to you: only its reviewer decides it.`,
      );
    }
    assertUndecided(items);
    const ids = items.map((i) => i.row.id);
    await tx
      .updateTable("access_review_items")
      .set({ decision: input.decision, comment, decided_at: now, decided_by: userId })
      .where("id", "in", ids)
      .execute();
    let tasks = new Map<string, string>();
    if (input.decision === "revoke") {
      tasks = await openReviewRevocations(
        scope,
        ctx,
        items.map(({ row }) => ({
          itemId: row.id,
          systemId: row.system_id,
          personId: row.person_id,
          grantId: row.grant_id,
          accountId: row.account_id,
          decidedAt: now,
        })),
      );
      for (const [itemId, taskId] of tasks) {
        await tx
          .updateTable("access_review_items")
          .set({ task_id: taskId })
          .where("id", "=", itemId)
          .execute();
      }
    }
    await scope.audit({
      action: "access_review.decided",
      targetType: "access_review",
      targetId: reviewId,
      after: {
        decision: input.decision,
        comment,
        count: ids.length,
        itemIds: ids,
        revocationTasks: [...tasks.values()],
      },
    });
    await completeWhatIsDone(scope, reviewId, now);
  });
  return answer(ctx, reviewId, input.itemIds);
}

export async function reassignItems(
  ctx: Context,
  reviewId: string,
  input: { itemIds: string[]; reviewerId: string },
) {
  actingUser(ctx);
  await applyChange(ctx, "access_reviews", async (scope) => {
    const { tx } = scope;
    await assertOpen(tx, reviewId);
    const items = await itemsOf(tx, reviewId, input.itemIds);
    if (!actorCan(ctx, "access.manage")) {
      const owned = await ownedSystems(tx, reviewId, await actorPerson(ctx, tx));
      const foreign = items.find((i) => !owned.has(i.row.system_id));
      if (foreign) {
        throw errors.forbidden(
          `Item ${foreign.row.id} (itemIds.${foreign.index}) is on a system you do not own: only its owner or an admin reassigns it.`,
        );
      }
    }
    assertUndecided(items);
    const reviewer = await tx
      .selectFrom(activePeopleOn(tx, isoDay(new Date())).as("p"))
      .select(["p.id", "p.name"])
      .where("p.id", "=", input.reviewerId)
      .executeTakeFirst();
    if (!reviewer) throw errors.validation("reviewerId", "is not an active person");
    const self = items.find((i) => i.row.person_id === input.reviewerId);
    if (self) {
      throw errors.validation(
        "reviewerId",
        `is the person under review on item ${self.row.id}: nobody reviews their own access`,
      );
    }
    const ids = items.map((i) => i.row.id);
    await tx
      .updateTable("access_review_items")
      .set({ reviewer_id: input.reviewerId })
      .where("id", "in", ids)
      .execute();
    await scope.audit({
      action: "access_review.reassigned",
      targetType: "access_review",
      targetId: reviewId,
      before: { reviewerIds: [...new Set(items.map((i) => i.row.reviewer_id))] },
      after: {
        reviewerId: input.reviewerId,
        reviewerName: reviewer.name,
        count: ids.length,
        itemIds: ids,
      },
    });
  });
  return answer(ctx, reviewId, input.itemIds);
}

async function answer(ctx: Context, reviewId: string, itemIds: readonly string[]) {
  const items = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const rows = await tx
      .selectFrom("access_review_items")
      .selectAll()
      .where("review_id", "=", reviewId)
      .where("id", "in", [...new Set(itemIds)])
      .orderBy("id")
      .execute();
    return presentItems(ctx, tx, rows);
  });
  return { review: await getReview(ctx, reviewId), items };
}
