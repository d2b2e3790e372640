import { z } from "zod";
import { EMPLOYMENT_TYPES } from "../../db/types.ts";
import { IMPORT_LIMIT_BYTES } from "../../platform/csv.ts";
import {
  daySchema,
  emailSchema,
  idSchema,
  limitSchema,
  nameSchema,
  timestamp,
} from "../../platform/http/schemas.ts";

/** The people area's request and answer shapes (the OpenAPI document comes from them). */

const jobRole = z.string().trim().max(100);
const employmentType = z.enum(EMPLOYMENT_TYPES);

export const personView = z
  .object({
    id: idSchema,
    /** Given once ("P-12"), never changes, even when the email does. */
    number: z.number().int(),
    reference: z.string(),
    userId: idSchema.nullable(),
    name: z.string(),
    email: z.string(),
    jobRole: z.string().nullable(),
    employmentType,
    managerId: idSchema.nullable(),
    managerName: z.string().nullable(),
    /** How many people name this person as their manager (on the one-person answer). */
    directReports: z.number().int().optional(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    active: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: "Person" });

export const PERSON_STATUSES = ["active", "left", "upcoming", "all"] as const;

export const listQuery = z.object({
  /** Part of a name or an email, or a reference ("P-12"), in any case. */
  q: z.string().trim().max(200).optional(),
  status: z.enum(PERSON_STATUSES).default("all"),
  activeOn: daySchema.optional(),
  jobRole: jobRole.optional(),
  managerId: idSchema.optional(),
  employmentType: employmentType.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const newPerson = z.object({
  name: nameSchema,
  email: emailSchema,
  jobRole: jobRole.nullable().optional(),
  employmentType: employmentType.optional(),
  managerId: idSchema.nullable().optional(),
  startDate: daySchema,
  endDate: daySchema.nullable().optional(),
});

export const personChanges = z
  .object({
    name: nameSchema.optional(),
    email: emailSchema.optional(),
    jobRole: jobRole.nullable().optional(),
    employmentType: employmentType.optional(),
    managerId: idSchema.nullable().optional(),
    startDate: daySchema.optional(),
    endDate: daySchema.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const offboarding = z.object({
  /** The first day they are gone; today when omitted. */
  endDate: daySchema.optional(),
  reason: z.string().trim().max(1000).optional(),
});

export const cursorSchema = z.object({ name: z.string(), id: idSchema });

/** An import's file: the CSV itself (text/csv), or JSON `{csv: "..."}`. */
export const importBody = z.union(
  [z.string().max(IMPORT_LIMIT_BYTES), z.object({ csv: z.string().max(IMPORT_LIMIT_BYTES) })],
  { error: 'send the file as text/csv, or JSON {csv: "..."}' },
);

const importProblem = z.object({
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});

export const importPreview = z
  .object({
    rows: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    problems: z.array(importProblem),
    /** Every problem counted; `problems` lists the first MAX_LISTED_PROBLEMS. */
    problemCount: z.number().int(),
    changes: z.array(
      z.object({
        line: z.number().int(),
        email: z.string(),
        action: z.enum(["create", "update", "unchanged"]),
        fields: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "PeopleImportPreview" });

export const importResult = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .meta({ id: "PeopleImportResult" });

/** The 422 of a commit whose file has problems: a problem response listing them. */
export const importRefusal = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    problems: z.array(importProblem),
    problemCount: z.number().int(),
    requestId: z.string(),
  })
  .meta({ id: "PeopleImportRefusal" });
