import { Readable } from "node:stream";
import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import {
  decodeCursor,
  encodeCursor,
  idSchema,
  limitSchema,
  listOf,
  timestamp,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  EXPORT_CONTENT_TYPES,
  type ExportFormat,
  exportChunks,
  exportFileName,
} from "./audit-log.export.ts";
import { recordStandaloneEvent } from "./audit-log.service.ts";
import {
  type AuditEventFilter,
  auditEventBatches,
  type DescribedEvent,
  listAuditEvents,
  listTrailActions,
} from "./audit-log.trail.ts";

const eventView = z
  .object({
    id: idSchema,
    seq: z.number().int(),
    action: z.string(),
    /** The action in words ("Policy approved and published"). */
    actionLabel: z.string(),
    /** The event as a sentence: who did what to which record. */
    summary: z.string(),
    actorType: z.string(),
    actor: z.object({ id: idSchema, name: z.string() }).nullable(),
    /** Who acted as recorded, also for actors without an account (visitor, system). */
    actorName: z.string().nullable(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    /** The target as it is now: its name, its page in the web app, whether it is gone. */
    target: z.object({
      type: z.string(),
      id: z.string().nullable(),
      name: z.string().nullable(),
      path: z.string().nullable(),
      deleted: z.boolean(),
    }),
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
});

function checkRange(filter: AuditEventFilter): AuditEventFilter {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw errors.validation("to", "must not be before from");
  }
  return filter;
}

function present(e: DescribedEvent) {
  return {
    id: e.id,
    seq: e.seq,
    action: e.action,
    actionLabel: e.actionLabel,
    summary: e.summary,
    actorType: e.actor_type,
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? "" } : null,
    actorName: e.actor_name,
    targetType: e.target_type,
    targetId: e.target_id,
    target: {
      type: e.target_type,
      id: e.target_id,
      name: e.target.name,
      path: e.target.path,
      deleted: e.target.deleted,
    },
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.request_id,
    createdAt: e.created_at,
    hash: e.hash,
    prevHash: e.prev_hash,
  };
}

/** The filters as recorded in the export's own audit event: only those given. */
function givenFilters(filter: AuditEventFilter): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value instanceof Date) given[key] = value.toISOString();
    else if (typeof value === "string" && value) given[key] = value;
  }
  return given;
}

export function auditLogRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/audit-events",
    {
      config: { access: "audit.read" },
      schema: {
        tags: ["audit"],
        summary: "The audit trail, newest first, each event also in words",
        querystring: filters.extend({
          cursor: z.string().max(200).optional(),
          limit: limitSchema,
        }),
        response: { 200: listOf(eventView) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query;
      const page = await listAuditEvents(contextOf(request, deps), {
        ...checkRange(filter),
        limit,
        beforeSeq: decodeCursor(cursor, z.object({ seq: z.number().int() }))?.seq,
      });
      return {
        items: page.items.map(present),
        nextCursor: page.nextSeq ? encodeCursor({ seq: page.nextSeq }) : null,
      };
    },
  );

  app.get(
    "/api/v1/audit-events/actions",
    {
      config: { access: "audit.read" },
      schema: {
        tags: ["audit"],
        summary: "The actions that occur in the organization's trail, with their labels",
        response: {
          200: z.object({ items: z.array(z.object({ action: z.string(), label: z.string() })) }),
        },
      },
    },
    async (request) => ({ items: await listTrailActions(contextOf(request, deps)) }),
  );

  for (const format of ["csv", "jsonl"] as const satisfies ExportFormat[]) {
    app.get(
      `/api/v1/audit-events/export.${format}`,
      {
        config: { access: "audit.read" },
        schema: {
          tags: ["audit"],
          summary:
            format === "csv"
              ? "The filtered trail as CSV (RFC 4180), oldest first, streamed"
              : "The filtered trail as JSON lines, oldest first, streamed, to verify outside Attest",
          description:
            "Takes the list's filters. Every event with its sentence, before/after and chain " +
            "fields (prevHash, hash). The export is itself recorded in the trail (audit.exported).",
          querystring: filters,
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request, deps);
        const filter = checkRange(request.query);
        await recordStandaloneEvent(ctx.db, {
          organizationId: ctx.organizationId,
          actor: ctx.actor,
          action: "audit.exported",
          targetType: "audit_trail",
          targetId: null,
          after: { format, filters: givenFilters(filter) },
          requestId: ctx.requestId,
        });
        // One batch buffered at most: a slow client holds back reading, not memory.
        const body = Readable.from(exportChunks(format, auditEventBatches(ctx, filter)), {
          highWaterMark: 1,
        });
        return reply
          .type(EXPORT_CONTENT_TYPES[format])
          .header("content-disposition", attachmentDisposition(exportFileName(format)))
          .header("cache-control", "no-store")
          .send(body);
      },
    );
  }
}
