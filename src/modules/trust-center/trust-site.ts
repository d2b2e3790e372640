import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import { withSystem } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { type PublicState, publicState } from "./trust-state.ts";

/**
 * The public trust center a request is for. An installation serves one organization's trust
 * center: the first organization, the one setup created. It is reached at /trust, or at the
 * root of ATTEST_TRUST_HOST.
 */
export interface TrustSite {
  organizationId: string;
  /** The published display name, or the organization's name. */
  companyName: string;
  /** Prefix of every public link: "/trust", or "" on ATTEST_TRUST_HOST. */
  basePath: string;
  /** Branding of the published trust center (absent: the default look). */
  theme?: { stylesheet: string; logo: string | null } | undefined;
  /** Whether a publication is online (the other pages may choose to answer 404 when not). */
  online?: boolean | undefined;
  contactEmail?: string | null | undefined;
  /** Set when an admin previews the draft: the layout marks the page as a preview. */
  preview?: boolean | undefined;
  /** Whether outgoing mail is configured: without it, no page offers anything by email. */
  mail?: boolean | undefined;
}

/** The installation's public organization: the first one created. */
export async function publicOrganization(deps: Deps) {
  return withSystem(deps.db, (tx) =>
    tx
      .selectFrom("organizations")
      .select(["id", "name"])
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst(),
  );
}

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

export function isTrustHost(deps: Deps, request: FastifyRequest): boolean {
  return hostIsTrustHost(deps.config.trustHost, request.headers.host);
}

function hostIsTrustHost(trustHost: string | undefined, host: string | undefined): boolean {
  return trustHost !== undefined && host?.toLowerCase() === trustHost;
}

/**
 * Fastify's rewriteUrl: on ATTEST_TRUST_HOST the trust center is the whole site, at its root
 * ("/" is /trust, "/x" is /trust/x); nothing else of Attest answers there.
 */
export function trustHostRewrite(trustHost: string | undefined) {
  return (request: IncomingMessage): string => {
    const url = request.url ?? "/";
    if (!hostIsTrustHost(trustHost, request.headers.host)) return url;
    if (url === "/" || url.startsWith("/?")) return `/trust${url.slice(1)}`;
    return `/trust${url}`;
  };
}

/** A public link: trustLink(site, "/documents") is "/trust/documents" or "/documents". */
export function trustLink(site: TrustSite, path = "/"): string {
  if (site.basePath === "") return path;
  return path === "/" ? site.basePath : `${site.basePath}${path}`;
}
