import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import type { Deps } from "../platform/deps.ts";

/**
 * The public trust center a request is for. An installation serves one organization's trust
 * center: the first organization, the one setup created. It is reached at /trust, or at the
 * root of ATTEST_TRUST_HOST. The trust center area builds it for a request (`loadTrustSite`);
 * every public page renders with it.
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
