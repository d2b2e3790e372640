import { z } from "zod";
import {
  emailSchema,
  idSchema,
  limitSchema,
  listOf,
  nullableTimestamp,
  timestamp,
  timestampText,
} from "../../platform/http/schemas.ts";

/** An optional form field: empty or null counts as absent (HTML forms send empty strings). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    schema.optional(),
  );
}

/** "true"/"false" from a form, or a real boolean from JSON. */
const formBoolean = z.preprocess(
  (value) => (value === "true" || value === "on" ? true : value === "false" ? false : value),
  z.boolean({ error: "must be true or false" }),
);

const access = z.enum(["public", "gated"], { error: "must be public or gated" });
const title = z.string().trim().min(1, "must not be empty").max(200);
const description = z.string().trim().max(2000);
const position = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0)
  .max(10_000);

const documentFields = {
  title,
  description: optional(description),
  access,
  shown: formBoolean.default(true),
  position: position.default(0),
};

/** The text fields of a file upload (multipart/form-data); the file is the `file` part. */
export const uploadFields = z.object(documentFields);
export const uploadFieldsSoFar = z.object(documentFields).partial();
export const UPLOAD_FIELD_NAMES = Object.keys(documentFields);
export type UploadFields = z.infer<typeof uploadFields>;

export const newPolicyDocument = z.object({ ...documentFields, policyId: idSchema });
export type NewPolicyDocument = z.infer<typeof newPolicyDocument>;

export const documentChanges = z
  .object({
    title,
    description: description.nullable(),
    access,
    shown: z.boolean(),
    position,
    policyId: idSchema,
  })
  .partial();
export type DocumentChanges = z.infer<typeof documentChanges>;

export const documentView = z
  .object({
    id: idSchema,
    title: z.string(),
    description: z.string().nullable(),
    access,
    shown: z.boolean(),
    position: z.number().int(),
    source: z.enum(["file", "policy"]),
    policy: z
      .object({
        id: idSchema,
        title: z.string(),
        publishedVersion: z.number().int().nullable(),
      })
      .nullable(),
    fileName: z.string().nullable(),
    contentType: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: nullableTimestamp,
  })
  .meta({ id: "TrustDocument" });
export type DocumentView = z.infer<typeof documentView>;

export const documentListQuery = z.object({
  includeDeleted: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
    "is not a domain name such as example.com",
  );

export const settingsBody = z.object({
  ndaText: z.string().max(50_000),
  autoApproveDomains: z
    .array(domain)
    .max(200)
    .transform((domains) => [...new Set(domains)].sort()),
  linkDays: z.number({ error: "must be a number of days" }).int().min(1).max(90),
});
export type SettingsInput = z.infer<typeof settingsBody>;

export const settingsView = z
  .object({
    ndaText: z.string(),
    ndaSha256: z.string().nullable(),
    autoApproveDomains: z.array(z.string()),
    linkDays: z.number().int(),
    updatedAt: nullableTimestamp,
  })
  .meta({ id: "TrustDocumentSettings" });
export type SettingsView = z.infer<typeof settingsView>;

export const requestStatus = z.enum(["pending", "approved", "denied", "revoked"]);
export const linkState = z.enum(["none", "active", "expired", "revoked"]);

const personRef = z.object({ id: idSchema, name: z.string() }).nullable();

export const requestView = z
  .object({
    id: idSchema,
    name: z.string(),
    company: z.string(),
    email: z.string(),
    reason: z.string(),
    status: requestStatus,
    linkState: linkState.meta({ description: "whether the access link works now" }),
    documents: z.array(z.object({ id: idSchema, title: z.string(), deleted: z.boolean() })),
    nda: z
      .object({ sha256: z.string(), text: z.string(), acceptedAt: timestamp })
      .nullable()
      .meta({ description: "the agreement the requester accepted, exactly as shown to them" }),
    autoApprovedRule: z.string().nullable(),
    decidedBy: personRef,
    decidedAt: nullableTimestamp,
    decisionNote: z.string().nullable(),
    expiresAt: nullableTimestamp,
    revokedBy: personRef,
    revokedAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .meta({ id: "TrustAccessRequest" });
export type RequestView = z.infer<typeof requestView>;

export const requestList = listOf(requestView);

export const requestListQuery = z.object({
  status: requestStatus.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const requestCursor = z.object({
  rank: z.number().int(),
  createdAt: timestampText,
  id: idSchema,
});

export const decisionBody = z.object({ note: z.string().trim().max(2000).optional() });

export const decisionResult = z.object({
  request: requestView,
  mailSent: z.boolean().meta({ description: "whether the requester was emailed" }),
  accessUrl: z.string().nullable().meta({
    description:
      "the access link, only when it could not be emailed (no SMTP configured or sending failed), so it can be passed on by hand",
  }),
});

export const accessEventView = z.object({
  id: idSchema,
  action: z.enum(["view", "download"]),
  document: z.object({ id: idSchema, title: z.string() }).nullable(),
  createdAt: timestamp,
});
export const accessEventList = listOf(accessEventView);
export const accessEventQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export const accessEventCursor = z.object({ createdAt: timestampText, id: idSchema });

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** A request for access, from the public form (strings) or JSON. */
const documentIds = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.uuid({ error: "is not a document of this trust center" }))
    .min(1, "choose at least one document")
    .max(50),
);

export const accessRequestBody = z.object({
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(200)
    .regex(NO_CONTROL_CHARACTERS, "must be a single line of text"),
  company: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(200)
    .regex(NO_CONTROL_CHARACTERS, "must be a single line of text"),
  email: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    emailSchema,
  ),
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(2000),
  documents: documentIds,
  acceptNda: z
    .preprocess(
      (value) => value === true || value === "true" || value === "on" || value === "yes",
      z.boolean(),
    )
    .default(false),
  ndaSha256: optional(z.string().regex(/^[0-9a-f]{64}$/, "is not the agreement shown")),
});
export type AccessRequestInput = z.infer<typeof accessRequestBody>;
