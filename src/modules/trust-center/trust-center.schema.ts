import { z } from "zod";
import {
  emailSchema,
  idSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Logos: the image types a browser shows in <img>, at most 256 KiB. */
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/svg+xml", "image/webp"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const MAX_LOGO_BYTES = 256 * 1024;

export const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour in the form #1a2b3c");
/** Colours are stored in lower case. */
const hexColorInput = hexColor.transform((c) => c.toLowerCase());

/**
 * The trust center's settings, as the draft holds them and as each publication made them live.
 * Categories and controls are listed by what is hidden, so a control added to the catalog
 * later is shown by default.
 */
export const trustSettings = z.object({
  /** Shown as the company name; null shows the organization's name. */
  displayName: z.string().trim().min(1).max(200).nullable(),
  tagline: z.string().trim().max(300).nullable(),
  /** Markdown. */
  overview: z.string().max(20_000),
  primaryColor: hexColor,
  accentColor: hexColor,
  logoId: idSchema.nullable(),
  hiddenCategories: z.array(z.string().min(1).max(100)).max(50),
  hiddenControls: z.array(z.string().min(1).max(100)).max(500),
  showDescriptionOfServices: z.boolean(),
  showSecurityCommitments: z.boolean(),
  contactEmail: emailSchema.nullable(),
});
export type TrustSettings = z.infer<typeof trustSettings>;

export const DEFAULT_SETTINGS: TrustSettings = {
  displayName: null,
  tagline: null,
  overview: "",
  primaryColor: "#1d4ed8",
  accentColor: "#0f766e",
  logoId: null,
  hiddenCategories: [],
  hiddenControls: [],
  showDescriptionOfServices: true,
  showSecurityCommitments: true,
  contactEmail: null,
};

/** Stored settings with defaults for anything missing or no longer valid. */
export function resolveTrustSettings(stored: unknown): TrustSettings {
  const merged = { ...DEFAULT_SETTINGS, ...(stored && typeof stored === "object" ? stored : {}) };
  const parsed = trustSettings.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export const settingsPatch = trustSettings
  .omit({ logoId: true })
  .partial()
  .extend({ primaryColor: hexColorInput.optional(), accentColor: hexColorInput.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one setting to change",
    path: ["body"],
  });
export type SettingsPatch = z.infer<typeof settingsPatch>;

export const logoUpload = z
  .object({
    contentType: z.enum(LOGO_TYPES),
    /** The image, base64-encoded. */
    data: z
      .string()
      .min(1)
      .max(Math.ceil((MAX_LOGO_BYTES * 4) / 3) + 4, "must be at most 256 KiB once decoded")
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64"),
  })
  .strict();

export const emptyBody = z.object({}).strict().optional();

const settingsView = trustSettings.extend({ companyName: z.string() });

const person = z.object({ id: idSchema, name: z.string() }).nullable();

export const publicationView = z.object({
  id: idSchema,
  online: z.boolean(),
  publishedAt: timestamp,
  publishedBy: person,
});

export const trustCenterView = z
  .object({
    draft: settingsView,
    draftUpdatedAt: nullableTimestamp,
    logo: z.object({ id: idSchema, contentType: z.enum(LOGO_TYPES), size: z.number() }).nullable(),
    published: publicationView.extend({ settings: settingsView }).nullable(),
    online: z.boolean(),
    hasUnpublishedChanges: z.boolean(),
    publicUrl: z.string(),
    history: z.array(publicationView),
    categories: z.array(
      z.object({
        name: z.string(),
        controls: z.array(z.object({ key: z.string(), title: z.string() })),
      }),
    ),
  })
  .meta({ id: "TrustCenter" });
