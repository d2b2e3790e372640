import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import {
  decodeCursor,
  encodeCursor,
  idParams,
  idSchema,
  listOf,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  closeBody,
  completeBody,
  exerciseListQuery,
  exercisePatch,
  exerciseView,
  linkBody,
  newExercise,
  newOutcome,
  outcomeView,
  participantsBody,
  planVersionView,
} from "./incidents.exercises.schema.ts";
import {
  createExercise,
  getExercise,
  listExercises,
  planVersions,
  setParticipants,
  updateExercise,
} from "./incidents.exercises.ts";
import {
  addOutcome,
  closeOutcome,
  completeExercise,
  linkOutcome,
} from "./incidents.exercises-outcomes.ts";

const tags = ["incident response"];
const READ = { access: "incidents.read" } as const;
const MANAGE = { access: "incidents.manage" } as const;
const exerciseCursor = z.object({ heldOn: z.string().max(10), id: idSchema });

/** Tests of the Incident Response Plan (tabletop exercises, or real incidents) and their outcomes. */
export function exerciseRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/ir-exercises",
    {
      config: READ,
      schema: {
        tags,
        summary: "Tests of the Incident Response Plan, the latest held first",
        querystring: exerciseListQuery,
        response: { 200: listOf(exerciseView) },
      },
    },
    async (request) => {
      const result = await listExercises(contextOf(request, deps), {
        status: request.query.status,
        limit: request.query.limit,
        after: decodeCursor(request.query.cursor, exerciseCursor),
      });
      return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
    },
  );

  app.get(
    "/api/v1/ir-exercises/plan-versions",
    {
      config: READ,
      schema: {
        tags,
        summary: "The approved versions of the Incident Response Plan, the latest first",
        response: { 200: z.object({ items: z.array(planVersionView) }) },
      },
    },
    async (request) => ({ items: await planVersions(contextOf(request, deps)) }),
  );

  app.post(
    "/api/v1/ir-exercises",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Plan a test of the Incident Response Plan, or mark a real incident as one",
        body: newExercise,
        response: { 201: exerciseView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createExercise(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/ir-exercises/:id",
    { config: READ, schema: { tags, params: idParams, response: { 200: exerciseView } } },
    async (request) => getExercise(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/ir-exercises/:id",
    {
      config: MANAGE,
      schema: { tags, params: idParams, body: exercisePatch, response: { 200: exerciseView } },
    },
    async (request) => updateExercise(contextOf(request, deps), request.params.id, request.body),
  );

  app.put(
    "/api/v1/ir-exercises/:id/participants",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Set the exercise's participants and their attendance",
        params: idParams,
        body: participantsBody,
        response: { 200: exerciseView },
      },
    },
    async (request) => setParticipants(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/ir-exercises/:id/outcomes",
    {
      config: MANAGE,
      schema: { tags, params: idParams, body: newOutcome, response: { 201: outcomeView } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addOutcome(contextOf(request, deps), request.params.id, request.body)),
  );

  app.post(
    "/api/v1/ir-exercises/:id/complete",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Complete the exercise (someone attended, an outcome recorded)",
        params: idParams,
        body: completeBody,
        response: { 200: exerciseView },
      },
    },
    async (request) => completeExercise(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/ir-exercise-outcomes/:id/link",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Link an outcome to the version of the plan that carries its change",
        params: idParams,
        body: linkBody,
        response: { 200: outcomeView },
      },
    },
    async (request) =>
      linkOutcome(contextOf(request, deps), request.params.id, request.body.policyVersionId),
  );

  app.post(
    "/api/v1/ir-exercise-outcomes/:id/close",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Close an outcome without a change of the plan, saying why",
        params: idParams,
        body: closeBody,
        response: { 200: outcomeView },
      },
    },
    async (request) =>
      closeOutcome(contextOf(request, deps), request.params.id, request.body.reason),
  );
}
