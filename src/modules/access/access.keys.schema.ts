import { z } from "zod";
import { ACCESS_KEY_KINDS } from "../../db/tables/access.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the key registry (SSH public keys, cloud access keys, API keys). */

export const KEY_STATUSES = ["active", "revoked"] as const;

const personRef = z.object({
  id: idSchema,
  name: z.string(),
  reference: z.string(),
  /** Started and not yet left, today. */
  active: z.boolean(),
});
const systemRef = z.object({ id: idSchema, name: z.string(), production: z.boolean() });

export const accessKeyView = z
  .object({
    id: idSchema,
    person: personRef,
    kind: z.enum(ACCESS_KEY_KINDS),
    name: z.string(),
    /** ssh: the key type (ssh-ed25519…); cloud and api: the provider (aws, github…). */
    keyType: z.string(),
    /** ssh: SHA256:… as ssh-keygen -l prints it; cloud and api: the key's id. */
    fingerprint: z.string(),
    /** ssh: "type base64" (never a secret: a public key). */
    publicKey: z.string().nullable(),
    bits: z.number().int().nullable(),
    comment: z.string().nullable(),
    createdOn: z.string(),
    createdAt: timestamp,
    revokedAt: nullableTimestamp,
    revokeReason: z.string().nullable(),
    status: z.enum(KEY_STATUSES),
    /** The systems it opens now (none once revoked). */
    systems: z.array(systemRef),
    /** Whether the caller may change or revoke it (access.manage). */
    mayAct: z.boolean(),
  })
  .meta({ id: "AccessKey" });

export const accessKeyDetail = accessKeyView
  .extend({
    /** Every system it was ever set to open, with the dates. */
    history: z.array(
      z.object({
        system: systemRef,
        addedAt: timestamp,
        removedAt: nullableTimestamp,
      }),
    ),
    /** The other unrevoked keys of the same fingerprint, registered to other people. */
    sharedWith: z.array(z.object({ keyId: idSchema, person: personRef })),
    /** The open revocation task (a leaver's), if any. */
    openTask: z.object({ id: idSchema, dueAt: timestamp }).nullable(),
  })
  .meta({ id: "AccessKeyDetail" });

export const accessKeysQuery = z.object({
  personId: idSchema.optional(),
  systemId: idSchema.optional(),
  kind: z.enum(ACCESS_KEY_KINDS).optional(),
  status: z.enum(KEY_STATUSES).optional(),
  fingerprint: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

const systemIds = z.array(idSchema).max(200);

export const newAccessKey = z.object({
  personId: idSchema,
  kind: z.enum(ACCESS_KEY_KINDS),
  /** Absent: the SSH key's comment, or the provider and key id. */
  name: z.string().trim().min(1).max(200).optional(),
  /** ssh: one OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
  publicKey: z.string().trim().min(1).max(20_000).optional(),
  /** cloud and api: the provider or service (aws, gcp, github…). */
  keyType: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "letters, digits, spaces, dots, dashes")
    .optional(),
  /** cloud and api: the access key's id (never the secret). */
  keyId: z.string().trim().min(1).max(200).optional(),
  /** The day the key was made; not in the future. */
  createdOn: daySchema,
  systemIds: systemIds.default([]),
});

export const accessKeyChanges = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    /** The systems it opens from now on (replaces the set). */
    systemIds: systemIds.optional(),
  })
  .refine((b) => b.name !== undefined || b.systemIds !== undefined, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const revokeAccessKey = z.object({
  reason: z.string().trim().min(1).max(2000),
  /** When it was revoked (default now): not in the future, not before the key was made. */
  revokedAt: timestamp.optional(),
});

export type AccessKeysQuery = z.infer<typeof accessKeysQuery>;
export type NewAccessKey = z.infer<typeof newAccessKey>;
export type AccessKeyChanges = z.infer<typeof accessKeyChanges>;
export type RevokeAccessKey = z.infer<typeof revokeAccessKey>;
