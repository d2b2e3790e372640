import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { contextOf } from "../../platform/http/auth-hook.ts";
import {
  decodeCursor,
  encodeCursor,
  idSchema,
  limitSchema,
  listOf,
  timestamp,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { listAuditEvents } from "./audit-log.service.ts";

const eventView = z
  .object({
    id: idSchema,
    seq: z.number().int(),
    action: z.string(),
    actorType: z.string(),
    actor: z.object({ id: idSchema, name: z.string() }).nullable(),
    /** Who acted as recorded, also for actors without an account (visitor, system). */
    actorName: z.string().nullable(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    createdAt: timestamp,
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ id: "AuditEvent" });

const filters = z.object({
  action: z.string().max(100).optional(),
  actorId: idSchema.optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  cursor: z.string().max(200).optional(),
  limit: limitSchema,
});

export function auditLogRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/audit-events",
    {
      config: { access: "audit.read" },
      schema: {
        tags: ["audit"],
        summary: "The audit trail, newest first",
        querystring: filters,
        response: { 200: listOf(eventView) },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const page = await listAuditEvents(contextOf(request, deps), {
        ...filter,
        beforeSeq: decodeCursor(cursor, z.object({ seq: z.number().int() }))?.seq,
      });
      return {
        items: page.items.map((e) => ({
          id: e.id,
          seq: e.seq,
          action: e.action,
          actorType: e.actor_type,
          actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? "" } : null,
          actorName: e.actor_name,
          targetType: e.target_type,
          targetId: e.target_id,
          before: e.before ?? null,
          after: e.after ?? null,
          requestId: e.request_id,
          createdAt: e.created_at,
          hash: e.hash,
          prevHash: e.prev_hash,
        })),
        nextCursor: page.nextSeq ? encodeCursor({ seq: page.nextSeq }) : null,
      };
    },
  );
}
