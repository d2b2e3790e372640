import { z } from "zod";

/**
 * The company profile (Settings → Organization): the facts the policy templates ask for.
 * A new draft made from a template has them filled in. `{{company_name}}` is the organization's
 * name and `{{effective_date}}` the day a version is approved, so neither is a field here.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const email = z.string().trim().max(254).pipe(z.email("must be an email address"));
const webUrl = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// address" }));
const whole = (max: number) => z.number().int().min(1).max(max);

const fields = {
  legalEntity: text(200),
  productName: text(200),
  serviceSummary: text(1000),
  securityLead: text(200),
  securityEmail: email,
  privacyEmail: email,
  websiteUrl: webUrl,
  trustCenterUrl: webUrl,
  hostingProvider: text(200),
  primaryRegion: text(200),
  jurisdiction: text(200),
  rtoHours: whole(8760),
  rpoHours: whole(8760),
  backupRetentionDays: whole(3650),
  retentionDefaultDays: whole(3650),
};
type Field = keyof typeof fields;

export const companyProfileSchema = z
  .object(
    Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.optional()])) as {
      [K in Field]: z.ZodOptional<(typeof fields)[K]>;
    },
  )
  .strict();

/** A change to the profile: fields sent replace, `null` clears one, fields left out stay. */
export const companyProfilePatchSchema = z
  .object(
    Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.nullable().optional()])) as {
      [K in Field]: z.ZodOptional<z.ZodNullable<(typeof fields)[K]>>;
    },
  )
  .strict();

export type CompanyProfile = z.infer<typeof companyProfileSchema>;
export type CompanyProfilePatch = z.infer<typeof companyProfilePatchSchema>;

/** Which field fills which template placeholder. */
export const PROFILE_PLACEHOLDERS: Readonly<Record<string, Field>> = {
  legal_entity: "legalEntity",
  product_name: "productName",
  service_summary: "serviceSummary",
  security_lead: "securityLead",
  security_email: "securityEmail",
  privacy_email: "privacyEmail",
  website_url: "websiteUrl",
  trust_center_url: "trustCenterUrl",
  hosting_provider: "hostingProvider",
  primary_region: "primaryRegion",
  jurisdiction: "jurisdiction",
  rto_hours: "rtoHours",
  rpo_hours: "rpoHours",
  backup_retention_days: "backupRetentionDays",
  retention_default_days: "retentionDefaultDays",
};

export function mergeCompanyProfile(
  before: CompanyProfile,
  patch: CompanyProfilePatch,
): CompanyProfile {
  const merged: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as CompanyProfile;
}

/** The values a new draft's placeholders take: the organization's name and the profile. */
export function placeholderValues(
  organizationName: string,
  profile: CompanyProfile,
): Record<string, string> {
  const values: Record<string, string> = { company_name: organizationName };
  for (const [placeholder, field] of Object.entries(PROFILE_PLACEHOLDERS)) {
    const value = profile[field];
    if (value !== undefined) values[placeholder] = String(value);
  }
  return values;
}

/** The profile kept in the organization's settings column; an unreadable one counts as empty. */
export function resolveCompanyProfile(storedSettings: unknown): CompanyProfile {
  const stored =
    storedSettings && typeof storedSettings === "object"
      ? (storedSettings as { companyProfile?: unknown }).companyProfile
      : undefined;
  const parsed = companyProfileSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
