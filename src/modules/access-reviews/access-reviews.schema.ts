import { z } from "zod";
import { REVIEW_DECISIONS } from "../../db/tables/access-reviews.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  nameSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the access review routes (campaigns, items, decisions, records). */

export const REVIEW_STATUSES = ["open", "completed", "closed", "cancelled"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const DECISION_FILTERS = ["undecided", ...REVIEW_DECISIONS] as const;

const named = z.object({ id: idSchema, name: z.string() });
const personRef = named.extend({ reference: z.string() });
const cursor = z.string().max(500).optional();
const itemIds = z.array(idSchema).min(1).max(1000);

export const reviewCounts = z.object({
  items: z.number().int(),
  decided: z.number().int(),
  kept: z.number().int(),
  revoked: z.number().int(),
  /** Revoke decisions carried out (the grant revoked, the account removed, or already gone). */
  revocationsDone: z.number().int(),
  /** Undecided items with no reviewer (about the system's owner, or an owner who left). */
  needingReviewer: z.number().int(),
});

export const reviewSystemView = z.object({
  system: named,
  /** The system's owner when the campaign started: its items' reviewer by default. */
  owner: named.nullable(),
  items: z.number().int(),
  decided: z.number().int(),
  completedAt: nullableTimestamp,
});

export const accessReviewView = z
  .object({
    id: idSchema,
    name: z.string(),
    scheduled: z.boolean(),
    status: z.enum(REVIEW_STATUSES),
    startedAt: timestamp,
    startedBy: named.nullable(),
    dueAt: timestamp,
    overdue: z.boolean(),
    completedAt: nullableTimestamp,
    closedAt: nullableTimestamp,
    closedBy: named.nullable(),
    cancelledAt: nullableTimestamp,
    cancelledBy: named.nullable(),
    cancelReason: z.string().nullable(),
    /** The signed-off record in the evidence library, once closed. */
    evidenceId: idSchema.nullable(),
    counts: reviewCounts,
    systems: z.array(reviewSystemView),
    /** Whether the caller may reassign, cancel and sign off (access.manage). */
    mayManage: z.boolean(),
  })
  .meta({ id: "AccessReview" });

export const newAccessReview = z.object({
  name: nameSchema.optional(),
  systemIds: z.array(idSchema).min(1).max(500),
  /** YYYY-MM-DD (the end of that day, UTC) or an ISO timestamp; absent: settings' due days. */
  dueAt: z.union([daySchema, timestamp]).optional(),
});

export const reviewListQuery = z.object({
  status: z.enum(REVIEW_STATUSES).optional(),
  cursor,
  limit: limitSchema,
});

export const reviewItemView = z
  .object({
    id: idSchema,
    review: named.extend({ dueAt: timestamp }),
    system: named,
    kind: z.enum(["grant", "account"]),
    grantId: idSchema.nullable(),
    accountId: idSchema.nullable(),
    // frozen when the campaign started
    person: personRef.nullable(),
    username: z.string().nullable(),
    systemRole: z.string().nullable(),
    admin: z.boolean(),
    basis: z.string().nullable(),
    roleRuleId: idSchema.nullable(),
    jobRole: z.string().nullable(),
    grantedAt: nullableTimestamp,
    lastLoginAt: nullableTimestamp,
    service: z.boolean(),
    // the review
    reviewer: named.nullable(),
    decision: z.enum(REVIEW_DECISIONS).nullable(),
    comment: z.string().nullable(),
    decidedAt: nullableTimestamp,
    decidedBy: named.nullable(),
    /** For a revoke: the task that carries it out, and when the access was taken away. */
    revocation: z
      .object({
        taskId: idSchema.nullable(),
        dueAt: nullableTimestamp,
        doneAt: nullableTimestamp,
      })
      .nullable(),
    /** Whether the caller may decide it now (undecided, open campaign, they are the reviewer). */
    mayDecide: z.boolean(),
  })
  .meta({ id: "AccessReviewItem" });

export const itemListQuery = z.object({
  systemId: idSchema.optional(),
  reviewerId: idSchema.optional(),
  decision: z.enum(DECISION_FILTERS).optional(),
  cursor,
  limit: limitSchema,
});

export const assignedQuery = z.object({ cursor, limit: limitSchema });

export const decisionsBody = z.object({
  itemIds,
  decision: z.enum(REVIEW_DECISIONS),
  /** One comment for every item; required (non-blank) for revoke. */
  comment: z.string().trim().max(2000).optional(),
});

export const reassignBody = z.object({ itemIds, reviewerId: idSchema });

export const itemsResult = z.object({
  review: accessReviewView,
  items: z.array(reviewItemView),
});

export const cancelReviewBody = z.object({ reason: z.string().trim().min(1).max(2000) });
