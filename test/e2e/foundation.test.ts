import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { totpCode } from "../../src/domain/totp.ts";
import { createOrganization, PASSWORD } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  startBrowserTestServer,
} from "../helpers/browser.ts";

// The catalog's six categories, in the order the controls page shows them, with their sizes.
const CATEGORIES: [string, number][] = [
  ["Availability", 2],
  ["Confidentiality", 4],
  ["Vulnerability Management", 2],
  ["Incident Response", 4],
  ["Access Security", 11],
  ["Communications", 6],
];

let server: BrowserTestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const openPage = () => newWatchedPage(browser, contexts);

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectDashboard(page: Page) {
  await page.waitForURL(url("/"));
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
}

describe("the foundation in a browser", () => {
  test("a new owner sets up Attest, enables two-factor sign-in, signs in again with a code and sees the 29 controls in their six groups", async ({
    annotate,
  }) => {
    const { page, log } = await openPage();
    const email = "ada@acme.test";

    // First visit: setup.
    await page.goto(url("/"));
    await page.waitForURL(url("/setup"));
    await page.getByLabel("Organization name").fill("Acme Cloud");
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expectDashboard(page);

    // Two-factor enrolment.
    await page.getByRole("link", { name: "My account" }).click();
    await page.getByRole("heading", { name: "My account", level: 1 }).waitFor();
    // Turning it on asks for the password, so a stolen session alone cannot.
    const twoFactor = page.getByRole("region", { name: "Two-factor authentication" });
    await twoFactor.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
    await twoFactor.getByText("is not correct").first().waitFor();
    await twoFactor.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
    const secret = ((await page.getByTestId("mfa-secret").textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel("Authentication code").fill(totpCode(secret, new Date()));
    await page.getByRole("button", { name: "Confirm", exact: true }).click();
    const codes = page.getByTestId("recovery-codes").getByRole("listitem");
    await codes.first().waitFor();
    const recoveryCodes = await codes.allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await page.getByText("You sign in with your password and a code").waitFor();

    // Sign out, then in again: password, then a code. The time step used to confirm cannot be
    // used again, so the code is the next step's (the server accepts one step of drift).
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(url("/login"));
    await signIn(page, email, PASSWORD);
    await page.getByRole("heading", { name: "Two-factor authentication", level: 1 }).waitFor();
    await page.getByLabel("Authentication code").fill(totpCode(secret, new Date(), 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await expectDashboard(page);

    // The catalog.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Controls" })
      .click();
    await page.waitForURL(url("/controls"));
    await page.locator("[data-control-key]").first().waitFor();
    const sections = page.locator("section[data-category]");
    const seen: [string, number][] = [];
    for (let i = 0; i < (await sections.count()); i++) {
      const section = sections.nth(i);
      seen.push([
        (await section.getAttribute("data-category")) ?? "",
        await section.locator("[data-control-key]").count(),
      ]);
    }
    expect(seen).toEqual(CATEGORIES);
    expect(await page.locator("[data-control-key]").count()).toBe(29);
    const bcdr = page.getByText("Business Continuity and Disaster Recovery Policy", {
      exact: true,
    });
    expect(await bcdr.isVisible()).toBe(true);

    const shots = fs.mkdtempSync(path.join(os.tmpdir(), "attest-e2e-"));
    const screenshot = path.join(shots, "controls.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
    await annotate(`full-page screenshot of the controls page: ${screenshot}`);

    // One control's page.
    const key = await page
      .locator("[data-control-key]")
      .filter({ has: bcdr })
      .getAttribute("data-control-key");
    expect(key).toBeTruthy();
    await bcdr.click();
    await page.waitForURL(url(`/controls/${key}`));
    await page
      .getByRole("heading", { name: "Business Continuity and Disaster Recovery Policy", level: 1 })
      .waitFor();
    await page.getByRole("heading", { name: "What this control requires" }).waitFor();
    await page.getByText("governs required processes for restoring the service").waitFor();
    // Each of the control's automated tests is named by its catalog description.
    await page
      .getByRole("heading", {
        name: "has a published version approved by a person with approval rights",
        level: 3,
      })
      .waitFor();
    await page
      .getByRole("complementary", { name: "Control details" })
      .getByText("Status", { exact: true })
      .waitFor();
    await page.getByRole("heading", { name: "Edit control" }).waitFor();

    expect(log.problems).toEqual([]);
  });

  test("an owner invites a member, who accepts in another browser, sets a password and sees the controls but not the administration pages", async () => {
    // An organization and its signed-in owner, made directly: the first test covers sign-in.
    const owner = await createOrganization(server, "Globex");
    const { context, page, log } = await openPage();
    const session = owner.client.cookie?.replace(/^attest_session=/, "") ?? "";
    await context.addCookies([{ name: "attest_session", value: session, url: server.baseUrl }]);

    await page.goto(url("/settings/users"));
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Invite user" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email").fill("mia@globex.test");
    await dialog.getByLabel("Name").fill("Mia Member");
    expect(await dialog.getByLabel("Role").inputValue()).toBe("member");
    await dialog.getByRole("button", { name: "Create invitation" }).click();
    const inviteUrl = ((await dialog.getByTestId("invite-url").textContent()) ?? "").trim();
    expect(inviteUrl.startsWith(url("/invite/"))).toBe(true);
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.locator('tr[data-user-email="mia@globex.test"]').getByText("Invited").waitFor();

    // The member, in a browser context of their own.
    const member = await openPage();
    await member.page.goto(inviteUrl);
    await member.page.getByRole("heading", { name: "Join Globex", level: 1 }).waitFor();
    expect(await member.page.getByLabel("Your name").inputValue()).toBe("Mia Member");
    await member.page.getByLabel("Password", { exact: true }).fill("member passphrase one");
    await member.page.getByRole("button", { name: "Accept invitation" }).click();
    await expectDashboard(member.page);

    const nav = member.page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Controls" }).waitFor();
    expect(await nav.getByRole("link", { name: "Users" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    await nav.getByRole("link", { name: "Controls" }).click();
    await member.page.locator("[data-control-key]").first().waitFor();
    expect(await member.page.locator("section[data-category]").count()).toBe(6);
    expect(await member.page.locator("[data-control-key]").count()).toBe(29);

    expect(log.problems).toEqual([]);
    expect(member.log.problems).toEqual([]);
  });

  test("an owner deactivates an invitee, reactivates them and gets a new invitation link", async () => {
    const owner = await createOrganization(server, "Initech");
    const { context, page, log } = await openPage();
    const session = owner.client.cookie?.replace(/^attest_session=/, "") ?? "";
    await context.addCookies([{ name: "attest_session", value: session, url: server.baseUrl }]);
    const invited = await owner.client.post("/api/v1/users", {
      email: "rita@initech.test",
      name: "Rita Returner",
      role: "member",
    });
    expect(invited.status).toBe(201);

    await page.goto(url("/settings/users"));
    const row = page.locator('tr[data-user-email="rita@initech.test"]');
    await row.getByRole("button", { name: "Deactivate Rita Returner" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Deactivate" }).click();
    await row.getByText("Deactivated").waitFor();

    await row.getByRole("button", { name: "Reactivate Rita Returner" }).click();
    const dialog = page.getByRole("dialog", { name: "Reactivate Rita Returner?" });
    await dialog.getByRole("button", { name: "Reactivate" }).click();
    const inviteUrl = ((await dialog.getByTestId("invite-url").textContent()) ?? "").trim();
    expect(inviteUrl.startsWith(url("/invite/"))).toBe(true);
    await dialog.getByRole("button", { name: "Done" }).click();
    await row.getByText("Invited").waitFor();
    expect(log.problems).toEqual([]);
  });

  test("the problem log notices a Content Security Policy violation", async () => {
    // Guards the assertions above: a watcher that saw nothing because it was broken would pass.
    const { page, log } = await openPage();
    await page.goto(url("/login"));
    await page.getByRole("heading", { name: "Sign in to Attest" }).waitFor();
    expect(log.problems).toEqual([]);
    await page.evaluate(
      `document.body.append(Object.assign(document.createElement("script"), { textContent: "1" }))`,
    );
    for (let i = 0; i < 50 && log.cspViolations.length < 2; i++) await page.waitForTimeout(100);
    // Seen both ways: the securitypolicyviolation event and Chromium's console message.
    expect(log.cspViolations.some((v) => v.startsWith("script-src"))).toBe(true);
    expect(log.cspViolations.some((v) => v.startsWith("console"))).toBe(true);
  });
});
