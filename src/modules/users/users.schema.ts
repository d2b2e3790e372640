import { z } from "zod";
import { ROLES } from "../../domain/permissions.ts";
import {
  emailSchema,
  idSchema,
  limitSchema,
  listOf,
  nameSchema,
  newPasswordSchema,
  nullableTimestamp,
  timestamp,
  timestampText,
} from "../../platform/http/schemas.ts";

export const userView = z
  .object({
    id: idSchema,
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    status: z.enum(["invited", "active", "deactivated"]),
    mfaEnabled: z.boolean(),
    accessExpiresAt: nullableTimestamp,
    createdAt: timestamp,
  })
  .meta({ id: "User" });

export const userList = listOf(userView);
export const listQuery = z.object({ cursor: z.string().max(500).optional(), limit: limitSchema });
export const userCursor = z.object({ createdAt: timestampText, id: idSchema });

export const inviteBody = z.object({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(ROLES),
  accessExpiresAt: timestamp.optional(),
});

export const inviteResponse = z.object({ user: userView, inviteUrl: z.string() });

export const reactivateResponse = z.object({ user: userView, inviteUrl: z.string().nullable() });

export const updateBody = z
  .object({
    name: nameSchema.optional(),
    role: z.enum(ROLES).optional(),
    accessExpiresAt: timestamp.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export const invitationParams = z.object({ token: z.string().min(10).max(200) });
export const invitationView = z.object({
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  organizationName: z.string(),
});
export const acceptBody = z.object({ name: nameSchema, password: newPasswordSchema });
