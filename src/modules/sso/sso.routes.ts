import type { FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf, sessionPolicy, setSessionCookie } from "../auth/auth-hook.ts";
import {
  callbackQuery,
  discoveryBody,
  discoveryResponse,
  optionsQuery,
  optionsResponse,
  providerBody,
  providerResponse,
  startQuery,
} from "./sso.schema.ts";
import { getProvider, removeProvider, saveProvider, testDiscovery } from "./sso.service.ts";
import {
  completeSsoSignIn,
  providerFor,
  type SsoDeps,
  SsoRefusal,
  startSsoSignIn,
} from "./sso.signin.ts";

const tags = ["sso"];
const MANAGE = { access: "sso.manage" } as const;
/** The cookie binding a sign-in at the provider to the browser that started it. */
const BROWSER_COOKIE = "attest_sso";
const CALLBACK_PATH = "/api/v1/auth/sso/callback";
const START_PATH = "/api/v1/auth/sso/start";

/** Single sign-on: the owner's provider configuration and the public sign-in routes. */
export function ssoRoutes(app: App, deps: Deps): void {
  const rateLimit = { max: deps.config.loginRateLimit, timeWindow: "1 minute" };

  app.get(
    "/api/v1/sso/provider",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "The organization's identity provider (never its client secret)",
        response: { 200: providerResponse },
      },
    },
    async (request) => ({
      provider: await getProvider(contextOf(request, deps)),
      redirectUri: redirectUriOf(request, deps),
    }),
  );

  app.put(
    "/api/v1/sso/provider",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Configure or change the organization's identity provider",
        description:
          "clientSecret is required the first time and kept when left out later. Saving does " +
          "not contact the provider: use POST /api/v1/sso/provider/discovery to test it.",
        body: providerBody,
        response: { 200: providerResponse },
      },
    },
    async (request) => ({
      provider: await saveProvider(contextOf(request, deps), deps.keyring, request.body),
      redirectUri: redirectUriOf(request, deps),
    }),
  );

  app.delete(
    "/api/v1/sso/provider",
    { config: MANAGE, schema: { tags, summary: "Remove single sign-on" } },
    async (request, reply) => {
      await removeProvider(contextOf(request, deps));
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/sso/provider/discovery",
    {
      config: MANAGE,
      schema: {
        tags,
        summary:
          "Fetch the issuer's discovery document (the given issuer, else the configured one)",
        description:
          "An issuer that is not https is a 400, one that cannot be discovered a 422, both naming issuerUrl.",
        body: discoveryBody,
        response: { 200: discoveryResponse },
      },
    },
    async (request) =>
      testDiscovery(
        contextOf(request, deps),
        deps.keyring,
        deps.config.ssoAllowHttpIssuer,
        request.body.issuerUrl,
      ),
  );

  app.get(
    "/api/v1/auth/sso/options",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "The single sign-on the sign-in page offers (for an email, or the only one)",
        querystring: optionsQuery,
        response: { 200: optionsResponse },
      },
    },
    async (request) => {
      const provider = await providerFor(deps.db, request.query.email || undefined);
      if (!provider) return { provider: null };
      const organization = encodeURIComponent(provider.organization_id);
      return {
        provider: { name: provider.name, startUrl: `${START_PATH}?organization=${organization}` },
      };
    },
  );

  app.get(
    START_PATH,
    {
      config: { access: "public", rateLimit },
      schema: {
        tags,
        summary: "Start a single sign-on: redirects to the organization's identity provider",
        querystring: startQuery,
      },
    },
    async (request, reply) => {
      try {
        const started = await startSsoSignIn(ssoDeps(deps), {
          organization: request.query.organization,
          redirectUri: redirectUriOf(request, deps),
        });
        reply.setCookie(BROWSER_COOKIE, started.browserToken, cookieOptions(deps, 600));
        return reply.redirect(started.url, 302);
      } catch (error) {
        return refusalRedirect(request, reply, error);
      }
    },
  );

  app.get(
    CALLBACK_PATH,
    {
      config: { access: "public", rateLimit },
      schema: {
        tags,
        summary: "Where the identity provider sends the browser back; opens the session",
        querystring: callbackQuery,
      },
    },
    async (request, reply) => {
      const query: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.query)) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined) query[key] = first;
      }
      reply.clearCookie(BROWSER_COOKIE, cookieOptions(deps, 0));
      try {
        const result = await completeSsoSignIn(ssoDeps(deps), {
          query,
          browserToken: request.cookies[BROWSER_COOKIE],
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          requestId: request.id,
        });
        if (result.status === "mfa_required") {
          setSessionCookie(reply, deps, result.session.token, 600);
          return reply.redirect("/login?sso=mfa", 302);
        }
        setSessionCookie(reply, deps, result.session.token, deps.config.sessionMaxHours * 3600);
        return reply.redirect("/", 302);
      } catch (error) {
        return refusalRedirect(request, reply, error);
      }
    },
  );
}

function ssoDeps(deps: Deps): SsoDeps {
  return {
    db: deps.db,
    keyring: deps.keyring,
    sessionPolicy: sessionPolicy(deps),
    allowHttpIssuer: deps.config.ssoAllowHttpIssuer,
  };
}

/**
 * The browser always lands on the sign-in page, which says why: a refusal by its reason, any
 * other failure (logged as an error) as one that did not complete.
 */
function refusalRedirect(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  let reason = "failed";
  if (error instanceof SsoRefusal) reason = error.reason;
  else if (error instanceof AppError) reason = error.code;
  if (reason === "failed") request.log.error({ err: error }, "single sign-on failed");
  else request.log.warn({ err: error }, "single sign-on refused");
  return reply.redirect(`/login?sso_error=${encodeURIComponent(reason)}`, 302);
}

/** The redirect URI registered at the provider: ATTEST_PUBLIC_URL's, else this request's origin. */
export function redirectUriOf(request: FastifyRequest, deps: Deps): string {
  const origin = deps.config.publicUrl
    ? deps.config.publicUrl.replace(/\/+$/, "")
    : `${request.protocol}://${request.host}`;
  return `${origin}${CALLBACK_PATH}`;
}

function cookieOptions(deps: Deps, maxAgeSeconds: number) {
  return {
    path: "/api/v1/auth/sso/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: Boolean(deps.config.tls) || (deps.config.publicUrl?.startsWith("https://") ?? false),
    maxAge: maxAgeSeconds,
  };
}
