import net from "node:net";
import * as oidc from "openid-client";
import { AppError } from "../../platform/errors.ts";

/**
 * The relying party, by openid-client (a certified OpenID Connect client): discovery,
 * authorization URLs with PKCE (S256), state and nonce, and the code exchange whose ID token
 * the library validates: issuer, audience, expiry, nonce, and the signature against the
 * provider's published keys (non-repudiation checks on; openid-client would otherwise trust
 * the TLS channel alone).
 *
 * The provider is discovered afresh at each sign-in (two small requests): a rotated signing key
 * or a moved endpoint is picked up at once, with no cache to invalidate across nodes.
 */

/** Asked of every provider; `groups` too where the provider offers such a scope (Okta). */
const SCOPES = ["openid", "email", "profile"];
const TIMEOUT_SECONDS = 10;

export interface ProviderEndpoint {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface IdentityClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  amr: string[];
  acr: string | null;
  claims: Record<string, unknown>;
}

export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost") return true;
  if (net.isIPv4(bare)) return bare.startsWith("127.");
  return bare === "::1";
}

/** Discovers the provider; a failure is a 400 naming `issuerUrl`. */
export async function discoverProvider(
  endpoint: ProviderEndpoint,
  allowHttpIssuer: boolean,
): Promise<oidc.Configuration> {
  const url = new URL(endpoint.issuerUrl);
  const plainHttp = url.protocol === "http:";
  if (plainHttp && !(allowHttpIssuer && isLoopbackHost(url.hostname))) {
    throw issuerProblem("must use https (plain http only for a loopback issuer in tests)");
  }
  try {
    const config = await oidc.discovery(
      url,
      endpoint.clientId,
      undefined,
      oidc.ClientSecretBasic(endpoint.clientSecret),
      {
        execute: plainHttp ? [oidc.allowInsecureRequests] : [],
        timeout: TIMEOUT_SECONDS,
      },
    );
    oidc.enableNonRepudiationChecks(config);
    return config;
  } catch (error) {
    const message = `discovery failed: ${reasonOf(error)}`;
    throw new AppError("discovery_failed", `issuerUrl: ${message}`, [
      { field: "issuerUrl", message },
    ]);
  }
}

export function describeProvider(config: oidc.Configuration) {
  const metadata = config.serverMetadata();
  return {
    issuer: metadata.issuer,
    authorizationEndpoint: metadata.authorization_endpoint ?? "",
    tokenEndpoint: metadata.token_endpoint ?? "",
    jwksUri: metadata.jwks_uri ?? "",
    scopesSupported: metadata.scopes_supported ?? [],
  };
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A new authorization request: fresh state, nonce and PKCE verifier (S256). */
export async function authorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
): Promise<AuthorizationRequest> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: scopesFor(config).join(" "),
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url, state, nonce, codeVerifier };
}

function scopesFor(config: oidc.Configuration): string[] {
  const supported = config.serverMetadata().scopes_supported ?? [];
  return supported.includes("groups") ? [...SCOPES, "groups"] : SCOPES;
}

/**
 * Exchanges the code the browser brought back and validates the ID token; throws a
 * ProviderAnswerError saying what failed.
 */
export async function exchangeCode(
  config: oidc.Configuration,
  callbackUrl: URL,
  expected: { state: string; nonce: string; codeVerifier: string },
): Promise<IdentityClaims> {
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    const providerError =
      error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError;
    throw new ProviderAnswerError(providerError ? "provider_error" : "invalid_token", error);
  }
  const claims = tokens.claims();
  if (!claims) throw new ProviderAnswerError("invalid_token", new Error("no ID token"));
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v) => typeof v === "string") : [];
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === "string" ? claims.name : null,
    amr,
    acr: typeof claims.acr === "string" ? claims.acr : null,
    claims: claims as Record<string, unknown>,
  };
}

/** The provider's answer was an error or did not validate. */
export class ProviderAnswerError extends Error {
  constructor(
    readonly reason: "provider_error" | "invalid_token",
    readonly original: unknown,
  ) {
    super(`${reason}: ${reasonOf(original)}`);
  }
}

function issuerProblem(message: string) {
  return new AppError("validation_failed", `issuerUrl: ${message}`, [
    { field: "issuerUrl", message },
  ]);
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`.slice(0, 500);
}
