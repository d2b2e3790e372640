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
