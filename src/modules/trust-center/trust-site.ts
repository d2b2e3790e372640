import type { Deps } from "../../platform/deps.ts";
import { firstOrganization } from "../organizations/organizations.queries.ts";

// Moved: the site and its links to the public-site kit, loadTrustSite and siteOf to
// trust-center.site.ts. Kept until the imports that name this path are rewritten.
export * from "../../public-site/site.ts";
export { loadTrustSite, siteOf } from "./trust-center.site.ts";

/**
 * The installation's public organization: the first one created. Apart from trust-center.site.ts
 * (which reads trust-state.ts, which reads this), so the two do not import each other.
 */
export async function publicOrganization(deps: Deps) {
  return firstOrganization(deps.db);
}
