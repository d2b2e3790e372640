import { z } from "zod";
import { VALIDITIES } from "../../domain/evidence-validity.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  listOf,
  nullableTimestamp,
  timestamp,
  timestampText,
} from "../../platform/http/schemas.ts";

/** The latest calendar date anywhere on Earth (UTC+14), so "today" holds in every time zone. */
export function latestDateToday(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

const controlKey = z
  .string()
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "is not a control key");
const isoDate = daySchema;

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
    controlTitle: z.string(),
    testKey: z.string().nullable(),
    testDescription: z.string().nullable().meta({ description: "what the test checks" }),
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
    validity: z.enum(VALIDITIES).meta({
      description:
        "by validUntil against today (UTC): expired after it, expiring within 30 days of it, else valid",
    }),
    uploadedBy: z.object({ id: idSchema, name: z.string() }).nullable(),
    createdAt: timestamp,
    deletedAt: nullableTimestamp,
  })
  .meta({ id: "Evidence" });
export type EvidenceView = z.infer<typeof evidenceView>;

export const evidenceList = listOf(evidenceView).extend({
  total: z.number().int().nullable().meta({
    description:
      "how many items match the filters, counted up to 1000, on the first page only (null after)",
  }),
  totalCapped: z.boolean().meta({ description: "true when more items match than total says" }),
});

const listShape = z.object({
  controlKey: controlKey.optional(),
  testKey: z.string().min(1).max(100).optional(),
  validity: z.enum(VALIDITIES, { error: `must be one of ${VALIDITIES.join(", ")}` }).optional(),
  kind: z.enum(["file", "link"], { error: "must be file or link" }).optional(),
  uploadedBy: idSchema.optional().meta({ description: "the id of the user who added it" }),
  q: z.string().trim().max(200).optional().meta({
    description: "words in the title, description, file name or URL (case-insensitive)",
  }),
  from: isoDate.optional().meta({ description: "evidence dated on or after this day" }),
  to: isoDate.optional().meta({ description: "evidence dated on or before this day" }),
  includeDeleted: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type ListQuery = z.infer<typeof listShape>;

export const listQuery = listShape.loose().superRefine((value, ctx) => {
  // A misspelt filter is refused, naming it, rather than ignored (which would answer all).
  for (const name of Object.keys(value)) {
    if (!(name in listShape.shape)) {
      ctx.addIssue({ code: "custom", path: [name], message: "is not a filter of this list" });
    }
  }
  if (value.from && value.to && value.to < value.from) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  }
});

export const evidenceCursor = z.object({ createdAt: timestampText, id: idSchema });
