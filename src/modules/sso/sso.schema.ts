import { z } from "zod";
import { SSO_ROLES } from "../../db/tables/sso.ts";
import { nullableTimestamp } from "../../platform/http/schemas.ts";

/** Requests and answers of the single sign-on routes. */

const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The issuer as the provider names itself: an absolute http(s) URL without query or fragment. */
const issuerUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.search && !url.hash;
      } catch {
        return false;
      }
    },
    { message: "must be the provider's issuer, an https URL such as https://login.example.com" },
  );

const roleMappingRow = z
  .object({
    /** A value of the groups claim, exactly as the provider sends it. */
    group: z.string().trim().min(1).max(200),
    role: z.enum(SSO_ROLES),
  })
  .strict();

export const providerBody = z
  .object({
    /** Shown on the sign-in button: "Sign in with <name>". */
    name: z.string().trim().min(1).max(100),
    issuerUrl,
    clientId: z.string().trim().min(1).max(500),
    /** Write-only; required when configuring, kept when left out of a change. */
    clientSecret: z.string().min(1).max(2000).optional(),
    /** Email domains whose people may sign in (and get an account at their first sign-in). */
    allowedDomains: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(DOMAIN, "must be an email domain such as example.com"),
      )
      .min(1)
      .max(50),
    /** Whether people other than owners may still sign in with a password. */
    passwordSignInAllowed: z.boolean().default(true),
    /** The ID token claim holding the person's groups. */
    groupsClaim: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[\w.:/-]+$/, "must be a claim name such as groups")
      .default("groups"),
    /** Group → role, first match wins; people in none of them get `defaultRole`. */
    roleMapping: z.array(roleMappingRow).max(100).default([]),
    defaultRole: z.enum(SSO_ROLES).default("member"),
    /** Whether the provider's two-factor stands for the organization's own requirement. */
    acceptProviderMfa: z.boolean().default(false),
    /** `acr` values that count as two-factor besides the `amr` methods. */
    mfaAcrValues: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
    enabled: z.boolean().default(true),
  })
  .strict();

export type ProviderInput = z.infer<typeof providerBody>;

export const providerView = z.object({
  id: z.string(),
  name: z.string(),
  issuerUrl: z.string(),
  clientId: z.string(),
  /** The secret itself is never sent back. */
  clientSecretSet: z.boolean(),
  allowedDomains: z.array(z.string()),
  passwordSignInAllowed: z.boolean(),
  groupsClaim: z.string(),
  roleMapping: z.array(z.object({ group: z.string(), role: z.enum(SSO_ROLES) })),
  defaultRole: z.enum(SSO_ROLES),
  acceptProviderMfa: z.boolean(),
  mfaAcrValues: z.array(z.string()),
  enabled: z.boolean(),
  updatedAt: nullableTimestamp,
});

export const providerResponse = z.object({
  provider: providerView.nullable(),
  /** The redirect URI to register at the provider. */
  redirectUri: z.string(),
});

export const discoveryBody = z.object({ issuerUrl: issuerUrl.optional() }).strict();

export const discoveryResponse = z.object({
  issuer: z.string(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  jwksUri: z.string(),
  scopesSupported: z.array(z.string()),
});

export const optionsQuery = z.object({
  /** An email (or its domain) to find the organization's provider by. */
  email: z.string().trim().toLowerCase().max(254).optional(),
});

export const optionsResponse = z.object({
  provider: z.object({ name: z.string(), startUrl: z.string() }).nullable(),
});

export const startQuery = z.object({
  /** The organization's id, an email address or an email domain of it. */
  organization: z.string().trim().toLowerCase().min(1).max(254).optional(),
});

/** What the provider sends back (code, state, iss, or error); a repeated key counts once. */
export const callbackQuery = z.record(
  z.string(),
  z.union([z.string().max(4000), z.array(z.string().max(4000)).max(10)]),
);
