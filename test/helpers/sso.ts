import { expect } from "vitest";
import { type Client, createTestApp, type TestApp } from "./app.ts";
import { ACCOUNT_PASSWORD, startOidcProvider, type TestOidcProvider } from "./oidc-provider.ts";

/** Attest's address in single sign-on tests (ATTEST_PUBLIC_URL): the provider redirects here. */
export const ATTEST_URL = "http://attest.test";
export const REDIRECT_URI = `${ATTEST_URL}/api/v1/auth/sso/callback`;
export const CLIENT = { clientId: "attest", clientSecret: "attest client secret" };
export const OTHER_CLIENT = { clientId: "other-app", clientSecret: "other app secret" };

/** The provider's clients: Attest's, and another application's (for the wrong audience). */
export function providerClients() {
  return [
    { ...CLIENT, redirectUris: [REDIRECT_URI] },
    { ...OTHER_CLIENT, redirectUris: [REDIRECT_URI] },
  ];
}

export interface SsoWorld {
  t: TestApp;
  idp: TestOidcProvider;
}

/** A test app at ATTEST_URL that accepts a loopback issuer, and the provider with its clients. */
export async function startSsoWorld(): Promise<SsoWorld> {
  const t = await createTestApp({ publicUrl: ATTEST_URL, ssoAllowHttpIssuer: true });
  const idp = await startOidcProvider({ clients: providerClients() });
  return { t, idp };
}

export async function stopSsoWorld(world: Partial<SsoWorld>): Promise<void> {
  await world.idp?.close();
  await world.t?.close();
}

export function providerSettings(issuer: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "Test IdP",
    issuerUrl: issuer,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    allowedDomains: ["example.com"],
    passwordSignInAllowed: true,
    groupsClaim: "groups",
    roleMapping: [
      { group: "attest-admins", role: "admin" },
      { group: "engineering", role: "editor" },
    ],
    acceptProviderMfa: false,
    ...overrides,
  };
}

export interface ProviderRound {
  /** The callback path and query the provider sent the browser back to. */
  callback: string;
  /** The browser-binding cookie Attest set at the start. */
  browserCookie: string;
}

/**
 * Plays the browser from Attest's start route through the provider's login form, with plain
 * HTTP requests, up to the redirect back to Attest (not followed).
 */
export async function throughProvider(
  app: TestApp,
  provider: TestOidcProvider,
  login: { email: string; password?: string },
  organization?: string,
): Promise<ProviderRound> {
  const query = organization ? `?organization=${encodeURIComponent(organization)}` : "";
  const start = await app.app.inject({ method: "GET", url: `/api/v1/auth/sso/start${query}` });
  expect(start.statusCode, start.body).toBe(302);
  const browser = start.cookies.find((c) => c.name === "attest_sso");
  expect(browser?.value).toBeTruthy();
  let location = String(start.headers.location);
  expect(location.startsWith(provider.issuer), location).toBe(true);
  const jar = new Map<string, string>();
  for (let step = 0; step < 12; step++) {
    if (location.startsWith(REDIRECT_URI)) {
      return {
        callback: location.slice(ATTEST_URL.length),
        browserCookie: `attest_sso=${browser?.value}`,
      };
    }
    const response = await fetch(new URL(location, provider.issuer), {
      redirect: "manual",
      headers: { cookie: cookieHeader(jar) },
    });
    keepCookies(jar, response);
    if (response.status >= 300 && response.status < 400) {
      location = String(response.headers.get("location"));
      continue;
    }
    const page = await response.text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`Provider answered ${response.status}: ${page}`);
    const posted = await fetch(new URL(action, provider.issuer), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        login: login.email,
        password: login.password ?? ACCOUNT_PASSWORD,
      }),
    });
    keepCookies(jar, posted);
    if (posted.status < 300 || posted.status >= 400) {
      throw new Error(`Provider login answered ${posted.status}: ${await posted.text()}`);
    }
    location = String(posted.headers.get("location"));
  }
  throw new Error("The provider never sent the browser back");
}

/** Brings the browser back to Attest's callback; answers where Attest sent it and the client. */
export async function backToAttest(app: TestApp, client: Client, round: ProviderRound) {
  const response = await app.app.inject({
    method: "GET",
    url: round.callback,
    headers: { cookie: round.browserCookie },
  });
  const session = response.cookies.find((c) => c.name === "attest_session");
  if (session?.value) client.cookie = `attest_session=${session.value}`;
  return { status: response.statusCode, location: String(response.headers.location ?? "") };
}

/** A whole sign-in; answers where Attest sent the browser at the end. */
export async function ssoSignIn(
  app: TestApp,
  provider: TestOidcProvider,
  client: Client,
  email: string,
  organization?: string,
) {
  const round = await throughProvider(app, provider, { email }, organization);
  return backToAttest(app, client, round);
}

function keepCookies(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}
