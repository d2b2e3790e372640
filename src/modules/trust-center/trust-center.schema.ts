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
 * Which controls the page lists. "chosen": only the categories (whole, with any control added
 * to them later) and single controls the admin chose, none until they choose. "all": every
 * control except the hidden categories and controls, as trust centers made before choosing
 * existed keep (migration 20261202060000).
 */
const CONTROL_SELECTIONS = ["chosen", "all"] as const;

/** The trust center's settings, as the draft holds them and as each publication made them live. */
export const trustSettings = z.object({
  /** Shown as the company name; null shows the organization's name. */
  displayName: z.string().trim().min(1).max(200).nullable(),
  tagline: z.string().trim().max(300).nullable(),
  /** Markdown. */
  overview: z.string().max(20_000),
  primaryColor: hexColor,
  accentColor: hexColor,
  logoId: idSchema.nullable(),
  controlSelection: z.enum(CONTROL_SELECTIONS),
  /** With "chosen": the categories shown whole. */
  shownCategories: z.array(z.string().min(1).max(100)).max(50),
  /** With "chosen": single controls shown (outside the categories shown whole). */
  shownControls: z.array(z.string().min(1).max(100)).max(500),
  /** With "all": the categories and controls left out. */
  hiddenCategories: z.array(z.string().min(1).max(100)).max(50),
  hiddenControls: z.array(z.string().min(1).max(100)).max(500),
  /** Lists only the controls passing at the time of the request, whatever was chosen. */
  onlyInPlace: z.boolean(),
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
  controlSelection: "chosen",
  shownCategories: [],
  shownControls: [],
  hiddenCategories: [],
  hiddenControls: [],
  onlyInPlace: false,
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

export const publishBody = z
  .object({
    /**
     * The draftVersion of the publish summary the person confirmed: when the draft changed
     * since, nothing is published (409), so what goes live is what they saw.
     */
    draftVersion: z.string().min(1).max(100).optional(),
  })
  .strict()
  .optional();

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

const summarySection = z.object({
  /** services, commitments, controls, policies, or the key of another module's section. */
  key: z.string(),
  title: z.string(),
  /** What the section lists: policy, document or notice titles, control categories. */
  items: z.array(z.string()),
});

export const publishSummaryView = z
  .object({
    /** Whether the public page is online now (before this publication). */
    online: z.boolean(),
    /** Never published before: this would be the first public page. */
    firstPublication: z.boolean(),
    hasUnpublishedChanges: z.boolean(),
    /** Identifies the draft summarized; send it back to publish exactly this draft. */
    draftVersion: z.string(),
    companyName: z.string(),
    /** The sections the page would show, in page order. */
    sections: z.array(summarySection),
    /** The controls listed, as of now: in place (passing) and in progress (anything else). */
    controls: z.object({
      shown: z.number().int(),
      inPlace: z.number().int(),
      inProgress: z.number().int(),
      onlyInPlace: z.boolean(),
    }),
  })
  .meta({ id: "TrustCenterPublishSummary" });
