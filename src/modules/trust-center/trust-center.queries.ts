import type { FastifyRequest } from "fastify";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { isTrustHost, type TrustSite } from "../../public-site/site.ts";
import { type PublicState, publicState } from "./trust-state.ts";

/** The audit log's labels of the trust center: its one page. */
export const trustCenterAuditTargets = {
  trust_center: { page: { name: "the trust center", path: "/trust-center" } },
  trust_center_publication: { page: { name: "the trust center", path: "/trust-center" } },
  trust_center_logo: { page: { name: "the trust center logo", path: "/trust-center" } },
};

/** The site a public request is for, from the trust center's public state. */
export async function loadTrustSite(deps: Deps, request: FastifyRequest): Promise<TrustSite> {
  const state = await publicState(deps);
  if (!state) throw new AppError("not_found", "There is no trust center here yet.");
  return siteOf(deps, request, state);
}

/** The site for a request, from the public state already read. */
export function siteOf(deps: Deps, request: FastifyRequest, state: PublicState): TrustSite {
  const basePath = isTrustHost(deps, request) ? "" : "/trust";
  return {
    organizationId: state.organizationId,
    companyName: state.companyName,
    basePath,
    online: state.online,
    contactEmail: state.online ? state.settings.contactEmail : null,
    mail: deps.mailer !== null,
    theme: state.online
      ? {
          stylesheet: `${basePath}/assets/theme.css?v=${state.themeHash}`,
          logo: state.logo ? `${basePath}/assets/logo?v=${state.logo.sha256.slice(0, 16)}` : null,
        }
      : undefined,
  };
}
