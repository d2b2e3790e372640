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
import { applyProposal, getProposal } from "./access.proposals.ts";
import {
  approveAccessRequest,
  cancelAccessRequest,
  createAccessRequest,
  denyAccessRequest,
  getAccessRequest,
  listAccessRequests,
  systemChoices,
} from "./access.requests.ts";
import { cancelTask, completeTask, getTask, listTasks } from "./access.tasks.ts";
import {
  accessRequestView,
  accessTaskView,
  approveBody,
  cancelTaskBody,
  completeBody,
  denyBody,
  newAccessRequest,
  proposalBody,
  proposalResult,
  proposalView,
  requestListQuery,
  taskListQuery,
} from "./access.workflow.schema.ts";

const requestCursor = z.object({ requestedAt: z.string(), id: idSchema });
const taskCursor = z.object({ dueAt: z.string(), id: idSchema });
const tags = ["access"];

/**
 * Access requests, access tasks and role-change proposals. Reads are open to every signed-in
 * user: without access.read one sees only one's own requests and tasks (the service scopes).
 */
export function accessWorkflowRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/access-requests",
    {
      config: { access: "signed-in" },
      schema: { tags, querystring: requestListQuery, response: { 200: listOf(accessRequestView) } },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const page = await listAccessRequests(contextOf(request, deps), {
        ...filter,
        after: decodeCursor(cursor, requestCursor),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post(
    "/api/v1/access-requests",
    {
      config: { access: "access.self" },
      schema: { tags, body: newAccessRequest, response: { 201: accessRequestView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createAccessRequest(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/access-requests/system-choices",
    {
      config: { access: "access.self" },
      schema: {
        tags,
        response: {
          200: z.object({ items: z.array(z.object({ id: idSchema, name: z.string() })) }),
        },
      },
    },
    async (request) => ({ items: await systemChoices(contextOf(request, deps)) }),
  );

  app.get(
    "/api/v1/access-requests/:id",
    {
      config: { access: "signed-in" },
      schema: { tags, params: idParams, response: { 200: accessRequestView } },
    },
    async (request) => getAccessRequest(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/access-requests/:id/approve",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: approveBody, response: { 200: accessRequestView } },
    },
    async (request) =>
      approveAccessRequest(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-requests/:id/deny",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: denyBody, response: { 200: accessRequestView } },
    },
    async (request) => denyAccessRequest(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-requests/:id/cancel",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, response: { 200: accessRequestView } },
    },
    async (request) => cancelAccessRequest(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/access-tasks",
    {
      config: { access: "signed-in" },
      schema: { tags, querystring: taskListQuery, response: { 200: listOf(accessTaskView) } },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const page = await listTasks(contextOf(request, deps), {
        ...filter,
        after: decodeCursor(cursor, taskCursor),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    "/api/v1/access-tasks/:id",
    {
      config: { access: "signed-in" },
      schema: { tags, params: idParams, response: { 200: accessTaskView } },
    },
    async (request) => getTask(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/access-tasks/:id/complete",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: completeBody, response: { 200: accessTaskView } },
    },
    async (request) => completeTask(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-tasks/:id/cancel",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: cancelTaskBody, response: { 200: accessTaskView } },
    },
    async (request) => cancelTask(contextOf(request, deps), request.params.id, request.body),
  );

  app.get(
    "/api/v1/people/:id/access-proposal",
    {
      config: { access: "access.read" },
      schema: { tags, params: idParams, response: { 200: proposalView } },
    },
    async (request) => getProposal(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/people/:id/access-proposal",
    {
      config: { access: "access.manage" },
      schema: { tags, params: idParams, body: proposalBody, response: { 200: proposalResult } },
    },
    async (request) => applyProposal(contextOf(request, deps), request.params.id, request.body),
  );
}
