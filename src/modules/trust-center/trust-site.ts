import type { FastifyRequest } from "fastify";
import { withSystem } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";

/**
 * The public trust center a request is for. An installation serves one organization's trust
 * center: the first organization, the one setup created. It is reached at /trust, or at the
 * root of ATTEST_TRUST_HOST.
 */
export interface TrustSite {
  organizationId: string;
  companyName: string;
  /** Prefix of every public link: "/trust", or "" on ATTEST_TRUST_HOST. */
  basePath: string;
}

export async function loadTrustSite(deps: Deps, request: FastifyRequest): Promise<TrustSite> {
  const organization = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("organizations")
      .select(["id", "name"])
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst(),
  );
  if (!organization) throw new AppError("not_found", "There is no trust center here yet.");
  return {
    organizationId: organization.id,
    companyName: organization.name,
    basePath: isTrustHost(deps, request) ? "" : "/trust",
  };
}

export function isTrustHost(deps: Deps, request: FastifyRequest): boolean {
  const host = deps.config.trustHost;
  return host !== undefined && request.headers.host?.toLowerCase() === host;
}

/** A public link: trustLink(site, "/documents") is "/trust/documents" or "/documents". */
export function trustLink(site: TrustSite, path = "/"): string {
  if (site.basePath === "") return path;
  return path === "/" ? site.basePath : `${site.basePath}${path}`;
}
