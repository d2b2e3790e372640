// The single sign-on journey: the owner configures the organization's identity provider (a
// real OpenID provider on loopback) in Settings → Single sign-on and tests its discovery, signs
// out, clicks "Sign in with Test IdP" on the sign-in page, signs in at the provider's page and
// lands in Attest signed in, with an account made at that first sign-in.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";
import {
  ACCOUNT_PASSWORD,
  startOidcProvider,
  type TestOidcProvider,
} from "../helpers/oidc-provider.ts";
import { CLIENT } from "../helpers/sso.ts";

let server: BrowserTestServer;
let browser: Browser;
let idp: TestOidcProvider;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser, idp] = await Promise.all([
    startBrowserTestServer({ ssoAllowHttpIssuer: true }),
    launchBrowser(),
    startOidcProvider(),
  ]);
  idp.setClients([{ ...CLIENT, redirectUris: [`${server.baseUrl}/api/v1/auth/sso/callback`] }]);
  idp.setAccount({ email: "jordan@example.com", name: "Jordan Lee", groups: ["security"] });
  owner = await createOrganization(server, "Hooli");
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await idp?.close();
  await server?.close();
});

describe("single sign-on in the browser", () => {
  test("configure the provider, sign out, sign in with it", async () => {
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page.getByRole("navigation").getByRole("link", { name: "Single sign-on" }).click();
    await page.getByRole("heading", { name: "Single sign-on", level: 1 }).waitFor();
    await expect
      .poll(() => page.locator(".sso-redirect code").textContent())
      .toBe(`${server.baseUrl}/api/v1/auth/sso/callback`);
    await page.getByLabel("Name on the sign-in button").fill("Test IdP");
    await page.getByLabel("Issuer URL").fill(idp.issuer);
    await page.getByLabel("Client ID").fill(CLIENT.clientId);
    await page.getByLabel("Client secret").fill(CLIENT.clientSecret);
    await page.getByLabel("Allowed email domains").fill("example.com");
    await page.getByRole("button", { name: "Add a group" }).click();
    await page.getByLabel("Group 1", { exact: true }).fill("security");
    await page.getByLabel("Role of group 1").selectOption("admin");
    await page.getByRole("button", { name: "Test discovery" }).click();
    await page.getByText("The provider answered").waitFor();
    await page.getByRole("button", { name: "Save single sign-on" }).click();
    await page.getByText("Single sign-on saved").waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.getByLabel("Email").fill("jordan@example.com");
    await page.getByLabel("Password", { exact: true }).fill(ACCOUNT_PASSWORD);
    await page.getByRole("button", { name: "Sign in at the provider" }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    const me = (await page.evaluate(async () => (await fetch("/api/v1/me")).json())) as {
      user: unknown;
    };
    expect(me.user).toMatchObject({ email: "jordan@example.com", role: "admin" });
    expect(log.problems).toEqual([]);
  });

  test("a refused single sign-on lands on the sign-in page saying why", async () => {
    const { page } = await newWatchedPage(browser, contexts);
    idp.setAccount({ email: "eve@elsewhere.org" });
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
    await page.getByLabel("Email").fill("eve@elsewhere.org");
    await page.getByLabel("Password", { exact: true }).fill(ACCOUNT_PASSWORD);
    await page.getByRole("button", { name: "Sign in at the provider" }).click();
    await page.waitForURL(/\/login\?sso_error=domain_not_allowed/);
    await page.getByText("Your email's domain may not sign in to this organization.").waitFor();
  });
});
