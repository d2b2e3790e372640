import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { drainDeliveries } from "./notices.mail.ts";
import { getNotice, listNotices, listSubscribers } from "./notices.read.ts";
import {
  listQuery,
  newNotice,
  noticeChanges,
  noticeSummary,
  noticeView,
  previewBody,
  publishBody,
  resolveBody,
  subscriberQuery,
  subscriberView,
  updateBody,
} from "./notices.schema.ts";
import {
  createNotice,
  deleteDraft,
  postUpdate,
  publishNotice,
  removeSubscriber,
  resolveNotice,
  updateNotice,
} from "./notices.service.ts";

const tags = ["notices"];

/** Admin API of notices and subscribers. */
export function noticesRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/notices",
    {
      config: { access: "notices.read" },
      schema: { tags, querystring: listQuery, response: { 200: listOf(noticeSummary) } },
    },
    async (request) => listNotices(contextOf(request, deps), request.query),
  );

  app.post(
    "/api/v1/notices/preview",
    {
      config: { access: "notices.read" },
      schema: {
        tags,
        summary: "Render Markdown as the public notice pages do",
        body: previewBody,
        response: { 200: z.object({ html: z.string() }) },
      },
    },
    async (request) => ({ html: renderMarkdown(request.body.body) }),
  );

  app.get(
    "/api/v1/notices/subscribers",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Email subscribers of the notices",
        querystring: subscriberQuery,
        response: { 200: listOf(subscriberView) },
      },
    },
    async (request) => listSubscribers(contextOf(request, deps), request.query),
  );

  app.delete(
    "/api/v1/notices/subscribers/:id",
    {
      config: { access: "notices.manage" },
      schema: { tags, summary: "Remove a subscriber", params: idParams },
    },
    async (request, reply) => {
      await removeSubscriber(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/notices",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Write a draft notice",
        body: newNotice,
        response: { 201: noticeView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createNotice(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/notices/:id",
    {
      config: { access: "notices.read" },
      schema: { tags, params: idParams, response: { 200: noticeView } },
    },
    async (request) => getNotice(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/notices/:id",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Edit a draft; once published, only severity, affected services and incident",
        params: idParams,
        body: noticeChanges,
        response: { 200: noticeView },
      },
    },
    async (request) => updateNotice(contextOf(request, deps), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/notices/:id",
    {
      config: { access: "notices.manage" },
      schema: { tags, summary: "Delete a draft", params: idParams },
    },
    async (request, reply) => {
      await deleteDraft(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/notices/:id/publish",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Publish on the trust center and in the feed, and mail subscribers",
        params: idParams,
        body: publishBody,
        response: { 200: noticeView },
      },
    },
    async (request) => {
      const ctx = contextOf(request, deps);
      const notice = await publishNotice(ctx, request.params.id, request.body);
      drainDeliveries(deps, ctx.organizationId, request.params.id, request.log);
      return notice;
    },
  );

  app.post(
    "/api/v1/notices/:id/updates",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Append a dated update to a published notice",
        params: idParams,
        body: updateBody,
        response: { 200: noticeView },
      },
    },
    async (request) => {
      const ctx = contextOf(request, deps);
      const notice = await postUpdate(ctx, request.params.id, request.body);
      drainDeliveries(deps, ctx.organizationId, request.params.id, request.log);
      return notice;
    },
  );

  app.post(
    "/api/v1/notices/:id/resolve",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Resolve a published notice, with an optional closing note",
        params: idParams,
        body: resolveBody,
        response: { 200: noticeView },
      },
    },
    async (request) => {
      const ctx = contextOf(request, deps);
      const notice = await resolveNotice(ctx, request.params.id, request.body);
      drainDeliveries(deps, ctx.organizationId, request.params.id, request.log);
      return notice;
    },
  );
}
