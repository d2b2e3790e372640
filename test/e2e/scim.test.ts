// The SCIM journey: the owner creates a SCIM token on Settings → SCIM provisioning, sees it
// once with the base URL to paste into the identity provider, the provider (this test) uses it
// to provision a person and a group, the owner gives the group a job role (the person takes
// it), the page shows when the token was last used, and revoking it refuses the provider's
// next request.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Initech");
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function scimRequest(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

describe("SCIM provisioning in a browser", () => {
  test("an owner creates a token, the provider provisions with it, the owner revokes it", async () => {
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "SCIM provisioning", exact: true })
      .click();
    await page.getByRole("heading", { level: 1, name: "SCIM provisioning" }).waitFor();

    await page.getByLabel("Token name").fill("Okta");
    await page.getByRole("button", { name: "Create SCIM token" }).click();
    const token = (await page.getByTestId("scim-token").textContent())?.trim() ?? "";
    const baseUrl = (await page.getByTestId("scim-base-url").textContent())?.trim() ?? "";
    expect(token).toMatch(/^attest_scim_/);
    expect(baseUrl).toMatch(/\/scim\/v2$/);
    await expectTable(page, "Okta", "Never");

    const created = await scimRequest(token, "POST", "/Users", {
      userName: "ada@initech.test",
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "ada@initech.test", type: "work", primary: true }],
    });
    expect(created.status).toBe(201);
    const group = await scimRequest(token, "POST", "/Groups", {
      displayName: "okta-eng-all",
      members: [{ value: (created.body as { id: string }).id }],
    });
    expect(group.status).toBe(201);
    await page.getByRole("button", { name: "Done" }).click();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "SCIM provisioning" }).waitFor();

    // The group gives its name as job role until the owner gives it one.
    const groupRow = page.locator('tr[data-scim-group="okta-eng-all"]');
    await groupRow.getByLabel("Job role for okta-eng-all").fill("Engineer");
    await groupRow.getByRole("button", { name: "Save the job role for okta-eng-all" }).click();
    await expect
      .poll(async () => {
        const listed = await owner.client.get("/api/v1/people?q=ada%40initech.test");
        return listed.body.items[0]?.jobRole;
      })
      .toBe("Engineer");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "SCIM provisioning" }).waitFor();
    const row = page.getByRole("row", { name: /Okta/ });
    await expect.poll(async () => row.textContent()).not.toContain("Never");

    await page.getByRole("button", { name: "Revoke Okta" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await row.getByText("Revoked").waitFor();
    expect((await scimRequest(token, "GET", "/Users")).status).toBe(401);

    await page.goto(`${server.baseUrl}/people`);
    await page.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    expect(log.problems).toEqual([]);
  });
});

async function expectTable(page: Page, name: string, lastUsed: string) {
  const row = page.getByRole("row", { name: new RegExp(name) });
  await row.waitFor();
  expect(await row.textContent()).toContain(lastUsed);
}
