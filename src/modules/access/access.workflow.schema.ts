import { z } from "zod";
import { ACCESS_REQUEST_STATUSES, TASK_KINDS, TASK_REASONS } from "../../db/tables/access.ts";
import {
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests, tasks and proposals: the access workflow's request and answer shapes. */

const named = z.object({ id: idSchema, name: z.string() });
const systemRole = z.string().trim().min(1).max(100);
const comment = z.string().trim().max(2000);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const cursor = z.string().max(500).optional();

export const accessRequestView = z
  .object({
    id: idSchema,
    person: named,
    system: named,
    systemRole: z.string(),
    admin: z.boolean(),
    reason: z.string(),
    requestedBy: named.nullable(),
    requestedAt: timestamp,
    status: z.enum(ACCESS_REQUEST_STATUSES),
    decidedBy: named.nullable(),
    decidedAt: nullableTimestamp,
    decisionComment: z.string().nullable(),
    /** Whether the caller may approve or deny it (the system's owner, or an owner or admin). */
    mayDecide: z.boolean(),
  })
  .meta({ id: "AccessRequest" });

export const newAccessRequest = z.object({
  /** Absent: the caller's own person. Others: one's direct reports (or with access.manage). */
  personId: idSchema.optional(),
  systemId: idSchema,
  systemRole,
  admin: z.boolean().default(false),
  reason: z.string().trim().min(1).max(2000),
});

export const requestListQuery = z.object({
  status: z.enum(ACCESS_REQUEST_STATUSES).optional(),
  systemId: idSchema.optional(),
  personId: idSchema.optional(),
  mine: flag.optional(),
  cursor,
  limit: limitSchema,
});

export const approveBody = z.object({ comment: comment.optional() });
export const denyBody = z.object({ comment: comment.min(1) });

export const TASK_STATES = ["open", "done", "cancelled", "overdue", "all"] as const;

export const accessTaskView = z
  .object({
    id: idSchema,
    kind: z.enum(TASK_KINDS),
    reason: z.enum(TASK_REASONS),
    system: named,
    person: named.extend({ reference: z.string() }).nullable(),
    grant: z
      .object({
        id: idSchema,
        systemRole: z.string(),
        admin: z.boolean(),
        status: z.enum(["pending", "active", "revoked", "cancelled"]),
      })
      .nullable(),
    account: z.object({ id: idSchema, username: z.string(), removed: z.boolean() }).nullable(),
    accessKey: z
      .object({
        id: idSchema,
        name: z.string(),
        fingerprint: z.string(),
        revoked: z.boolean(),
      })
      .nullable(),
    assignee: named.nullable(),
    dueAt: timestamp,
    createdAt: timestamp,
    completedAt: nullableTimestamp,
    cancelledAt: nullableTimestamp,
    cancelReason: z.string().nullable(),
    state: z.enum(["open", "done", "cancelled"]),
    overdue: z.boolean(),
    /** Whether the caller may complete or cancel it. */
    mayAct: z.boolean(),
  })
  .meta({ id: "AccessTask" });

export const taskListQuery = z.object({
  mine: flag.optional(),
  systemId: idSchema.optional(),
  personId: idSchema.optional(),
  state: z.enum(TASK_STATES).default("open"),
  kind: z.enum(TASK_KINDS).optional(),
  reason: z.enum(TASK_REASONS).optional(),
  cursor,
  limit: limitSchema,
});

export const completeBody = z.object({
  /** When it was done; absent: now. Never in the future. */
  at: timestamp.optional(),
});
export const cancelTaskBody = z.object({ reason: z.string().trim().min(1).max(2000) });

const ruleView = z.object({
  id: idSchema,
  system: named,
  systemRole: z.string(),
  admin: z.boolean(),
});
const grantView = z.object({
  id: idSchema,
  system: named,
  systemRole: z.string(),
  admin: z.boolean(),
  roleRuleId: idSchema.nullable(),
});

export const proposalView = z
  .object({ jobRole: z.string().nullable(), add: z.array(ruleView), remove: z.array(grantView) })
  .meta({ id: "AccessProposal" });

export const proposalBody = z
  .object({
    add: z.array(idSchema).max(500).default([]),
    remove: z.array(idSchema).max(500).default([]),
  })
  .refine((b) => b.add.length + b.remove.length > 0, {
    message: "choose at least one rule to add or grant to remove",
    path: ["add"],
  });

export const proposalResult = z.object({ tasks: z.array(accessTaskView) });
