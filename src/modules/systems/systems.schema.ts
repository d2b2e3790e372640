import { z } from "zod";
import { CLASSIFICATIONS, SYSTEM_KINDS } from "../../db/tables/systems.ts";
import {
  idSchema,
  limitSchema,
  nameSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** The zod schemas of the inventory's requests and answers. */

const jobRole = z.string().trim().min(1, "must not be empty").max(100);
const jobRoles = z.array(jobRole).max(200);
const booleanText = z.enum(["true", "false"]).transform((value) => value === "true");

/**
 * A system's attributes as a request sets them. `adminRoles` is independent of `allowedRoles`:
 * a job role may hold admin without being listed as allowed (the access checks read each list
 * for its own question), so neither is derived from the other.
 */
const systemFields = {
  name: nameSchema,
  kind: z.enum(SYSTEM_KINDS),
  description: z.string().trim().max(5000),
  /** An active person; null leaves the system unowned (assets-owned then fails). */
  ownerId: idSchema.nullable(),
  production: z.boolean(),
  classification: z.enum(CLASSIFICATIONS).nullable(),
  customerData: z.boolean(),
  backedUp: z.boolean(),
  scanned: z.boolean(),
  internetFacing: z.boolean(),
  allowedRoles: jobRoles,
  adminRoles: jobRoles,
  /** null: the organization's default access review period. */
  reviewPeriodDays: z.number().int().min(1).max(3650).nullable(),
};

export const newSystem = z.object({
  ...systemFields,
  description: systemFields.description.optional(),
  ownerId: systemFields.ownerId.optional(),
  production: systemFields.production.optional(),
  classification: systemFields.classification.optional(),
  customerData: systemFields.customerData.optional(),
  backedUp: systemFields.backedUp.optional(),
  scanned: systemFields.scanned.optional(),
  internetFacing: systemFields.internetFacing.optional(),
  allowedRoles: systemFields.allowedRoles.optional(),
  adminRoles: systemFields.adminRoles.optional(),
  reviewPeriodDays: systemFields.reviewPeriodDays.optional(),
});
export type NewSystem = z.infer<typeof newSystem>;

export const systemChanges = z
  .object(systemFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });
export type SystemChanges = z.infer<typeof systemChanges>;

export const systemsListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  kind: z.enum(SYSTEM_KINDS).optional(),
  production: booleanText.optional(),
  /** A classification, or `none` for the unclassified. */
  classification: z.enum([...CLASSIFICATIONS, "none"]).optional(),
  customerData: booleanText.optional(),
  ownerId: idSchema.optional(),
  archived: booleanText.default(false),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type SystemsListQuery = z.infer<typeof systemsListQuery>;
export const systemsCursor = z.object({ name: z.string(), id: idSchema });

const attributes = {
  name: z.string(),
  kind: z.enum(SYSTEM_KINDS),
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  production: z.boolean(),
  classification: z.enum(CLASSIFICATIONS).nullable(),
  customerData: z.boolean(),
  backedUp: z.boolean(),
  scanned: z.boolean(),
  internetFacing: z.boolean(),
  allowedRoles: z.array(z.string()),
  adminRoles: z.array(z.string()),
  reviewPeriodDays: z.number().nullable(),
};

export const systemView = z
  .object({
    id: idSchema,
    ...attributes,
    description: z.string(),
    /** Whether the owner is an active person today. */
    ownerActive: z.boolean(),
    archived: z.boolean(),
    archivedAt: nullableTimestamp,
    /** The system standing for Attest itself (created by Attest; cannot be deleted). */
    builtin: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "System" });
export type SystemView = z.infer<typeof systemView>;

export const systemVersionView = z
  .object({
    id: idSchema,
    validFrom: timestamp,
    validTo: nullableTimestamp,
    ...attributes,
    archived: z.boolean(),
    changedBy: idSchema.nullable(),
    changedByName: z.string().nullable(),
    /** The attributes that differ from the version before (empty for the first). */
    changedFields: z.array(z.string()),
  })
  .meta({ id: "SystemVersion" });
export type SystemVersionView = z.infer<typeof systemVersionView>;

const systemRef = z.object({ id: idSchema, name: z.string() });

export const inventoryChanges = z
  .object({
    /** The last sign-off the changes are counted from; null when there was none. */
    since: nullableTimestamp,
    systemCount: z.number(),
    added: z.array(systemRef),
    changed: z.array(systemRef.extend({ fields: z.array(z.string()) })),
    archived: z.array(systemRef),
    problems: z.object({
      unowned: z.array(systemRef.extend({ reason: z.enum(["no_owner", "owner_left"]) })),
      unclassified: z.array(systemRef),
    }),
  })
  .meta({ id: "InventoryChanges" });
export type InventoryChanges = z.infer<typeof inventoryChanges>;

export const inventoryReviewView = z
  .object({
    id: idSchema,
    signedAt: timestamp,
    signedBy: idSchema.nullable(),
    signedByName: z.string().nullable(),
    comment: z.string(),
    systemCount: z.number(),
    changes: inventoryChanges.nullable(),
    evidenceId: idSchema.nullable(),
  })
  .meta({ id: "InventoryReview" });
export type InventoryReviewView = z.infer<typeof inventoryReviewView>;

export const signOffBody = z.object({ comment: z.string().trim().max(5000).default("") });

export const reviewsListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export const reviewsCursor = z.object({ signedAt: z.string(), id: idSchema });
