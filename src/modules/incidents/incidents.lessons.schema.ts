import { z } from "zod";
import { LESSONS_STATUSES } from "../../db/tables/incidents.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the lessons-learned routes: the document, its action items. */

const cursor = z.string().max(500).optional();
const section = z.string().trim().max(20_000);
const someone = z.object({ id: idSchema, name: z.string() });

export const lessonsBody = z
  .object({
    whatHappened: section,
    impact: section,
    rootCause: section,
    timeline: section,
    wentWell: section,
    toImprove: section,
  })
  .strict();

export const actionItemView = z
  .object({
    id: idSchema,
    incidentId: idSchema,
    title: z.string(),
    owner: someone,
    /** YYYY-MM-DD. */
    dueOn: z.string(),
    completedAt: nullableTimestamp,
    completedBy: someone.nullable(),
    completionNote: z.string().nullable(),
    /** Not completed, and its due day has passed. */
    overdue: z.boolean(),
  })
  .meta({ id: "ActionItem" });

export const lessonsView = z
  .object({
    id: idSchema,
    incidentId: idSchema,
    status: z.enum(LESSONS_STATUSES),
    whatHappened: z.string(),
    impact: z.string(),
    rootCause: z.string(),
    timeline: z.string(),
    wentWell: z.string(),
    toImprove: z.string(),
    author: someone.nullable(),
    submittedAt: nullableTimestamp,
    approvedBy: someone.nullable(),
    approvedAt: nullableTimestamp,
    /** When every member was told and could read it (at approval). */
    sharedAt: nullableTimestamp,
    actionItems: z.array(actionItemView),
    updatedAt: timestamp,
  })
  .meta({ id: "Lessons" });

const incidentRef = z.object({ id: idSchema, reference: z.string(), title: z.string() });

/** A shared lessons-learned document in the team's list, with the incident it is about. */
export const sharedLessonsView = lessonsView
  .extend({ incident: incidentRef })
  .meta({ id: "SharedLessons" });

/** One of my action items, with the incident it came from. */
export const myActionItemView = actionItemView
  .extend({ incident: incidentRef })
  .meta({ id: "MyActionItem" });

export const newActionItem = z
  .object({
    title: z.string().trim().min(1).max(500),
    /** An active user of the organization. */
    ownerId: idSchema,
    /** YYYY-MM-DD, today or later. */
    dueOn: daySchema,
  })
  .strict();

export const actionItemPatch = newActionItem.partial().strict();

export const completeBody = z.object({ note: z.string().trim().max(4000).optional() }).strict();

export const sharedListQuery = z.object({ cursor, limit: limitSchema });

export const myItemsQuery = z.object({
  /** open (default): not completed; completed; all. */
  status: z.enum(["open", "completed", "all"]).default("open"),
  cursor,
  limit: limitSchema,
});

export type LessonsBody = z.infer<typeof lessonsBody>;
export type LessonsView = z.infer<typeof lessonsView>;
export type ActionItemView = z.infer<typeof actionItemView>;
export type SharedLessonsView = z.infer<typeof sharedLessonsView>;
export type MyActionItemView = z.infer<typeof myActionItemView>;
export type NewActionItem = z.infer<typeof newActionItem>;
export type ActionItemPatch = z.infer<typeof actionItemPatch>;
