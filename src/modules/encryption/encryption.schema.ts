import { z } from "zod";
import { CONFIRMATION_METHODS } from "../../db/tables/encryption.ts";
import { daySchema, idSchema, nullableTimestamp, timestamp } from "../../platform/http/schemas.ts";

/** Requests and answers of the encryption routes: the key registry and encryption at rest. */

const text = (max: number) => z.string().trim().max(max);
const named = z.object({ id: idSchema, name: z.string() });
/** Where a key or a data store stands against its deadline today. */
const STANDINGS = ["current", "due_soon", "overdue"] as const;

const keyFields = {
  name: text(200).min(1),
  purpose: text(2000),
  algorithm: text(100).min(1),
  /** Where the key lives: a KMS ARN, an HSM, a file… */
  location: text(1000),
  /** The system it protects. */
  systemId: idSchema.nullable(),
  rotationPeriodDays: z.number().int().min(1).max(3650),
};

export const newKey = z
  .object({
    ...keyFields,
    purpose: keyFields.purpose.optional(),
    location: keyFields.location.optional(),
    systemId: keyFields.systemId.optional(),
    rotationPeriodDays: keyFields.rotationPeriodDays.optional(),
  })
  .strict();
export type NewKey = z.infer<typeof newKey>;

export const keyPatch = z.object(keyFields).partial().strict();
export type KeyPatch = z.infer<typeof keyPatch>;

export const keyListQuery = z.object({
  /** "true": archived keys too. */
  archived: z.enum(["true", "false"]).optional(),
});

export const keyView = z.object({
  id: idSchema,
  name: z.string(),
  purpose: z.string(),
  algorithm: z.string(),
  location: z.string(),
  system: named.nullable(),
  rotationPeriodDays: z.number().int(),
  /** Managed by Attest (its master key): it cannot be renamed or archived. */
  builtin: z.boolean(),
  createdAt: timestamp,
  archivedAt: nullableTimestamp,
  lastRotatedAt: nullableTimestamp,
  /** The last rotation (or the registration) plus the rotation period. */
  rotationDueAt: timestamp,
  standing: z.enum(STANDINGS),
});
export type KeyView = z.infer<typeof keyView>;
export const keyList = z.object({ items: z.array(keyView) });

export const newRotation = z
  .object({
    /** When the key was rotated; not in the future. */
    rotatedAt: timestamp,
    /** The new key's identifier (a key version, a fingerprint). */
    newKeyRef: text(500).min(1).optional(),
    notes: text(4000).optional(),
    /** An evidence item (filed through the evidence area) showing the rotation. */
    evidenceId: idSchema.optional(),
  })
  .strict();
export type NewRotation = z.infer<typeof newRotation>;

const recordedBy = named.nullable();

export const rotationView = z.object({
  id: idSchema,
  keyId: idSchema,
  rotatedAt: timestamp,
  newKeyRef: z.string().nullable(),
  notes: z.string(),
  evidence: z.object({ id: idSchema, fileName: z.string().nullable() }).nullable(),
  /** The user who recorded it; null when Attest did (actorName). */
  recordedBy,
  actorName: z.string().nullable(),
  createdAt: timestamp,
});
export type RotationView = z.infer<typeof rotationView>;
export const rotationList = z.object({ items: z.array(rotationView) });

export const newConfirmation = z
  .object({
    /** The day encryption at rest was seen in place; not in the future. */
    confirmedOn: daySchema,
    notes: text(4000).optional(),
    /** The evidence items (filed through the evidence area) showing it, at least one. */
    evidenceIds: z.array(idSchema).min(1).max(20),
  })
  .strict();
export type NewConfirmation = z.infer<typeof newConfirmation>;

export const confirmationView = z.object({
  id: idSchema,
  systemId: idSchema,
  method: z.enum(CONFIRMATION_METHODS),
  confirmedAt: timestamp,
  passed: z.boolean(),
  detail: z.string(),
  notes: z.string(),
  evidence: z.array(z.object({ id: idSchema, fileName: z.string().nullable() })),
  confirmedBy: recordedBy,
  actorName: z.string().nullable(),
  createdAt: timestamp,
});
export type ConfirmationView = z.infer<typeof confirmationView>;

export const storeView = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.string(),
  classification: z.string().nullable(),
  /** Holds confidential or restricted data: datastores-encrypted judges it. */
  inScope: z.boolean(),
  /** The latest confirmation, passing or not. */
  lastConfirmation: confirmationView.nullable(),
  /** The latest passing confirmation's moment plus 365 days; null when never confirmed. */
  confirmationDueAt: nullableTimestamp,
  standing: z.enum(STANDINGS),
});
export type StoreView = z.infer<typeof storeView>;
export const storeList = z.object({ items: z.array(storeView) });
export const storeDetail = storeView.extend({ history: z.array(confirmationView) });
export type StoreDetail = z.infer<typeof storeDetail>;
