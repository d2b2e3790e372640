import { z } from "zod";
import { idSchema, nullableTimestamp, timestamp } from "../../platform/http/schemas.ts";

const MAX_BODY = 200_000;
const person = z.object({ id: idSchema, name: z.string() });

export const visibility = z.enum(["internal", "public"]);
const audience = z.object({
  all: z.boolean(),
  jobRoles: z.array(z.string().trim().min(1).max(100)).max(100),
});

export const templateView = z.object({
  key: z.string(),
  title: z.string(),
  controlKey: z.string(),
  visibility,
  placeholders: z.array(z.string()),
});

const policyBase = {
  id: idSchema,
  title: z.string(),
  controlKey: z.string().nullable(),
  templateKey: z.string().nullable(),
  visibility,
  audience,
  createdAt: timestamp,
  updatedAt: timestamp,
  retiredAt: nullableTimestamp,
};

export const policySummary = z
  .object({
    ...policyBase,
    currentVersion: z
      .object({ id: idSchema, version: z.number(), publishedAt: nullableTimestamp })
      .nullable(),
    openVersion: z.object({ id: idSchema, version: z.number(), status: z.string() }).nullable(),
  })
  .meta({ id: "PolicySummary" });

export const versionView = z.object({
  id: idSchema,
  version: z.number(),
  status: z.enum(["draft", "submitted", "published", "superseded", "retired"]),
  body: z.string(),
  html: z.string(),
  /** Placeholders to replace by hand before approval; approval fills {{effective_date}}. */
  placeholders: z.array(z.string()),
  /** The template's "About this template" note is still in the text. */
  templateNote: z.boolean(),
  changeSummary: z.string().nullable(),
  author: person.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  submittedAt: nullableTimestamp,
  publishedAt: nullableTimestamp,
  supersededAt: nullableTimestamp,
  approvals: z.array(
    z.object({
      kind: z.enum(["publication", "review"]),
      approvedAt: timestamp,
      comment: z.string().nullable(),
      approver: person,
      approverRole: z.string(),
    }),
  ),
});

export const policyView = z
  .object({
    ...policyBase,
    placeholders: z.array(z.string()),
    acknowledgement: z
      .object({
        audience: z.number(),
        acknowledged: z.number(),
        pending: z.array(z.object({ personId: idSchema, name: z.string() })),
      })
      .nullable(),
    versions: z.array(versionView),
  })
  .meta({ id: "Policy" });

export const newPolicy = z.union([
  z.object({ templateKey: z.string().min(1).max(100) }).strict(),
  z
    .object({
      title: z.string().trim().min(1).max(200),
      controlKey: z.string().max(100).nullable().optional(),
      body: z.string().max(MAX_BODY),
      visibility: visibility.optional(),
    })
    .strict(),
]);

export const policyChanges = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    visibility: visibility.optional(),
    audience: audience.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const draftBody = z.object({
  body: z.string().min(1).max(MAX_BODY),
  changeSummary: z.string().trim().max(500).optional(),
});

export const commentBody = z.object({ comment: z.string().trim().max(1000).optional() });
export const rejectBody = z.object({ reason: z.string().trim().min(1).max(1000) });
export const acknowledgeBody = z.object({ versionId: idSchema });
export const diffQuery = z.object({ from: idSchema, to: idSchema });
export const versionParams = z.object({ id: idSchema, versionId: idSchema });

export const diffView = z.object({
  from: z.object({ id: idSchema, version: z.number() }),
  to: z.object({ id: idSchema, version: z.number() }),
  added: z.number(),
  removed: z.number(),
  lines: z.array(z.object({ op: z.enum(["same", "added", "removed"]), text: z.string() })),
});

export const myPolicyView = z.object({
  policyId: idSchema,
  title: z.string(),
  versionId: idSchema,
  version: z.number(),
  publishedAt: timestamp,
  acknowledgedAt: nullableTimestamp,
  dueAt: timestamp,
});

export const previewBody = z.object({ body: z.string().max(MAX_BODY) });
