import { z } from "zod";
import { idSchema, nameSchema, nullableTimestamp, timestamp } from "../../platform/http/schemas.ts";

/** Requests and answers of the SCIM token routes under /api/v1 (owners only). */

export const newScimToken = z.object({ name: nameSchema }).strict();

export const scimTokenView = z
  .object({
    id: idSchema,
    name: z.string(),
    createdAt: timestamp,
    lastUsedAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
  })
  .meta({ id: "ScimToken" });

export const createdScimToken = scimTokenView
  .extend({
    /** Shown once: only its hash is kept. */
    token: z.string(),
    /** The SCIM base URL to paste into the identity provider. */
    baseUrl: z.string(),
  })
  .meta({ id: "CreatedScimToken" });

export const scimTokenList = z
  .object({ items: z.array(scimTokenView), nextCursor: z.null(), baseUrl: z.string() })
  .meta({ id: "ScimTokenList" });

export const scimGroupRole = z
  .object({
    id: idSchema,
    displayName: z.string(),
    externalId: z.string().nullable(),
    /** The job role set for the group; null when its display name is used. */
    jobRole: z.string().nullable(),
    /** What its members take: the job role set, else the display name. */
    effectiveJobRole: z.string(),
    members: z.number().int(),
  })
  .meta({ id: "ScimGroupRole" });

export const scimGroupRoleList = z
  .object({ items: z.array(scimGroupRole), nextCursor: z.null() })
  .meta({ id: "ScimGroupRoleList" });

/** A job role for the group's members; null gives them its display name again. */
export const scimGroupRoleChange = z
  .object({ jobRole: z.string().trim().min(1).max(200).nullable() })
  .strict();
