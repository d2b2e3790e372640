import type { IrExercise, IrExerciseOutcome } from "../../db/tables/incidents.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { dayText } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { approvedPlanVersions } from "../policies/policies.queries.ts";
import { userNames } from "../users/users.queries.ts";
import {
  addEntry,
  EXERCISES_SOURCE,
  findIncident,
  INCIDENTS_SOURCE,
  incidentReference,
} from "./incidents.core.ts";
import type {
  ExercisePatch,
  ExerciseView,
  NewExercise,
  OutcomeView,
  ParticipantsBody,
  PlanVersionView,
} from "./incidents.exercises.schema.ts";

/**
 * Tests of the Incident Response Plan: a tabletop exercise, or a real incident marked as the
 * plan's test, with its facilitator, participants (attendance recorded) and outcomes. It is
 * planned, then completed once someone attended and an outcome is recorded; from then on it
 * is the record of the test and does not change. An outcome that calls for a change of the
 * plan is linked to the plan's version approved after the exercise, or closed with a reason.
 */

/** The web app's page of an exercise. */
export function exerciseLink(id: string): string {
  return `/ir-exercises/${encodeURIComponent(id)}`;
}

/** The audit log's labels of exercises (an outcome's actions target its exercise). */
export const exerciseAuditTargets = {
  ir_exercise: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("ir_exercises").select(["id", "title"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: r.title, path: exerciseLink(r.id) })),
  },
};

export async function findExercise(tx: Tx, id: string, lock = false): Promise<IrExercise> {
  let query = tx.selectFrom("ir_exercises").selectAll().where("id", "=", id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw errors.notFound("The exercise");
  return row;
}

export function snapshot(row: IrExercise) {
  return {
    kind: row.kind,
    title: row.title,
    scenario: row.scenario,
    heldOn: dayText(row.held_on),
    facilitatorId: row.facilitator_id,
    incidentId: row.incident_id,
    status: row.status,
    summary: row.summary,
  };
}

function outcomeState(row: IrExerciseOutcome): OutcomeView["state"] {
  if (!row.requires_plan_change) return "no_change";
  if (row.policy_version_id && row.linked_at) return "linked";
  if (row.closed_at) return "closed";
  return "open";
}

export function presentOutcome(
  row: IrExerciseOutcome,
  versions: Map<string, PlanVersionView>,
): OutcomeView {
  return {
    id: row.id,
    exerciseId: row.exercise_id,
    description: row.description,
    requiresPlanChange: row.requires_plan_change,
    state: outcomeState(row),
    policyVersion: row.policy_version_id ? (versions.get(row.policy_version_id) ?? null) : null,
    linkedAt: row.linked_at,
    closedReason: row.closed_reason,
    closedAt: row.closed_at,
    createdAt: row.created_at,
  };
}

export async function planVersionMap(tx: Tx): Promise<Map<string, PlanVersionView>> {
  return new Map((await approvedPlanVersions(tx)).map((v) => [v.id, v]));
}

/** The exercise as the API answers it, with its people, outcomes and incident. */
export async function presentExercise(tx: Tx, row: IrExercise): Promise<ExerciseView> {
  const participants = await tx
    .selectFrom("ir_exercise_participants")
    .selectAll()
    .where("exercise_id", "=", row.id)
    .execute();
  const outcomes = await tx
    .selectFrom("ir_exercise_outcomes")
    .selectAll()
    .where("exercise_id", "=", row.id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const people = new Map(
    (
      await peopleByIds(tx, [
        ...participants.map((p) => p.person_id),
        ...(row.facilitator_id ? [row.facilitator_id] : []),
      ])
    ).map((p) => [p.id, p.name]),
  );
  const users = await userNames(tx, row.completed_by ? [row.completed_by] : []);
  const incident = row.incident_id ? await findIncident(tx, row.incident_id) : null;
  const versions = outcomes.some((o) => o.policy_version_id) ? await planVersionMap(tx) : new Map();
  const person = (id: string) => ({ id, name: people.get(id) ?? "A removed person" });
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    scenario: row.scenario,
    heldOn: dayText(row.held_on),
    status: row.status,
    facilitator: row.facilitator_id ? person(row.facilitator_id) : null,
    incident: incident
      ? { id: incident.id, reference: incidentReference(incident.number), title: incident.title }
      : null,
    summary: row.summary,
    participants: participants
      .map((p) => ({ person: person(p.person_id), role: p.role, attended: p.attended }))
      .sort((a, b) => a.person.name.localeCompare(b.person.name)),
    outcomes: outcomes.map((o) => presentOutcome(o, versions)),
    completedAt: row.completed_at,
    completedBy: row.completed_by
      ? { id: row.completed_by, name: users.get(row.completed_by) ?? "A removed user" }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getExercise(ctx: Context, id: string): Promise<ExerciseView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    presentExercise(tx, await findExercise(tx, id)),
  );
}

export interface ExercisePosition {
  heldOn: string;
  id: string;
}

/** Exercises, the latest held first. */
export async function listExercises(
  ctx: Context,
  options: {
    status?: "planned" | "completed" | undefined;
    limit: number;
    after?: ExercisePosition | undefined;
  },
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx
      .selectFrom("ir_exercises")
      .selectAll()
      .orderBy("held_on", "desc")
      .orderBy("id", "desc")
      .limit(options.limit + 1);
    if (options.status) query = query.where("status", "=", options.status);
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb("held_on", "<", after.heldOn),
          eb.and([eb("held_on", "=", after.heldOn), eb("id", "<", after.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    const page = rows.slice(0, options.limit);
    const items: ExerciseView[] = [];
    for (const row of page) items.push(await presentExercise(tx, row));
    const last = page.at(-1);
    const next =
      rows.length > options.limit && last ? { heldOn: dayText(last.held_on), id: last.id } : null;
    return { items, next };
  });
}

/** The versions of the Incident Response Plan approved so far, the latest first. */
export async function planVersions(ctx: Context): Promise<PlanVersionView[]> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => approvedPlanVersions(tx));
}

async function checkPerson(tx: Tx, field: string, personId: string) {
  if ((await peopleByIds(tx, [personId])).length === 0) {
    throw errors.validation(field, "must be a person of the organization");
  }
}

/** A 409 once the exercise is completed: from then on it is the record of the test. */
export function stillPlanned(row: IrExercise) {
  if (row.status === "completed") {
    throw errors.conflict(
      "The exercise is completed: it is the record of the test and does not change.",
    );
  }
}

export async function createExercise(ctx: Context, input: NewExercise): Promise<ExerciseView> {
  if (input.kind === "incident" && !input.incidentId) {
    throw errors.validation("incidentId", "is required for a test by a real incident");
  }
  if (input.kind === "tabletop" && input.incidentId) {
    throw errors.validation("incidentId", "only an exercise of kind incident names an incident");
  }
  const sources = input.incidentId ? [EXERCISES_SOURCE, INCIDENTS_SOURCE] : [EXERCISES_SOURCE];
  return applyChange(ctx, sources, async ({ tx, audit }) => {
    if (input.facilitatorId) await checkPerson(tx, "facilitatorId", input.facilitatorId);
    if (input.incidentId) {
      const incident = await tx
        .selectFrom("incidents")
        .select(["id", "number"])
        .where("id", "=", input.incidentId)
        .forUpdate()
        .executeTakeFirst();
      if (!incident)
        throw errors.validation("incidentId", "must be an incident of the organization");
      const taken = await tx
        .selectFrom("ir_exercises")
        .select("id")
        .where("incident_id", "=", incident.id)
        .executeTakeFirst();
      if (taken) {
        throw errors.conflict(
          `${incidentReference(incident.number)} is already marked as a test of the plan.`,
          "incidentId",
        );
      }
    }
    const userId = actorUserId(ctx.actor);
    const row = await tx
      .insertInto("ir_exercises")
      .values({
        organization_id: ctx.organizationId,
        kind: input.kind,
        incident_id: input.incidentId ?? null,
        title: input.title,
        scenario: input.scenario ?? "",
        held_on: input.heldOn,
        facilitator_id: input.facilitatorId ?? null,
        created_by: userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.incident_id) {
      await addEntry(tx, ctx.organizationId, {
        incidentId: row.incident_id,
        kind: "plan_test",
        body: `Marked as a test of the Incident Response Plan: ${row.title}`,
        authorId: userId,
      });
    }
    await audit({
      action: "ir_exercise.created",
      targetType: "ir_exercise",
      targetId: row.id,
      before: null,
      after: snapshot(row),
    });
    return presentExercise(tx, row);
  });
}

export async function updateExercise(
  ctx: Context,
  id: string,
  patch: ExercisePatch,
): Promise<ExerciseView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    const row = await findExercise(tx, id, true);
    stillPlanned(row);
    if (patch.facilitatorId) await checkPerson(tx, "facilitatorId", patch.facilitatorId);
    const updated = await tx
      .updateTable("ir_exercises")
      .set({
        title: patch.title ?? row.title,
        scenario: patch.scenario ?? row.scenario,
        held_on: patch.heldOn ?? dayText(row.held_on),
        facilitator_id:
          patch.facilitatorId === undefined ? row.facilitator_id : patch.facilitatorId,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = snapshot(row);
    const after = snapshot(updated);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit({
        action: "ir_exercise.updated",
        targetType: "ir_exercise",
        targetId: id,
        before,
        after,
      });
    }
    return presentExercise(tx, updated);
  });
}

/** Replaces the exercise's participants (people of the organization, each once). */
export async function setParticipants(
  ctx: Context,
  id: string,
  body: ParticipantsBody,
): Promise<ExerciseView> {
  return applyChange(ctx, EXERCISES_SOURCE, async ({ tx, audit }) => {
    const row = await findExercise(tx, id, true);
    stillPlanned(row);
    const ids = body.participants.map((p) => p.personId);
    const known = new Set((await peopleByIds(tx, ids)).map((p) => p.id));
    const seen = new Set<string>();
    body.participants.forEach((p, index) => {
      const field = `participants.${index}.personId`;
      if (!known.has(p.personId))
        throw errors.validation(field, "must be a person of the organization");
      if (seen.has(p.personId)) throw errors.validation(field, "names a person already listed");
      seen.add(p.personId);
    });
    const before = await tx
      .selectFrom("ir_exercise_participants")
      .select(["person_id as personId", "role", "attended"])
      .where("exercise_id", "=", id)
      .execute();
    await tx.deleteFrom("ir_exercise_participants").where("exercise_id", "=", id).execute();
    if (body.participants.length > 0) {
      await tx
        .insertInto("ir_exercise_participants")
        .values(
          body.participants.map((p) => ({
            organization_id: ctx.organizationId,
            exercise_id: id,
            person_id: p.personId,
            role: p.role ?? "",
            attended: p.attended,
          })),
        )
        .execute();
    }
    await tx
      .updateTable("ir_exercises")
      .set({ updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    const attended = body.participants.filter((p) => p.attended).length;
    await audit({
      action: "ir_exercise.participants_set",
      targetType: "ir_exercise",
      targetId: id,
      before: { participants: before.length, attended: before.filter((p) => p.attended).length },
      after: { participants: body.participants.length, attended },
    });
    return presentExercise(tx, await findExercise(tx, id));
  });
}
