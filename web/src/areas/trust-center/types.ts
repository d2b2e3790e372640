// Types of the trust center admin API (/api/v1/trust-center).

export type LogoType = "image/png" | "image/jpeg" | "image/svg+xml" | "image/webp";
export const LOGO_TYPES: LogoType[] = ["image/png", "image/jpeg", "image/svg+xml", "image/webp"];
export const MAX_LOGO_BYTES = 256 * 1024;

export interface TrustSettings {
  displayName: string | null;
  tagline: string | null;
  overview: string;
  primaryColor: string;
  accentColor: string;
  logoId: string | null;
  /**
   * "chosen": only shownCategories (whole) and shownControls are listed, none by default.
   * "all": every control but hiddenCategories and hiddenControls (trust centers made before
   * choosing existed).
   */
  controlSelection: "chosen" | "all";
  shownCategories: string[];
  shownControls: string[];
  hiddenCategories: string[];
  hiddenControls: string[];
  /** Lists only the controls passing at the time of the visit. */
  onlyInPlace: boolean;
  showDescriptionOfServices: boolean;
  showSecurityCommitments: boolean;
  contactEmail: string | null;
  /** The name shown: displayName, or the organization's name. */
  companyName: string;
}

export type TrustSettingsPatch = Partial<Omit<TrustSettings, "logoId" | "companyName">>;

export interface TrustPublication {
  id: string;
  online: boolean;
  publishedAt: string;
  publishedBy: { id: string; name: string } | null;
}

export interface TrustCenter {
  draft: TrustSettings;
  draftUpdatedAt: string | null;
  logo: { id: string; contentType: LogoType; size: number } | null;
  published: (TrustPublication & { settings: TrustSettings }) | null;
  online: boolean;
  hasUnpublishedChanges: boolean;
  publicUrl: string;
  history: TrustPublication[];
  categories: { name: string; controls: { key: string; title: string }[] }[];
}

/** What publishing the draft now would make public (GET /api/v1/trust-center/publish-summary). */
export interface PublishSummary {
  online: boolean;
  firstPublication: boolean;
  hasUnpublishedChanges: boolean;
  draftVersion: string;
  companyName: string;
  sections: { key: string; title: string; items: string[] }[];
  controls: { shown: number; inPlace: number; inProgress: number; onlyInPlace: boolean };
}
