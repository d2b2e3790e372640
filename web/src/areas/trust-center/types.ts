// The trust center admin API's data (/api/v1/trust-center), named from the generated schema.
import type { Answer, RequestBody } from "../../ui/schema";

export type TrustCenter = Answer<"/api/v1/trust-center">;
/**
 * controlSelection "chosen": only shownCategories (whole) and shownControls are listed, none by
 * default. "all": every control but hiddenCategories and hiddenControls (trust centers made
 * before choosing existed).
 */
export type TrustSettings = TrustCenter["draft"];
export type TrustSettingsPatch = RequestBody<"/api/v1/trust-center", "patch">;
export type TrustPublication = TrustCenter["history"][number];
export type LogoType = RequestBody<"/api/v1/trust-center/logo", "put">["contentType"];
/** What publishing the draft now would make public (GET /api/v1/trust-center/publish-summary). */
export type PublishSummary = Answer<"/api/v1/trust-center/publish-summary">;

export const LOGO_TYPES: LogoType[] = ["image/png", "image/jpeg", "image/svg+xml", "image/webp"];
export const MAX_LOGO_BYTES = 256 * 1024;
