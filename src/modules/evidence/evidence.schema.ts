import { z } from "zod";
import {
  idSchema,
  limitSchema,
  listOf,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** The latest calendar date anywhere on Earth (UTC+14), so "today" holds in every time zone. */
export function latestDateToday(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

const controlKey = z
  .string()
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "is not a control key");
const isoDate = z.iso.date({ error: "must be a date as YYYY-MM-DD", abort: true });

/** An optional form field: empty or null counts as absent (HTML forms send empty strings). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    schema.optional(),
  );
}

const evidenceFields = {
  controlKey,
  testKey: optional(z.string().trim().min(1).max(100)),
  title: z.string().trim().min(1, "must not be empty").max(200),
  description: optional(z.string().trim().max(5000)),
  evidenceDate: isoDate.refine((date) => date <= latestDateToday(), "must not be in the future"),
  validUntil: optional(isoDate),
};

function checkValidity(
  value: { evidenceDate?: string | undefined; validUntil?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.evidenceDate && value.validUntil && value.validUntil <= value.evidenceDate) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must be after evidenceDate" });
  }
}

/** The text fields of a file upload (multipart/form-data); the file is the `file` part. */
export const uploadFields = z.object(evidenceFields).superRefine(checkValidity);
/** The same fields, each optional: checks what has arrived before the file is stored. */
export const uploadFieldsSoFar = z.object(evidenceFields).partial().superRefine(checkValidity);
export const UPLOAD_FIELD_NAMES = Object.keys(evidenceFields);
export type UploadFields = z.infer<typeof uploadFields>;

export const linkBody = z
  .object({
    ...evidenceFields,
    url: z.url({ protocol: /^https?$/, error: "must be an http or https URL" }).max(2000),
  })
  .superRefine(checkValidity);
export type LinkInput = z.infer<typeof linkBody>;

export const evidenceView = z
  .object({
    id: idSchema,
    controlKey: z.string(),
    testKey: z.string().nullable(),
    kind: z.enum(["file", "link"]),
    title: z.string(),
    description: z.string().nullable(),
    url: z.string().nullable(),
    fileName: z.string().nullable(),
    contentType: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    evidenceDate: z.string().meta({ description: "YYYY-MM-DD: the date the evidence is from" }),
    validUntil: z.string().meta({
      description: "YYYY-MM-DD, the last day it counts: as set, or 365 days after evidenceDate",
    }),
    valid: z.boolean().meta({ description: "not deleted, and today is within its validity" }),
    uploadedBy: z.object({ id: idSchema, name: z.string() }).nullable(),
    createdAt: timestamp,
    deletedAt: nullableTimestamp,
  })
  .meta({ id: "Evidence" });
export type EvidenceView = z.infer<typeof evidenceView>;

export const evidenceList = listOf(evidenceView);

export const listQuery = z.object({
  controlKey: controlKey.optional(),
  testKey: z.string().min(1).max(100).optional(),
  includeDeleted: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const evidenceCursor = z.object({ createdAt: z.iso.datetime(), id: idSchema });
