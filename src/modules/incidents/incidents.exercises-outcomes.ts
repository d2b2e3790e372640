import type { IrExerciseOutcome } from "../../db/tables/incidents.ts";
import type { Tx } from "../../db/tenant.ts";
import { dayText, isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { approvedPlanVersion } from "../policies/policies.queries.ts";
import { EXERCISES_SOURCE } from "./incidents.core.ts";
import type { ExerciseView, NewOutcome, OutcomeView } from "./incidents.exercises.schema.ts";
import {
  findExercise,
  planVersionMap,
  presentExercise,
  presentOutcome,
  snapshot,
  stillPlanned,
} from "./incidents.exercises.ts";

/**
 * Completing a test of the Incident Response Plan, and its outcomes: recorded while it is planned; one
 * that calls for a change of the plan is then linked to the plan's version approved on or
 * after the day of the exercise, or closed with a reason (each once).
 */

export async function addOutcome(
  ctx: Context,
  id: string,
  input: NewOutcome,
): Promise<OutcomeView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    stillPlanned(await findExercise(tx, id, true));
    const row = await tx
      .insertInto("ir_exercise_outcomes")
      .values({
        organization_id: ctx.organizationId,
        exercise_id: id,
        description: input.description,
        requires_plan_change: input.requiresPlanChange,
        created_by: actorUserId(ctx.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("ir_exercises")
      .set({ updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "ir_exercise.outcome_added",
      targetType: "ir_exercise",
      targetId: id,
      before: null,
      after: {
        outcomeId: row.id,
        description: row.description,
        requiresPlanChange: row.requires_plan_change,
      },
    });
    return presentOutcome(row, new Map());
  });
}

/** The outcome, taken for a change; 409 unless it calls for a plan change still awaited. */
async function openOutcome(tx: Tx, id: string): Promise<IrExerciseOutcome> {
  const row = await tx
    .selectFrom("ir_exercise_outcomes")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("The outcome");
  if (!row.requires_plan_change) {
    throw errors.conflict("The outcome does not call for a change of the plan.");
  }
  if (row.linked_at || row.closed_at) {
    throw errors.conflict(
      row.linked_at
        ? "The outcome is already linked to a version of the plan."
        : "The outcome is already closed.",
    );
  }
  return row;
}

/** Links the outcome to the version of the Incident Response Plan that carries the change. */
export async function linkOutcome(
  ctx: Context,
  id: string,
  policyVersionId: string,
): Promise<OutcomeView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    const outcome = await openOutcome(tx, id);
    const exercise = await findExercise(tx, outcome.exercise_id);
    const version = await approvedPlanVersion(tx, policyVersionId);
    if (!version) {
      throw errors.validation(
        "policyVersionId",
        "must be an approved version of the Incident Response Plan",
      );
    }
    const heldOn = dayText(exercise.held_on);
    if (dayText(version.approvedAt) < heldOn) {
      throw errors.validation(
        "policyVersionId",
        `must be a version of the plan approved on or after the exercise (${heldOn})`,
      );
    }
    const now = new Date();
    const row = await tx
      .updateTable("ir_exercise_outcomes")
      .set({
        policy_version_id: version.id,
        linked_at: now,
        linked_by: actorUserId(ctx.actor),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "ir_exercise.outcome_linked",
      targetType: "ir_exercise",
      targetId: exercise.id,
      before: null,
      after: {
        outcomeId: id,
        description: row.description,
        policyVersionId: version.id,
        version: version.version,
      },
    });
    return presentOutcome(row, await planVersionMap(tx));
  });
}

/** Closes the outcome without a change of the plan, saying why. */
export async function closeOutcome(ctx: Context, id: string, reason: string): Promise<OutcomeView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    const outcome = await openOutcome(tx, id);
    const now = new Date();
    const row = await tx
      .updateTable("ir_exercise_outcomes")
      .set({
        closed_reason: reason,
        closed_at: now,
        closed_by: actorUserId(ctx.actor),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "ir_exercise.outcome_closed",
      targetType: "ir_exercise",
      targetId: outcome.exercise_id,
      before: null,
      after: { outcomeId: id, description: row.description, reason },
    });
    return presentOutcome(row, new Map());
  });
}

/** Completes the exercise: held by today, someone attended, an outcome recorded (409 naming what is missing). */
export async function completeExercise(
  ctx: Context,
  id: string,
  input: { summary?: string | undefined },
): Promise<ExerciseView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    const row = await findExercise(tx, id, true);
    stillPlanned(row);
    const heldOn = dayText(row.held_on);
    if (heldOn > isoDay(new Date())) {
      throw errors.conflict(
        `The exercise is planned for ${heldOn}: complete it once it is held.`,
        "heldOn",
      );
    }
    const counts = await tx
      .selectFrom("ir_exercises as e")
      .select((eb) => [
        eb
          .selectFrom("ir_exercise_participants as p")
          .select((c) => c.fn.countAll<string>().as("n"))
          .whereRef("p.exercise_id", "=", "e.id")
          .where("p.attended", "=", true)
          .as("attended"),
        eb
          .selectFrom("ir_exercise_outcomes as o")
          .select((c) => c.fn.countAll<string>().as("n"))
          .whereRef("o.exercise_id", "=", "e.id")
          .as("outcomes"),
      ])
      .where("e.id", "=", id)
      .executeTakeFirstOrThrow();
    const missing = [
      ...(Number(counts.attended) === 0 ? ["participants"] : []),
      ...(Number(counts.outcomes) === 0 ? ["outcomes"] : []),
    ];
    if (missing.length > 0) {
      const what = [
        ...(missing.includes("participants") ? ["a participant who attended"] : []),
        ...(missing.includes("outcomes") ? ["an outcome"] : []),
      ];
      throw errors.conflict(
        `To complete the exercise, record at least ${what.join(" and ")}.`,
        missing[0],
      );
    }
    const now = new Date();
    const updated = await tx
      .updateTable("ir_exercises")
      .set({
        status: "completed",
        completed_at: now,
        completed_by: actorUserId(ctx.actor),
        summary: input.summary ?? row.summary,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "ir_exercise.completed",
      targetType: "ir_exercise",
      targetId: id,
      before: snapshot(row),
      after: snapshot(updated),
    });
    return presentExercise(tx, updated);
  });
}
