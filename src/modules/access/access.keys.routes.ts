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
  accessKeyChanges,
  accessKeyDetail,
  accessKeysQuery,
  accessKeyView,
  newAccessKey,
  revokeAccessKey as revokeBody,
} from "./access.keys.schema.ts";
import { getAccessKey, listAccessKeys } from "./access.keys.ts";
import { changeAccessKey, registerAccessKey, revokeAccessKey } from "./access.keys.write.ts";

/**
 * The key registry: SSH public keys, cloud access keys and API keys per person (issue 12).
 * Reads need access.read; registering, changing and revoking need access.manage.
 */
const tags = ["access"];
const keyCursor = z.object({ createdAt: z.string(), id: idSchema });

export function accessKeyRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/access-keys",
    {
      config: { access: "access.read" },
      schema: { tags, querystring: accessKeysQuery, response: { 200: listOf(accessKeyView) } },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, keyCursor);
      const page = await listAccessKeys(contextOf(request, deps), request.query, after);
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
  app.get(
    "/api/v1/access-keys/:id",
    {
      config: { access: "access.read" },
      schema: { tags, params: idParams, response: { 200: accessKeyDetail } },
    },
    async (request) => getAccessKey(contextOf(request, deps), request.params.id),
  );
  app.post(
    "/api/v1/access-keys",
    {
      config: { access: "access.manage" },
      schema: { tags, body: newAccessKey, response: { 201: accessKeyDetail } },
    },
    async (request, reply) =>
      reply.code(201).send(await registerAccessKey(contextOf(request, deps), request.body)),
  );
  app.patch(
    "/api/v1/access-keys/:id",
    {
      config: { access: "access.manage" },
      schema: {
        tags,
        params: idParams,
        body: accessKeyChanges,
        response: { 200: accessKeyDetail },
      },
    },
    async (request) => changeAccessKey(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/access-keys/:id/revoke",
    {
      config: { access: "access.manage" },
      schema: { tags, params: idParams, body: revokeBody, response: { 200: accessKeyDetail } },
    },
    async (request) => revokeAccessKey(contextOf(request, deps), request.params.id, request.body),
  );
}
