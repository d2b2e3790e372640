import { z } from "zod";
import { permissionsOf } from "../../domain/permissions.ts";
import type { Deps } from "../../platform/deps.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { isSetupRequired } from "../organizations/organizations.queries.ts";
import { getOrganization, runSetup } from "../organizations/organizations.service.ts";
import { getUser } from "../users/users.service.ts";
import { retryAfterOnLock } from "./attempts.ts";
import {
  loginBody,
  loginResponse,
  meResponse,
  mfaConfirmBody,
  mfaConfirmResponse,
  mfaDisableBody,
  mfaEnrollBody,
  mfaEnrollResponse,
  passwordBody,
  passwordChangedResponse,
  setupBody,
  tokenBody,
  tokenCreated,
  tokenList,
} from "./auth.schema.ts";
import {
  clearSessionCookie,
  contextOf,
  requirePrincipal,
  SESSION_COOKIE,
  sessionPolicy,
  setSessionCookie,
} from "./auth-hook.ts";
import { changePassword, login, logout } from "./login.service.ts";
import { confirmMfaEnrollment, disableMfa, startMfaEnrollment } from "./mfa.service.ts";
import { createSession } from "./sessions.service.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "./tokens.service.ts";

export function authRoutes(app: App, deps: Deps) {
  const rateLimit = { max: deps.config.loginRateLimit, timeWindow: "1 minute" };
  const maxAgeSeconds = deps.config.sessionMaxHours * 3600;

  app.get(
    "/api/v1/setup",
    {
      config: { access: "public" },
      schema: { tags: ["setup"], response: { 200: z.object({ required: z.boolean() }) } },
    },
    async () => ({ required: await isSetupRequired(deps.db) }),
  );

  app.post(
    "/api/v1/setup",
    {
      config: { access: "public", rateLimit },
      schema: {
        tags: ["setup"],
        summary: "First-run setup: create the organization and its owner",
        body: setupBody,
        response: { 201: loginResponse },
      },
    },
    async (request, reply) => {
      let session: Awaited<ReturnType<typeof createSession>> | undefined;
      const created = await runSetup(deps.db, request.body, request.id, async (tx, ids) => {
        session = await createSession(tx, {
          ...ids,
          mfaPending: false,
          policy: sessionPolicy(deps),
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
        });
      });
      if (!session) throw new Error("setup created no session");
      setSessionCookie(reply, deps, session.token, maxAgeSeconds);
      const user = await sessionUserOf(deps, created.organizationId, created.userId);
      return reply.code(201).send({ status: "ok", user, csrfToken: session.csrfToken });
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      config: { access: "public", rateLimit },
      onError: retryAfterOnLock,
      schema: {
        tags: ["auth"],
        summary: "Sign in with email and password, then the MFA code when asked",
        body: loginBody,
        response: { 200: loginResponse },
      },
    },
    async (request, reply) => {
      const result = await login(
        { db: deps.db, keyring: deps.keyring, sessionPolicy: sessionPolicy(deps) },
        {
          ...request.body,
          pendingSessionToken: request.cookies[SESSION_COOKIE],
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          requestId: request.id,
        },
      );
      if (result.status === "mfa_required") {
        setSessionCookie(reply, deps, result.session.token, 600);
        return { status: "mfa_required" as const };
      }
      setSessionCookie(reply, deps, result.session.token, maxAgeSeconds);
      const user = await sessionUserOf(deps, result.organizationId, result.userId);
      return { status: "ok" as const, user, csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    "/api/v1/auth/logout",
    { config: { access: "signed-in" }, schema: { tags: ["auth"] } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (principal.via.kind === "session") {
        const ctx = contextOf(request, deps);
        await logout(deps.db, {
          ...ctx,
          requestId: request.id,
          sessionId: principal.via.sessionId,
        });
      }
      clearSessionCookie(reply, deps);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/me",
    { config: { access: "signed-in" }, schema: { tags: ["auth"], response: { 200: meResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const ctx = contextOf(request, deps);
      return {
        user: {
          id: principal.userId,
          name: principal.name,
          email: principal.email,
          role: principal.role,
          mfaEnabled: principal.mfaEnabled,
        },
        organization: await getOrganization(ctx),
        csrfToken: principal.via.kind === "session" ? principal.via.csrfToken : null,
        mfaEnrollmentRequired: principal.mfaEnrollmentRequired,
        permissions: principal.mfaEnrollmentRequired ? [] : permissionsOf(principal.role),
      };
    },
  );

  app.post(
    "/api/v1/me/password",
    {
      config: { access: "signed-in", rateLimit },
      schema: {
        tags: ["account"],
        summary: "Change your password; ends your other sessions and revokes your API tokens",
        body: passwordBody,
        response: { 200: passwordChangedResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const ctx = contextOf(request, deps);
      return changePassword(deps.db, {
        ...ctx,
        requestId: request.id,
        userId: principal.userId,
        currentSessionId: principal.via.kind === "session" ? principal.via.sessionId : null,
        ...request.body,
      });
    },
  );

  app.post(
    "/api/v1/me/mfa/enroll",
    {
      config: { access: "signed-in", rateLimit },
      schema: {
        tags: ["account"],
        summary: "Start turning on two-factor authentication; needs your current password",
        body: mfaEnrollBody,
        response: { 200: mfaEnrollResponse },
      },
    },
    async (request) =>
      startMfaEnrollment(
        contextOf(request, deps),
        deps.keyring,
        requirePrincipal(request).userId,
        request.body.password,
      ),
  );

  app.post(
    "/api/v1/me/mfa/confirm",
    {
      config: { access: "signed-in", rateLimit },
      schema: { tags: ["account"], body: mfaConfirmBody, response: { 200: mfaConfirmResponse } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return confirmMfaEnrollment(contextOf(request, deps), deps.keyring, {
        userId: principal.userId,
        currentSessionId: principal.via.kind === "session" ? principal.via.sessionId : null,
        code: request.body.code,
      });
    },
  );

  app.post(
    "/api/v1/me/mfa/disable",
    {
      config: { access: "signed-in", rateLimit },
      schema: { tags: ["account"], body: mfaDisableBody },
    },
    async (request, reply) => {
      await disableMfa(
        contextOf(request, deps),
        requirePrincipal(request).userId,
        request.body.password,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/tokens",
    {
      config: { access: "tokens.manage" },
      schema: { tags: ["tokens"], response: { 200: tokenList } },
    },
    async (request) => {
      const rows = await listApiTokens(contextOf(request, deps));
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: t.created_at,
          lastUsedAt: t.last_used_at,
          revokedAt: t.revoked_at,
        })),
        nextCursor: null,
      };
    },
  );

  app.post(
    "/api/v1/tokens",
    {
      config: { access: "tokens.manage" },
      schema: {
        tags: ["tokens"],
        summary: "Create an API token; the token is shown only in this response",
        body: tokenBody,
        response: { 201: tokenCreated },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createApiToken(contextOf(request, deps), request.body.name)),
  );

  app.delete(
    "/api/v1/tokens/:id",
    { config: { access: "tokens.manage" }, schema: { tags: ["tokens"], params: idParams } },
    async (request, reply) => {
      await revokeApiToken(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );
}

async function sessionUserOf(deps: Deps, organizationId: string, userId: string) {
  const user = await getUser(
    { db: deps.db, organizationId, actor: { type: "system", name: "sign-in" }, requestId: null },
    userId,
  );
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    mfaEnabled: user.mfaEnabled,
  };
}
