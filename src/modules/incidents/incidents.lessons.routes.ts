import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import {
  decodeCursor,
  idParams,
  idSchema,
  listOf,
  timestampText,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  actionItemPatch,
  actionItemView,
  completeBody,
  lessonsBody,
  lessonsView,
  myActionItemView,
  myItemsQuery,
  newActionItem,
  sharedLessonsView,
  sharedListQuery,
} from "./incidents.lessons.schema.ts";
import { approveLessons, getLessons, submitLessons, writeLessons } from "./incidents.lessons.ts";
import {
  addActionItem,
  completeActionItem,
  listMyActionItems,
  updateActionItem,
} from "./incidents.lessons-items.ts";
import { listSharedLessons } from "./incidents.lessons-shared.ts";

const tags = ["incidents"];
const sharedCursor = z.object({ sharedAt: timestampText, id: idSchema });
const itemCursor = z.object({ dueOn: z.string().max(10), id: idSchema });
const READ = { access: "incidents.lessons" } as const;
const MANAGE = { access: "incidents.manage" } as const;

/**
 * Lessons learned of resolved incidents and their action items. Reading: anyone once shared,
 * incidents.read before (the service decides); writing: incidents.manage; approving (and so
 * sharing): incidents.approve, not the author; completing an item: its owner or a manager.
 */
export function lessonsRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/incidents/:id/lessons",
    {
      config: READ,
      schema: {
        tags,
        summary: "The incident's lessons learned (before they are shared: incidents.read only)",
        params: idParams,
        response: { 200: lessonsView },
      },
    },
    async (request) => getLessons(contextOf(request, deps), request.params.id),
  );

  app.put(
    "/api/v1/incidents/:id/lessons",
    {
      config: MANAGE,
      schema: {
        tags,
        summary:
          "Write the lessons learned of a resolved incident (a submitted draft goes back to draft)",
        params: idParams,
        body: lessonsBody,
        response: { 200: lessonsView },
      },
    },
    async (request) => writeLessons(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/incidents/:id/lessons/submit",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Submit the lessons learned for approval (every section filled in)",
        params: idParams,
        response: { 200: lessonsView },
      },
    },
    async (request) => submitLessons(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/incidents/:id/lessons/approve",
    {
      config: { access: "incidents.approve" },
      schema: {
        tags,
        summary: "Approve the lessons learned (not their author) and share them with every member",
        params: idParams,
        response: { 200: lessonsView },
      },
    },
    async (request) =>
      approveLessons(contextOf(request, deps), request.params.id, { deps, log: request.log }),
  );

  app.post(
    "/api/v1/incidents/:id/lessons/action-items",
    {
      config: MANAGE,
      schema: {
        tags,
        params: idParams,
        body: newActionItem,
        response: { 201: actionItemView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addActionItem(contextOf(request, deps), request.params.id, request.body)),
  );

  app.patch(
    "/api/v1/action-items/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        params: idParams,
        body: actionItemPatch,
        response: { 200: actionItemView },
      },
    },
    async (request) => updateActionItem(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/action-items/:id/complete",
    {
      config: { access: "incidents.declare" },
      schema: {
        tags,
        summary: "Complete an action item (its owner, or someone who manages incidents)",
        params: idParams,
        body: completeBody,
        response: { 200: actionItemView },
      },
    },
    async (request) =>
      completeActionItem(contextOf(request, deps), request.params.id, request.body.note),
  );

  app.get(
    "/api/v1/lessons",
    {
      config: READ,
      schema: {
        tags,
        summary: "Lessons learned shared with the team, the latest first",
        querystring: sharedListQuery,
        response: { 200: listOf(sharedLessonsView) },
      },
    },
    async (request) =>
      listSharedLessons(contextOf(request, deps), {
        limit: request.query.limit,
        after: decodeCursor(request.query.cursor, sharedCursor),
      }),
  );

  app.get(
    "/api/v1/my/action-items",
    {
      config: { access: "incidents.declare" },
      schema: {
        tags,
        summary: "My action items from lessons learned, the earliest due first",
        querystring: myItemsQuery,
        response: { 200: listOf(myActionItemView) },
      },
    },
    async (request) =>
      listMyActionItems(contextOf(request, deps), {
        status: request.query.status,
        limit: request.query.limit,
        after: decodeCursor(request.query.cursor, itemCursor),
      }),
  );
}
