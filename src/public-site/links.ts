import type { FastifyRequest } from "fastify";
import type { Deps } from "../platform/deps.ts";
import { serverOrigin } from "../platform/links.ts";
import { isTrustHost } from "./site.ts";

/**
 * Absolute links to the public trust center pages, for the Atom feed and for mail. During a
 * request on ATTEST_TRUST_HOST they point at that host's root; otherwise at /trust under
 * ATTEST_PUBLIC_URL, or under this server's own address when no public URL is configured.
 * Never under the Host header a request brought (other than the configured trust host): a
 * sender controls it, and a link mailed to someone else (an approved document link, a
 * subscription confirmation) would hand that person's token to the sender's host. Mail sent
 * without a request links to the trust host when one is configured.
 */
export interface PublicBase {
  origin: string;
  basePath: string;
}

function configuredOrigin(deps: Deps): string | undefined {
  return deps.config.publicUrl ? new URL(deps.config.publicUrl).origin : undefined;
}

export function publicBaseOf(deps: Deps, request?: FastifyRequest): PublicBase {
  if (request && isTrustHost(deps, request)) {
    return { origin: `${request.protocol}://${request.headers.host}`, basePath: "" };
  }
  if (!request && deps.config.trustHost) {
    const scheme = deps.config.publicUrl
      ? new URL(deps.config.publicUrl).protocol
      : deps.config.tls
        ? "https:"
        : "http:";
    return { origin: `${scheme}//${deps.config.trustHost}`, basePath: "" };
  }
  return { origin: configuredOrigin(deps) ?? serverOrigin(deps), basePath: "/trust" };
}

/** absoluteUrl(base, "/notices/1") → "https://example.com/trust/notices/1". */
export function absoluteUrl(base: PublicBase, path: string): string {
  return `${base.origin}${base.basePath}${path === "/" && base.basePath ? "" : path}`;
}
