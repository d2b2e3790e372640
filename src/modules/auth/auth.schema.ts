import { z } from "zod";
import { ROLES } from "../../domain/permissions.ts";
import {
  emailSchema,
  idSchema,
  listOf,
  nameSchema,
  newPasswordSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

export const setupBody = z.object({
  organizationName: z.string().trim().min(1).max(200),
  name: nameSchema,
  email: emailSchema,
  password: newPasswordSchema,
});

export const loginBody = z
  .object({
    email: z.string().max(254).optional(),
    password: z.string().max(1024).optional(),
    code: z.string().trim().min(1).max(32).optional(),
  })
  .refine((b) => b.email === undefined || b.password !== undefined, {
    message: "is required with email",
    path: ["password"],
  })
  .refine((b) => b.password === undefined || b.email !== undefined, {
    message: "is required with password",
    path: ["email"],
  })
  .refine((b) => b.email !== undefined || b.code !== undefined, {
    message: "send email and password, or the authentication code",
    path: ["email"],
  });

export const sessionUser = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  mfaEnabled: z.boolean(),
});

export const loginResponse = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), user: sessionUser, csrfToken: z.string() }),
  z.object({ status: z.literal("mfa_required") }),
]);

export const meResponse = z.object({
  user: sessionUser,
  organization: z.object({ id: idSchema, name: z.string(), requireMfa: z.boolean() }),
  csrfToken: z.string().nullable(),
  mfaEnrollmentRequired: z.boolean(),
  permissions: z.array(z.string()),
});

export const passwordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: newPasswordSchema,
});

export const passwordChangedResponse = z.object({
  /** Your sessions on other devices that were signed out. */
  sessionsEnded: z.number().int(),
  /** Your API tokens that were revoked. */
  tokensRevoked: z.number().int(),
});

/** Credential changes ask for the current password, so a stolen session alone cannot. */
const passwordToConfirm = z.string().min(1).max(1024);
/** The password is asked of every account that has one (single sign-on accounts have none). */
export const mfaEnrollBody = z.object({ password: passwordToConfirm.optional() });
export const mfaEnrollResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const mfaConfirmBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "must be 6 digits"),
});
export const mfaConfirmResponse = z.object({
  recoveryCodes: z.array(z.string()),
  /** Your other sessions, signed out when two-factor authentication was turned on. */
  sessionsEnded: z.number().int(),
});
export const mfaDisableBody = z.object({ password: passwordToConfirm });

export const tokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const tokenView = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: timestamp,
  lastUsedAt: nullableTimestamp,
  revokedAt: nullableTimestamp,
});
export const tokenList = listOf(tokenView);
export const tokenCreated = z.object({
  id: idSchema,
  name: z.string(),
  token: z.string(),
  createdAt: timestamp,
});
