import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { totpCode } from "../../src/domain/totp.ts";
import { Client, createOrganization, PASSWORD, type Person, signedIn } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  collectProblems,
  launchBrowser,
  type ProblemLog,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const NEW_PASSWORD = "a brand new passphrase for the account";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Rotate Co");
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function signIn(): Promise<{ page: Page; log: ProblemLog }> {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  const log = await collectProblems(context);
  const page = await context.newPage();
  await page.goto(url("/login"));
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(url("/"));
  return { page, log };
}

describe("my account", () => {
  test("a password change says what it signed out and revoked; turning on two-factor says which sessions ended", async () => {
    const script = new Client(server.app);
    script.bearer = (await owner.client.post("/api/v1/tokens", { name: "CI" })).body.token;
    const { page, log } = await signIn();
    await page.goto(url("/account"));
    await page.getByRole("heading", { name: "My account", level: 1 }).waitFor();

    const password = page.getByRole("region", { name: "Password" });
    await password.getByText("revokes your API tokens").waitFor();
    await password.getByLabel("Current password").fill(PASSWORD);
    await password.getByLabel("New password").fill(NEW_PASSWORD);
    await password.getByRole("button", { name: "Change password" }).click();
    // The API's own session (owner.client) is the other one; the token made with it is revoked.
    await password
      .getByRole("status")
      .getByText("Password changed. 1 other session signed out, 1 API token revoked.")
      .waitFor();
    expect((await script.get("/api/v1/controls")).status).toBe(401);
    expect((await owner.client.get("/api/v1/me")).status).toBe(401);

    const elsewhere = await signedIn(server, owner.organizationId, owner.id);
    const twoFactor = page.getByRole("region", { name: "Two-factor authentication" });
    await twoFactor.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await twoFactor.getByRole("button", { name: "Enable two-factor authentication" }).click();
    const secret = ((await page.getByTestId("mfa-secret").textContent()) ?? "").replace(/\s+/g, "");
    await twoFactor.getByLabel("Authentication code").fill(totpCode(secret, new Date()));
    await twoFactor.getByRole("button", { name: "Confirm", exact: true }).click();
    await twoFactor.getByText("Your 1 other session was signed out.").waitFor();
    expect((await elsewhere.get("/api/v1/me")).status).toBe(401);

    // A token for a script, made on the page: shown once, then listed, and it works.
    const tokens = page.getByRole("region", { name: "API tokens" });
    await tokens.getByLabel("Token name").fill("Nightly export");
    await tokens.getByRole("button", { name: "Create token" }).click();
    const shown = ((await page.getByTestId("api-token").textContent()) ?? "").trim();
    await tokens.getByRole("button", { name: "Done" }).click();
    await tokens.getByRole("row", { name: /Nightly export/ }).waitFor();
    const nightly = new Client(server.app);
    nightly.bearer = shown;
    expect((await nightly.get("/api/v1/controls")).status).toBe(200);
    expect(log.problems).toEqual([]);
  });
});
