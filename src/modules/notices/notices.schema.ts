import { z } from "zod";
import { NOTICE_KINDS, NOTICE_SEVERITIES, NOTICE_STATUSES } from "../../db/tables/notices.ts";
import {
  emailSchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

const MAX_BODY = 100_000;

export const severity = z.enum(NOTICE_SEVERITIES);
export const kind = z.enum(NOTICE_KINDS);
export const noticeStatus = z.enum(NOTICE_STATUSES);
const title = z.string().trim().min(1).max(200);
const body = z.string().max(MAX_BODY);
const service = z.string().trim().min(1).max(100);
const affectedServices = z.array(service).max(50);

const person = z.object({ id: idSchema, name: z.string() });

export const noticeUpdateView = z.object({
  id: idSchema,
  body: z.string(),
  html: z.string(),
  notifySubscribers: z.boolean(),
  author: person.nullable(),
  createdAt: timestamp,
});

const noticeBase = {
  id: idSchema,
  title: z.string(),
  severity,
  kind,
  affectedServices: z.array(z.string()),
  status: noticeStatus,
  incidentId: idSchema.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  publishedAt: nullableTimestamp,
  resolvedAt: nullableTimestamp,
};

export const noticeSummary = z.object(noticeBase).meta({ id: "NoticeSummary" });

export const deliveryCounts = z.object({
  pending: z.number(),
  sent: z.number(),
  failed: z.number(),
  skipped: z.number(),
});

export const noticeView = z
  .object({
    ...noticeBase,
    body: z.string(),
    html: z.string(),
    author: person.nullable(),
    updates: z.array(noticeUpdateView),
    deliveries: deliveryCounts,
  })
  .meta({ id: "Notice" });

export const listQuery = z.object({
  status: noticeStatus.optional(),
  severity: severity.optional(),
  incidentId: idSchema.optional(),
  limit: limitSchema,
  cursor: z.string().max(500).optional(),
});

export const newNotice = z
  .object({
    title,
    body,
    severity,
    kind: kind.default("security"),
    affectedServices: affectedServices.default([]),
    incidentId: idSchema.nullable().optional(),
  })
  .strict();

export const noticeChanges = z
  .object({
    title: title.optional(),
    body: body.optional(),
    severity: severity.optional(),
    kind: kind.optional(),
    affectedServices: affectedServices.optional(),
    incidentId: idSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const publishBody = z.object({ notifySubscribers: z.boolean().default(true) }).strict();

export const updateBody = z
  .object({
    body: z.string().trim().min(1).max(MAX_BODY),
    notifySubscribers: z.boolean().default(false),
  })
  .strict();

export const resolveBody = z
  .object({
    note: z.string().trim().max(MAX_BODY).optional(),
    notifySubscribers: z.boolean().default(false),
  })
  .strict();

export const previewBody = z.object({ body }).strict();

export const subscriberView = z
  .object({
    id: idSchema,
    email: z.string(),
    status: z.enum(["pending", "confirmed", "unsubscribed"]),
    createdAt: timestamp,
    confirmedAt: nullableTimestamp,
    unsubscribedAt: nullableTimestamp,
  })
  .meta({ id: "NoticeSubscriber" });

export const subscriberQuery = z.object({
  status: z.enum(["pending", "confirmed", "unsubscribed"]).optional(),
  limit: limitSchema,
  cursor: z.string().max(500).optional(),
});

/** The public subscribe form, from an HTML form or JSON. */
export const subscribeBody = z.object({ email: z.string().trim().toLowerCase().pipe(emailSchema) });
