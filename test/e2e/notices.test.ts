import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
import { type ReceivedMail, startSmtpServer } from "../helpers/smtp.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-notices");

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  [server, browser] = await Promise.all([
    startBrowserTestServer({ smtpUrl: smtp.url }),
    launchBrowser(),
  ]);
  owner = await createOrganization(server, "Initech");
  expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

const openPage = (width = 1280) =>
  newWatchedPage(browser, contexts, { viewport: { width, height: 900 } });

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

async function mailTo(address: string, subject: string): Promise<ReceivedMail> {
  for (let i = 0; i < 400; i++) {
    const found = smtp.messages.find((m) => m.to.includes(address) && m.subject.includes(subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail "${subject}" to ${address}`);
}

describe("notices in a browser", () => {
  test("an admin writes and publishes a notice, a visitor subscribes with double opt-in and gets the next update by mail", async ({
    annotate,
  }) => {
    const admin = await openPage();
    await signInAs(admin.page, server.baseUrl, owner.email, PASSWORD);

    // A new notice: a draft first, edited with the live preview.
    await admin.page.goto(url("/notices"));
    await admin.page.getByRole("heading", { name: "Notices", level: 1 }).waitFor();
    await admin.page.getByText("No notices yet").waitFor();
    await admin.page.getByRole("button", { name: "New notice" }).click();
    const dialog = admin.page.getByRole("dialog");
    await dialog.getByLabel("Title").fill("Password reset tokens exposed in logs");
    await dialog.getByLabel("Severity").selectOption("high");
    await dialog.getByLabel("Affected services").fill("Login, API");
    await dialog.getByLabel("Text (Markdown)").fill("We found reset tokens in our logs.");
    await dialog.getByRole("button", { name: "Save draft" }).click();
    await admin.page.waitForURL(/\/notices\/[0-9a-f-]{36}$/);
    await admin.page
      .locator("h1.page-title", { hasText: "Password reset tokens exposed in logs" })
      .waitFor();
    await admin.page
      .getByLabel("Text (Markdown)")
      .fill("We found reset tokens in our logs.\n\n**Reset your password** if asked to.");
    await admin.page
      .getByRole("region", { name: "Preview" })
      .locator("strong", { hasText: "Reset your password" })
      .waitFor();
    await admin.page.getByRole("button", { name: "Save draft" }).click();
    await admin.page.getByText("Draft saved.").waitFor();
    await annotate(`draft: ${await screenshot(admin.page, "notice-draft")}`);

    // The visitor sees nothing of the draft.
    const visitor = await openPage(390);
    await visitor.page.goto(url("/trust/notices"));
    await visitor.page.getByText("Nothing has been published yet.").waitFor();

    // The visitor subscribes, and confirms from the mail: the link shows a button first.
    await visitor.page.getByLabel("Email address").fill("reader@example.test");
    await visitor.page.getByRole("button", { name: "Subscribe" }).click();
    await visitor.page.getByRole("heading", { name: "Check your inbox" }).waitFor();
    const confirmation = await mailTo("reader@example.test", "Confirm your subscription");
    const confirmPath = /\/trust\/subscriptions\/confirm\/[A-Za-z0-9_-]+/.exec(
      confirmation.body,
    )?.[0];
    expect(confirmPath).toBeTruthy();
    await visitor.page.goto(url(confirmPath as string));
    await visitor.page.getByRole("button", { name: "Confirm subscription" }).click();
    await visitor.page.getByRole("heading", { name: "You are subscribed" }).waitFor();

    // The admin publishes, notifying subscribers.
    await admin.page.getByRole("button", { name: "Publish…" }).click();
    const publish = admin.page.getByRole("dialog");
    expect(await publish.getByLabel("Notify subscribers by email").isChecked()).toBe(true);
    await publish.getByRole("button", { name: "Publish", exact: true }).click();
    await admin.page.getByRole("heading", { name: "Post an update" }).waitFor();
    const published = await mailTo("reader@example.test", "Password reset tokens");
    expect(published.subject).toBe("[High] Password reset tokens exposed in logs");
    expect(published.headers["list-unsubscribe"]).toMatch(/^<http.*\/unsubscribe\/.+>$/);

    // An update, mailed too; then the notice is resolved.
    await admin.page.getByLabel("Update (Markdown)").fill("All reset tokens were revoked.");
    await admin.page.getByLabel("Notify subscribers by email").check();
    await admin.page.getByRole("button", { name: "Post update" }).click();
    await admin.page.getByRole("heading", { name: "Updates" }).waitFor();
    await mailTo("reader@example.test", "Update: [High]");
    await admin.page.getByRole("button", { name: "Resolve…" }).click();
    await admin.page.getByRole("dialog").getByRole("button", { name: "Resolve" }).click();
    await admin.page.getByRole("button", { name: "Resolve…" }).waitFor({ state: "detached" });
    await annotate(`published: ${await screenshot(admin.page, "notice-resolved")}`);

    // The subscriber shows in the admin list.
    await admin.page.goto(url("/notices"));
    await admin.page
      .getByRole("region", { name: "Subscribers" })
      .getByRole("cell", { name: "reader@example.test", exact: true })
      .waitFor();

    // The visitor reads it on the trust center, with its update, on a phone-sized screen.
    await visitor.page.goto(url("/trust/notices"));
    await visitor.page.getByRole("link", { name: "Password reset tokens exposed in logs" }).click();
    await visitor.page.getByRole("heading", { name: "Updates" }).waitFor();
    await visitor.page.getByText("All reset tokens were revoked.").waitFor();
    await visitor.page.getByText("Resolved", { exact: true }).first().waitFor();
    const overflow = await visitor.page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await annotate(`public notice: ${await screenshot(visitor.page, "notice-public")}`);
    await visitor.page.goto(url("/trust"));
    await visitor.page.getByRole("heading", { name: "Notices", level: 2 }).waitFor();
    await visitor.page.locator("#notices").getByText("Recently resolved").waitFor();
    const sectionShot = path.join(SHOTS, "trust-page-section.png");
    await visitor.page.locator("#notices").screenshot({ path: sectionShot });
    await annotate(`trust page section: ${sectionShot}`);

    expect(admin.log.problems).toEqual([]);
    expect(visitor.log.problems).toEqual([]);
  });
});
