import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { decodeCursor, encodeCursor, idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  archiveSystem,
  createSystem,
  deleteSystem,
  restoreSystem,
  updateSystem,
} from "./systems.changes.ts";
import {
  getInventoryReview,
  inventoryChanges,
  listInventoryReviews,
  signOffInventory,
} from "./systems.inventory-review.ts";
import {
  inventoryChanges as changesView,
  inventoryReviewView,
  newSystem,
  reviewsCursor,
  reviewsListQuery,
  signOffBody,
  systemChanges,
  systemsCursor,
  systemsListQuery,
  systemVersionView,
  systemView,
} from "./systems.schema.ts";
import { getSystem, listSystems, systemHistory } from "./systems.service.ts";

const tags = ["systems"];

/** The inventory's routes under /api/v1. */
export function systemsRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/systems",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "The inventory: listed systems (or archived ones), filtered, by name",
        querystring: systemsListQuery,
        response: { 200: listOf(systemView) },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const page = await listSystems(contextOf(request, deps), {
        ...filter,
        after: decodeCursor(cursor, systemsCursor),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    "/api/v1/systems/:id",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "A system with its owner",
        params: idParams,
        response: { 200: systemView },
      },
    },
    async (request) => getSystem(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/systems/:id/history",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "Every version of a system, newest first, with who made it",

        params: idParams,
        response: { 200: z.object({ items: z.array(systemVersionView) }) },
      },
    },
    async (request) => ({
      items: await systemHistory(contextOf(request, deps), request.params.id),
    }),
  );

  app.post(
    "/api/v1/systems",
    {
      config: { access: "systems.manage" },
      schema: { tags, summary: "List a system", body: newSystem, response: { 201: systemView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createSystem(contextOf(request, deps), request.body)),
  );

  app.patch(
    "/api/v1/systems/:id",
    {
      config: { access: "systems.manage" },
      schema: {
        tags,
        summary: "Change a system (a new version)",
        params: idParams,
        body: systemChanges,
        response: { 200: systemView },
      },
    },
    async (request) => updateSystem(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/systems/:id/archive",
    {
      config: { access: "systems.manage" },
      schema: {
        tags,
        summary: "Archive a system, keeping its history",
        params: idParams,
        response: { 200: systemView },
      },
    },
    async (request) => archiveSystem(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/systems/:id/restore",
    {
      config: { access: "systems.manage" },
      schema: {
        tags,
        summary: "Restore an archived system",
        params: idParams,
        response: { 200: systemView },
      },
    },
    async (request) => restoreSystem(contextOf(request, deps), request.params.id),
  );

  app.delete(
    "/api/v1/systems/:id",
    {
      config: { access: "systems.manage" },
      schema: { tags, summary: "Delete a system entered by mistake", params: idParams },
    },
    async (request, reply) => {
      await deleteSystem(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/inventory-reviews",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "The inventory's sign-offs, newest first",

        querystring: reviewsListQuery,
        response: { 200: listOf(inventoryReviewView) },
      },
    },
    async (request) => {
      const page = await listInventoryReviews(contextOf(request, deps), {
        limit: request.query.limit,
        after: decodeCursor(request.query.cursor, reviewsCursor),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    "/api/v1/inventory-reviews/changes",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "What changed since the last sign-off, and the inventory's problems today",
        response: { 200: changesView },
      },
    },
    async (request) => inventoryChanges(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/inventory-reviews/:id",
    {
      config: { access: "systems.read" },
      schema: {
        tags,
        summary: "One sign-off with the changes it covered",
        params: idParams,
        response: { 200: inventoryReviewView },
      },
    },
    async (request) => getInventoryReview(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/inventory-reviews",
    {
      config: { access: "systems.manage" },
      schema: {
        tags,
        summary: "Sign off the whole inventory",
        body: signOffBody,
        response: { 201: inventoryReviewView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await signOffInventory(contextOf(request, deps), request.body)),
  );
}
