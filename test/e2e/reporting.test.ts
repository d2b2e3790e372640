import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withSystem } from "../../src/db/tenant.ts";
import {
  issuePageChallenge,
  NOSCRIPT_WAIT_MS,
} from "../../src/modules/reporting/reporting.crypto.ts";
import { Client, PASSWORD } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const OWNER = { name: "Hana Handler", email: "hana@initech.test", password: PASSWORD };
const SUBJECT = "Badge readers let anyone in";
const DETAILS = "Since Monday the badge reader at the back door opens for any card.";
const REPLY = "Thank you. Which building is it?";
const ANSWER = "Building B, the loading dock.";
const OUTCOME = "The reader was replaced and now checks every badge.";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-reporting");

let server: BrowserTestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // A light proof of work, so the check runs in the page but quickly.
  [server, browser] = await Promise.all([
    startBrowserTestServer({ reportPowBits: 10 }),
    launchBrowser(),
  ]);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

/** A fresh browser context (its own cookies) with one page, watched for problems. */
const openPage = (options: { javaScriptEnabled?: boolean } = {}) =>
  newWatchedPage(browser, contexts, options);

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  return file;
}

describe("the confidential reporting channel in a browser", () => {
  test("an anonymous reporter submits a report, a handler replies, the reporter reads the reply with the key and answers", async ({
    annotate,
  }) => {
    // The organization exists and its trust center is published.
    const ownerApi = new Client(server.app);
    const setup = await ownerApi.post("/api/v1/setup", {
      organizationName: "Initech",
      name: OWNER.name,
      email: OWNER.email,
      password: OWNER.password,
    });
    expect(setup.status).toBe(201);
    expect((await ownerApi.post("/api/v1/trust-center/publish", {})).status).toBe(200);

    // The reporter finds the form on the trust center and sends a report.
    const reporter = await openPage();
    await reporter.page.goto(url("/trust"));
    await reporter.page.locator("#report").scrollIntoViewIfNeeded();
    await annotate(`the trust center's section: ${await screenshot(reporter.page, "trust")}`);
    await reporter.page.getByRole("link", { name: "Report a concern" }).click();
    await reporter.page.waitForURL(url("/trust/report"));
    await reporter.page.getByLabel("What is it about?").selectOption("security");
    await reporter.page.getByLabel("Subject").fill(SUBJECT);
    await reporter.page.getByLabel("What happened").fill(DETAILS);
    await annotate(`the form: ${await screenshot(reporter.page, "form")}`);
    await reporter.page.getByRole("button", { name: "Send report" }).click();
    await reporter.page.getByRole("heading", { name: "Thank you, your report was sent" }).waitFor();
    const key = (await reporter.page.locator(".report-key-value code").textContent())?.trim() ?? "";
    expect(key).toMatch(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    const reference = (await reporter.page.locator(".lead strong").textContent())?.trim() ?? "";
    expect(reference).toMatch(/^R-\d{4}$/);
    await annotate(`the key, shown once: ${await screenshot(reporter.page, "key")}`);
    // The reporter's browser holds no cookie of ours.
    expect(await reporter.context.cookies()).toEqual([]);

    // The handler (the owner, as nobody is designated) signs in and answers.
    const handler = await openPage();
    await signInAs(handler.page, server.baseUrl, OWNER.email, OWNER.password);
    await handler.page.goto(url("/reports"));
    await handler.page.getByRole("heading", { name: "Confidential reports", level: 1 }).waitFor();
    const row = handler.page.locator("tr", { hasText: reference });
    await row.getByText("Received").waitFor();
    await row.getByRole("link", { name: reference }).click();
    await handler.page.getByRole("heading", { name: SUBJECT }).waitFor();
    await handler.page.getByText(DETAILS).waitFor();
    await handler.page.getByText("Anonymous: no contact details.").waitFor();
    await handler.page.getByLabel("Reply to the reporter").fill(REPLY);
    await handler.page.getByRole("button", { name: "Send to reporter" }).click();
    await handler.page.locator(".report-message-handler", { hasText: REPLY }).waitFor();
    await handler.page.locator(".report-facts").getByText("Acknowledged").waitFor();
    await annotate(`the report: ${await screenshot(handler.page, "report")}`);

    // The reporter comes back with the key, reads the reply and answers.
    await reporter.page.goto(url("/trust/report/follow-up"));
    await reporter.page.getByLabel("Follow-up key").fill(key.toLowerCase());
    await reporter.page.getByRole("button", { name: "Open my report" }).click();
    await reporter.page.getByRole("heading", { name: `Report ${reference}` }).waitFor();
    await reporter.page.locator(".report-message-handler", { hasText: REPLY }).waitFor();
    await reporter.page.getByLabel("Your reply").fill(ANSWER);
    await reporter.page.getByRole("button", { name: "Send reply" }).click();
    await reporter.page.getByText("Your reply was sent.").waitFor();
    await reporter.page.locator(".report-message-reporter", { hasText: ANSWER }).waitFor();
    await annotate(`the follow-up: ${await screenshot(reporter.page, "follow-up")}`);
    // The key never went into a URL.
    expect(reporter.page.url()).not.toContain(key);
    expect(reporter.page.url()).not.toContain(key.toLowerCase());

    // The handler sees the answer waiting in the inbox and reads it.
    await handler.page.goto(url("/reports"));
    await handler.page
      .locator("tr", { hasText: reference })
      .getByText("Reporter replied")
      .waitFor();
    await annotate(`the inbox: ${await screenshot(handler.page, "inbox")}`);
    await handler.page.getByRole("link", { name: reference }).click();
    await handler.page.locator(".report-message-reporter", { hasText: ANSWER }).waitFor();

    // The handler closes the report with an outcome, which the reporter reads.
    await handler.page.getByRole("button", { name: "Close with outcome…" }).click();
    const dialog = handler.page.getByRole("dialog", { name: `Close ${reference}` });
    await dialog.getByLabel("Outcome").fill(OUTCOME);
    await dialog.getByRole("button", { name: "Close report" }).click();
    await handler.page.getByRole("heading", { name: "Outcome" }).waitFor();
    await handler.page.locator(".report-facts").getByText("Closed").waitFor();
    await reporter.page.goto(url("/trust/report/follow-up"));
    await reporter.page.getByLabel("Follow-up key").fill(key);
    await reporter.page.getByRole("button", { name: "Open my report" }).click();
    await reporter.page.locator(".report-outcome", { hasText: OUTCOME }).waitFor();
    await reporter.page.getByText("This report is closed.").waitFor();

    // Nothing about the reporter's browser reached the database.
    const rows = await withSystem(server.deps.db, async (tx) => {
      const reports = await tx.selectFrom("reports").selectAll().execute();
      return JSON.stringify(reports);
    });
    expect(rows).not.toContain("HeadlessChrome");
    expect(rows).not.toContain("127.0.0.1");

    expect(reporter.log.problems).toEqual([]);
    expect(handler.log.problems).toEqual([]);
    expect(reporter.log.cspViolations).toEqual([]);
    expect(handler.log.cspViolations).toEqual([]);
  });

  test("the anti-spam check still runs where the browser withholds WebCrypto (a page over plain http)", async () => {
    const reporter = await openPage();
    await reporter.context.addInitScript(
      'Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined, configurable: true });',
    );
    await reporter.page.goto(url("/trust/report"));
    expect(await reporter.page.evaluate("typeof window.crypto.subtle")).toBe("undefined");
    await reporter.page.getByLabel("Subject").fill("Tailgating at the side entrance");
    await reporter.page.getByLabel("What happened").fill("People hold the door for strangers.");
    await reporter.page.getByRole("button", { name: "Send report" }).click();
    await reporter.page.getByRole("heading", { name: "Thank you, your report was sent" }).waitFor();
    const key = (await reporter.page.locator(".report-key-value code").textContent())?.trim() ?? "";
    expect(key).toMatch(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    expect(reporter.log.problems).toEqual([]);
  });

  test("a reporter without JavaScript is asked to wait, keeps the typed text, and sends after the wait", async ({
    annotate,
  }) => {
    const reporter = await openPage({ javaScriptEnabled: false });
    // Instead of sleeping through the wait, the retry carries a page challenge issued the wait
    // ago (signed with the server's key), as the form would after a real wait.
    let waited = false;
    await reporter.context.route(url("/trust/reports"), async (route) => {
      const body = new URLSearchParams(route.request().postData() ?? "");
      if (waited) {
        const past = new Date(Date.now() - NOSCRIPT_WAIT_MS);
        body.set("pageChallenge", issuePageChallenge(server.deps.keyring.macKey, past));
      }
      await route.continue({ postData: body.toString() });
    });
    await reporter.page.goto(url("/trust/report"));
    // Chromium shows the <noscript> notice (see the screenshot), but Playwright's text
    // selectors skip <noscript> content, so the markup is read instead.
    expect(await reporter.page.content()).toContain("Without JavaScript you can still send it");
    await reporter.page.getByLabel("Subject").fill("Visitor log left on the front desk");
    await reporter.page.getByLabel("What happened").fill("Anyone can read who visited and when.");
    await reporter.page.getByRole("button", { name: "Send report" }).click();
    await reporter.page.getByText("was sent too soon").first().waitFor();
    expect(await reporter.page.getByLabel("Subject").inputValue()).toBe(
      "Visitor log left on the front desk",
    );
    await annotate(`sent too soon: ${await screenshot(reporter.page, "no-script-early")}`);

    waited = true;
    await reporter.page.getByRole("button", { name: "Send report" }).click();
    await reporter.page.getByRole("heading", { name: "Thank you, your report was sent" }).waitFor();
    const key = (await reporter.page.locator(".report-key-value code").textContent())?.trim() ?? "";
    expect(key).toMatch(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    expect(await reporter.context.cookies()).toEqual([]);
    expect(reporter.log.problems).toEqual([]);
  });
});
