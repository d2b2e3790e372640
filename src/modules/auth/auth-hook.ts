import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { can, type Permission } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { resolveApiToken, resolveSession } from "./sessions.service.ts";

/**
 * Who may call a route: anyone ("public"), any signed-in person even one who must still
 * enrol in MFA ("signed-in"), a signed-in person whose role holds a permission, or an identity
 * provider with a SCIM token ("scim", authenticated by the scim area's hook).
 */
export type Access = "public" | "signed-in" | "scim" | Permission;

export const SESSION_COOKIE = "attest_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Authenticates and authorizes every request before its body is validated, so an
 * unauthorized caller learns nothing from validation errors.
 */
export function registerAuthHook(app: FastifyInstance, deps: Deps) {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined) return; // not one of ours: static files, docs, 404
    if (access === "scim") return; // /scim/v2: the scim area's own credential (its hook)
    request.principal = await authenticate(request, deps);
    if (access === "public") return;
    const principal = request.principal;
    if (!principal) throw new AppError("unauthenticated", "Sign in to continue.");
    if (principal.via.kind === "session" && !SAFE_METHODS.has(request.method)) {
      checkCsrf(request, principal.via.csrfToken);
    }
    if (access === "signed-in") return;
    if (principal.mfaEnrollmentRequired) {
      throw new AppError(
        "mfa_enrollment_required",
        "Your organization requires two-factor authentication; enrol before continuing.",
      );
    }
    if (!can(principal.role, access)) {
      throw new AppError("forbidden", `The ${principal.role} role does not allow this.`);
    }
  });
}

async function authenticate(request: FastifyRequest, deps: Deps): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await resolveApiToken(deps.db, match[1]) : null;
    if (!principal) throw new AppError("unauthenticated", "The API token is invalid or revoked.");
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  return resolveSession(deps.db, cookie, sessionPolicy(deps));
}

function checkCsrf(request: FastifyRequest, expected: string) {
  const sent = request.headers["x-csrf-token"];
  const ok =
    typeof sent === "string" &&
    sent.length === expected.length &&
    timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) {
    throw new AppError(
      "csrf_failed",
      "Writes made with a session cookie must send the X-CSRF-Token header from sign-in or /api/v1/me.",
    );
  }
}

export function sessionPolicy(deps: Deps) {
  return { idleMinutes: deps.config.sessionIdleMinutes, maxHours: deps.config.sessionMaxHours };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("unauthenticated", "Sign in to continue.");
  return request.principal;
}

/** The use-case context for a signed-in request. */
export function contextOf(request: FastifyRequest, deps: Deps): Context {
  const principal = requirePrincipal(request);
  return {
    db: deps.db,
    organizationId: principal.organizationId,
    actor: actorOf(principal),
    requestId: request.id,
  };
}

export function setSessionCookie(
  reply: FastifyReply,
  deps: Deps,
  token: string,
  maxAgeSeconds: number,
) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(deps),
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, deps: Deps) {
  reply.clearCookie(SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(deps),
  });
}

function isSecure(deps: Deps): boolean {
  return Boolean(deps.config.tls) || (deps.config.publicUrl?.startsWith("https://") ?? false);
}
