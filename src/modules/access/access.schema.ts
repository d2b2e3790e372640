import { z } from "zod";
import { GRANT_BASES } from "../../db/tables/access.ts";
import {
  emailSchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the accounts, grants and role rules routes. */

const jobRole = z.string().trim().min(1).max(100);
const systemRole = z.string().trim().min(1).max(100);
const reason = z.string().trim().min(1).max(2000);
const cursor = z.string().max(500).optional();
const flag = z
  .enum(["true", "false"])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === "true"));

const personRef = z.object({ id: idSchema, name: z.string(), reference: z.string() });
const systemRef = z.object({ id: idSchema, name: z.string() });

// --- role rules ----------------------------------------------------------------------------

export const roleRuleView = z
  .object({
    id: idSchema,
    jobRole: z.string(),
    system: systemRef,
    systemRole: z.string(),
    admin: z.boolean(),
    createdAt: timestamp,
    removedAt: nullableTimestamp,
  })
  .meta({ id: "RoleRule" });

export const roleRulesQuery = z.object({
  jobRole: jobRole.optional(),
  systemId: idSchema.optional(),
  includeRemoved: flag,
  cursor,
  limit: limitSchema,
});

export const newRoleRule = z.object({
  jobRole,
  systemId: idSchema,
  systemRole,
  admin: z.boolean().default(false),
});

// --- grants --------------------------------------------------------------------------------

export const GRANT_STATES = ["pending", "active", "revoked", "cancelled"] as const;
export const JUSTIFICATIONS = ["role_rule", "request", "exception"] as const;
export const GRANT_FLAGS = ["unjustified", "broader_than_rule", "exception_expired"] as const;

export const grantView = z
  .object({
    id: idSchema,
    person: personRef,
    system: systemRef,
    systemRole: z.string(),
    admin: z.boolean(),
    basis: z.enum(GRANT_BASES),
    state: z.enum(GRANT_STATES),
    createdAt: timestamp,
    grantedAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    revokeReason: z.string().nullable(),
    exception: z
      .object({
        reason: z.string(),
        expiresAt: timestamp,
        approvedAt: timestamp,
        expired: z.boolean(),
      })
      .nullable(),
    /** What justifies it now (an active grant): a role rule, an approved request, an exception. */
    justification: z.enum(JUSTIFICATIONS).nullable(),
    /** Why least-privilege counts it against the organization now, if it does. */
    flag: z.enum(GRANT_FLAGS).nullable(),
    /** Whether the caller may revoke it or approve an exception (owner/admin, system owner). */
    mayAct: z.boolean(),
  })
  .meta({ id: "AccessGrant" });

export const grantsQuery = z.object({
  systemId: idSchema.optional(),
  personId: idSchema.optional(),
  state: z.enum(["active", "pending", "revoked", "all"]).default("active"),
  admin: flag,
  basis: z.enum(GRANT_BASES).optional(),
  flagged: flag,
  cursor,
  limit: limitSchema,
});

const exceptionInput = z.object({ reason, expiresAt: timestamp });

export const newGrant = z.object({
  personId: idSchema,
  systemId: idSchema,
  systemRole,
  admin: z.boolean().default(false),
  /** When it was given (for access that exists already); not in the future. */
  grantedAt: timestamp.optional(),
  exception: exceptionInput.optional(),
});

export const revokeInput = z.object({ revokedAt: timestamp.optional(), reason });
export const exceptionApproval = exceptionInput;

// --- accounts ------------------------------------------------------------------------------

export const ACCOUNT_STATUSES = ["linked", "unlinked", "service", "shared", "removed"] as const;

export const accountView = z
  .object({
    id: idSchema,
    system: systemRef,
    username: z.string(),
    email: z.string().nullable(),
    /** The person: the account's one user, or a service account's owner. */
    person: personRef.nullable(),
    status: z.enum(ACCOUNT_STATUSES),
    service: z.boolean(),
    shared: z.boolean(),
    linkedAt: nullableTimestamp,
    lastLoginAt: nullableTimestamp,
    createdAt: timestamp,
    removedAt: nullableTimestamp,
    /** Whether the caller may link, register or remove it (owner/admin, system owner). */
    mayAct: z.boolean(),
  })
  .meta({ id: "Account" });

export const accountsQuery = z.object({
  systemId: idSchema.optional(),
  personId: idSchema.optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  cursor,
  limit: limitSchema,
});

const username = z.string().trim().min(1).max(200);

export const newAccount = z.object({
  systemId: idSchema,
  username,
  email: emailSchema.optional(),
  /** The person who uses it (not with `service`). */
  personId: idSchema.optional(),
  service: z.boolean().default(false),
  /** A service account's owning person. */
  ownerId: idSchema.optional(),
  shared: z.boolean().default(false),
  lastLoginAt: timestamp.optional(),
});

export const accountChanges = z
  .object({
    /** Link to this person (null: unlink). */
    personId: idSchema.nullable().optional(),
    service: z.boolean().optional(),
    ownerId: idSchema.optional(),
    shared: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const removeAccountInput = z.object({ removedAt: timestamp.optional() });

export type NewGrant = z.infer<typeof newGrant>;
export type GrantsQuery = z.infer<typeof grantsQuery>;
export type NewAccount = z.infer<typeof newAccount>;
export type AccountChanges = z.infer<typeof accountChanges>;
export type AccountsQuery = z.infer<typeof accountsQuery>;
export type RoleRulesQuery = z.infer<typeof roleRulesQuery>;
export type NewRoleRule = z.infer<typeof newRoleRule>;
