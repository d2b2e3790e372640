import { z } from "zod";
import { EXERCISE_KINDS } from "../../db/tables/incidents.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the routes of the Incident Response Plan's tests and their outcomes. */

const text = (max: number) => z.string().trim().max(max);
const named = z.object({ id: idSchema, name: z.string() });

export const newExercise = z
  .object({
    kind: z.enum(EXERCISE_KINDS),
    title: text(200).min(1),
    scenario: text(20_000).optional(),
    /** YYYY-MM-DD: the day it is (or was) held. */
    heldOn: daySchema,
    /** A person of the organization. */
    facilitatorId: idSchema.nullable().optional(),
    /** The real incident marked as the plan's test (kind incident only). */
    incidentId: idSchema.optional(),
  })
  .strict();

export const exercisePatch = z
  .object({
    title: text(200).min(1),
    scenario: text(20_000),
    heldOn: daySchema,
    facilitatorId: idSchema.nullable(),
  })
  .partial()
  .strict();

export const participantsBody = z
  .object({
    participants: z
      .array(
        z
          .object({ personId: idSchema, role: text(200).optional(), attended: z.boolean() })
          .strict(),
      )
      .max(500),
  })
  .strict();

export const newOutcome = z
  .object({ description: text(4000).min(1), requiresPlanChange: z.boolean() })
  .strict();

export const completeBody = z.object({ summary: text(20_000).optional() }).strict();
export const linkBody = z.object({ policyVersionId: idSchema }).strict();
export const closeBody = z.object({ reason: text(4000).min(1) }).strict();

export const exerciseListQuery = z.object({
  status: z.enum(["planned", "completed"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const planVersionView = z
  .object({ id: idSchema, version: z.number().int(), approvedAt: timestamp })
  .meta({ id: "IrPlanVersion" });

export const outcomeView = z
  .object({
    id: idSchema,
    exerciseId: idSchema,
    description: z.string(),
    requiresPlanChange: z.boolean(),
    /** no_change: nothing to do; open: a plan change awaited; linked: the version carrying it; closed: with a reason. */
    state: z.enum(["no_change", "open", "linked", "closed"]),
    policyVersion: planVersionView.nullable(),
    linkedAt: nullableTimestamp,
    closedReason: z.string().nullable(),
    closedAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .meta({ id: "IrExerciseOutcome" });

export const exerciseView = z
  .object({
    id: idSchema,
    kind: z.enum(EXERCISE_KINDS),
    title: z.string(),
    scenario: z.string(),
    heldOn: z.string(),
    status: z.enum(["planned", "completed"]),
    facilitator: named.nullable(),
    incident: z.object({ id: idSchema, reference: z.string(), title: z.string() }).nullable(),
    summary: z.string(),
    participants: z.array(z.object({ person: named, role: z.string(), attended: z.boolean() })),
    outcomes: z.array(outcomeView),
    completedAt: nullableTimestamp,
    completedBy: named.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "IrExercise" });

export type NewExercise = z.infer<typeof newExercise>;
export type ExercisePatch = z.infer<typeof exercisePatch>;
export type ParticipantsBody = z.infer<typeof participantsBody>;
export type NewOutcome = z.infer<typeof newOutcome>;
export type ExerciseView = z.infer<typeof exerciseView>;
export type OutcomeView = z.infer<typeof outcomeView>;
export type PlanVersionView = z.infer<typeof planVersionView>;
