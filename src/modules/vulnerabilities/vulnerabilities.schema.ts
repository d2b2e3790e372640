import { z } from "zod";
import { FINDING_SOURCES, FINDING_STATUSES, SEVERITIES } from "../../db/tables/vulnerabilities.ts";
import {
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the findings: the list, a finding, triage and risk acceptances. */

export const SLA_STATES = ["overdue", "due_soon", "within"] as const;
export const ACCEPTANCE_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "revoked",
  "expired",
] as const;
/** How far ahead a risk acceptance may run: a year at most, then it must be asked for again. */
export const MAX_ACCEPTANCE_DAYS = 365;

export const findingView = z
  .object({
    id: idSchema,
    systemId: idSchema,
    systemName: z.string(),
    source: z.enum(FINDING_SOURCES),
    pentestId: idSchema.nullable(),
    pentestName: z.string().nullable(),
    tool: z.string(),
    fingerprint: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    cvssScore: z.number().nullable(),
    cvssVector: z.string().nullable(),
    identifiers: z.array(z.string()),
    ruleId: z.string().nullable(),
    packageName: z.string().nullable(),
    installedVersion: z.string().nullable(),
    fixedVersion: z.string().nullable(),
    filePath: z.string().nullable(),
    line: z.number().int().nullable(),
    url: z.string().nullable(),
    firstDetectedAt: timestamp,
    lastDetectedAt: timestamp,
    status: z.enum(FINDING_STATUSES),
    statusChangedAt: timestamp,
    /** The remediation deadline: first detection + the severity's SLA (never restarts). */
    dueAt: timestamp,
    /** What the checks compare: dueAt while open, the later of it and the acceptance's expiry while accepted, else null. */
    deadlineAt: nullableTimestamp,
    resolvedAt: nullableTimestamp,
    /** Against deadlineAt now: null when the finding does not count (resolved, false positive). */
    sla: z.enum(SLA_STATES).nullable(),
    assigneeId: idSchema.nullable(),
    assigneeName: z.string().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "Finding" });

const userRef = z.object({ id: idSchema, name: z.string() }).nullable();

export const acceptanceView = z
  .object({
    id: idSchema,
    findingId: idSchema,
    findingTitle: z.string(),
    systemName: z.string(),
    severity: z.enum(SEVERITIES),
    reason: z.string(),
    expiresAt: timestamp,
    requestedBy: userRef,
    requestedAt: timestamp,
    /** The approver asked for, if any: then only they may decide. */
    approver: userRef,
    status: z.enum(ACCEPTANCE_STATUSES),
    decidedBy: userRef,
    decidedAt: nullableTimestamp,
    decisionComment: z.string().nullable(),
    revokedAt: nullableTimestamp,
    revokedBy: userRef,
    /** Whether the caller may approve or reject it now. */
    mayDecide: z.boolean(),
  })
  .meta({ id: "RiskAcceptance" });

export const findingDetail = findingView
  .extend({
    /** The finding's status periods, oldest first. */
    history: z.array(
      z.object({
        status: z.enum(FINDING_STATUSES),
        severity: z.enum(SEVERITIES),
        dueAt: timestamp,
        deadlineAt: nullableTimestamp,
        validFrom: timestamp,
        validTo: nullableTimestamp,
      }),
    ),
    comments: z.array(
      z.object({ id: idSchema, author: userRef, body: z.string(), createdAt: timestamp }),
    ),
    acceptances: z.array(acceptanceView),
  })
  .meta({ id: "FindingDetail" });

function commaList<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .max(200)
    .transform((text, ctx) => {
      const parts = text
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      for (const part of parts) {
        if (!(values as readonly string[]).includes(part)) {
          ctx.addIssue({ code: "custom", message: `must be among ${values.join(", ")}` });
          return z.NEVER;
        }
      }
      return parts as T[number][];
    })
    .optional();
}

export const findingsQuery = z.object({
  systemId: idSchema.optional(),
  severity: commaList(SEVERITIES),
  status: commaList(FINDING_STATUSES),
  sla: z.enum(["overdue", "due_soon"]).optional(),
  source: z.enum(FINDING_SOURCES).optional(),
  pentestId: idSchema.optional(),
  assigneeId: idSchema.optional(),
  /** Title, identifiers (CVE-…), package or file. */
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const findingChanges = z.object({ assigneeId: idSchema.nullable() });
export const newComment = z.object({ body: z.string().trim().min(1).max(4000) });
export const reasonBody = z.object({ reason: z.string().trim().min(1).max(4000) });
export const newAcceptance = z.object({
  reason: z.string().trim().min(1).max(4000),
  /** In the future, at most MAX_ACCEPTANCE_DAYS days ahead. */
  expiresAt: timestamp,
  /** An owner or admin other than the requester; absent: any of them may decide. */
  approverId: idSchema.optional(),
});
export const approveBody = z.object({ comment: z.string().trim().min(1).max(4000).optional() });
export const acceptancesQuery = z.object({
  status: z.enum(["pending", "approved", "rejected"]).optional(),
  /** Only those the caller may decide (named approver or, when none was named, any approver). */
  mine: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

/** Who a finding may be assigned to, and who may be asked to approve a risk acceptance. */
export const triagePeople = z
  .object({
    items: z.array(
      z.object({
        id: idSchema,
        name: z.string(),
        /** An owner or admin other than the caller: may be named as a risk acceptance's approver. */
        mayApprove: z.boolean(),
      }),
    ),
  })
  .meta({ id: "FindingTriagePeople" });

export type FindingsQuery = z.infer<typeof findingsQuery>;
export type FindingView = z.infer<typeof findingView>;
export type AcceptanceView = z.infer<typeof acceptanceView>;
export type NewAcceptance = z.infer<typeof newAcceptance>;
export type AcceptancesQuery = z.infer<typeof acceptancesQuery>;
