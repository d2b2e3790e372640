import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import {
  decodeCursor,
  encodeCursor,
  idParams,
  idSchema,
  listOf,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { evidenceEnvOf } from "../evidence/evidence.service.ts";
import { decideItems, reassignItems } from "./access-reviews.decisions.ts";
import { assignedItems, listItems } from "./access-reviews.items.ts";
import { recordCsv, recordPdf } from "./access-reviews.record.ts";
import {
  accessReviewView,
  assignedQuery,
  cancelReviewBody,
  decisionsBody,
  itemListQuery,
  itemsResult,
  newAccessReview,
  reassignBody,
  reviewItemView,
  reviewListQuery,
} from "./access-reviews.schema.ts";
import { cancelReview, getReview, listReviews, startReview } from "./access-reviews.service.ts";
import { signOffReview } from "./access-reviews.sign-off.ts";

const tags = ["access-reviews"];
const reviewCursor = z.object({ startedAt: z.string(), id: idSchema });
const itemCursor = z.object({ systemName: z.string(), sort: z.string(), id: idSchema });
const assignedCursor = z.object({ dueAt: z.string(), id: idSchema });

function page<T>(result: { items: T[]; next: unknown }) {
  return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
}

/**
 * Access review campaigns: start (by hand; the schedule starts others), read, decide keep or
 * revoke, reassign, cancel, sign off, and the record as CSV and PDF. A campaign and its items
 * are readable with access.read, and by a reviewer (any role) for their own items.
 */
export function accessReviewRoutes(app: App, deps: Deps): void {
  app.post(
    "/api/v1/access-reviews",
    {
      config: { access: "access.manage" },
      schema: { tags, body: newAccessReview, response: { 201: accessReviewView } },
    },
    async (request, reply) =>
      reply.code(201).send(await startReview(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/access-reviews",
    {
      config: { access: "access.read" },
      schema: { tags, querystring: reviewListQuery, response: { 200: listOf(accessReviewView) } },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      return page(
        await listReviews(contextOf(request, deps), {
          ...filter,
          after: decodeCursor(cursor, reviewCursor),
        }),
      );
    },
  );

  app.get(
    "/api/v1/access-review-items/assigned",
    {
      config: { access: "access.self" },
      schema: { tags, querystring: assignedQuery, response: { 200: listOf(reviewItemView) } },
    },
    async (request) =>
      page(
        await assignedItems(contextOf(request, deps), {
          limit: request.query.limit,
          after: decodeCursor(request.query.cursor, assignedCursor),
        }),
      ),
  );

  app.get(
    "/api/v1/access-reviews/:id",
    {
      config: { access: "signed-in" },
      schema: { tags, params: idParams, response: { 200: accessReviewView } },
    },
    async (request) => getReview(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/access-reviews/:id/items",
    {
      config: { access: "signed-in" },
      schema: {
        tags,
        params: idParams,
        querystring: itemListQuery,
        response: { 200: listOf(reviewItemView) },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      return page(
        await listItems(contextOf(request, deps), request.params.id, {
          ...filter,
          after: decodeCursor(cursor, itemCursor),
        }),
      );
    },
  );

  app.post(
    "/api/v1/access-reviews/:id/decisions",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: decisionsBody, response: { 200: itemsResult } },
    },
    async (request) => decideItems(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-reviews/:id/reassign",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: reassignBody, response: { 200: itemsResult } },
    },
    async (request) => reassignItems(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-reviews/:id/cancel",
    {
      config: { access: "access.manage" },
      schema: {
        tags,
        params: idParams,
        body: cancelReviewBody,
        response: { 200: accessReviewView },
      },
    },
    async (request) => cancelReview(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/access-reviews/:id/sign-off",
    {
      config: { access: "access.manage" },
      schema: { tags, params: idParams, response: { 200: accessReviewView } },
    },
    async (request) =>
      signOffReview(contextOf(request, deps), evidenceEnvOf(deps), request.params.id),
  );

  app.get(
    "/api/v1/access-reviews/:id/record.csv",
    { config: { access: "access.read" }, schema: { tags, params: idParams } },
    async (request, reply) => {
      const file = await recordCsv(contextOf(request, deps), request.params.id);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", attachmentDisposition(file.fileName))
        .header("cache-control", "no-store")
        .send(file.data);
    },
  );

  app.get(
    "/api/v1/access-reviews/:id/record.pdf",
    { config: { access: "access.read" }, schema: { tags, params: idParams } },
    async (request, reply) => {
      const file = await recordPdf(contextOf(request, deps), request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(file.fileName))
        .header("cache-control", "no-store")
        .send(file.data);
    },
  );
}
