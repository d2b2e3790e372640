import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectFocusOnHeading, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "../helpers/a11y.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
  type WatchedPage,
} from "../helpers/browser.ts";
import { addLink, dayFromToday, uploadText } from "../helpers/evidence.ts";

// The evidence library page (/evidence): filters in the URL, search, validity in words,
// paging, and the way to each item's control; at 1280 px and at 320 px.
let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];
const SHOTS = path.join(os.tmpdir(), "attest-e2e-evidence");
const INVENTORY_ITEMS = 27;
const TOTAL = INVENTORY_ITEMS + 3;

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Evidence Library Inc");
  for (let i = 1; i <= INVENTORY_ITEMS; i++) {
    await addLink(owner.client, {
      controlKey: "asset-inventory",
      title: `Inventory export ${i}`,
      evidenceDate: dayFromToday(-5),
      url: `https://inventory.example.com/exports/${i}`,
    });
  }
  await addLink(owner.client, {
    controlKey: "backup-restoration-testing",
    title: "Restore drill: 100% of tables back",
    evidenceDate: dayFromToday(-20),
    validUntil: dayFromToday(10),
    url: "https://wiki.example.com/restore-drill",
  });
  await addLink(owner.client, {
    controlKey: "third-party-penetration-test",
    title: "Old penetration test report",
    evidenceDate: dayFromToday(-400),
    url: "https://pentest.example.com/report",
  });
  const file = await uploadText(
    owner.client,
    {
      controlKey: "encryption-at-rest",
      testKey: "datastores-encrypted",
      title: "KMS key policy",
      evidenceDate: dayFromToday(-1),
    },
    "kms-policy.txt",
    "The keys rotate yearly.",
  );
  expect(file.status).toBe(201);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function signedInPage(
  viewport: { width: number; height: number },
  person: Person = owner,
): Promise<WatchedPage> {
  const watched = await newWatchedPage(browser, contexts, { viewport });
  await signInAs(watched.page, server.baseUrl, person.email, PASSWORD);
  return watched;
}

const list = (page: Page) => page.getByRole("list", { name: "Evidence" });
const items = (page: Page) => list(page).getByRole("listitem");
const item = (page: Page, title: string): Locator =>
  items(page).filter({ has: page.getByRole("link", { name: title }) });

async function expectTitles(page: Page, titles: string[]) {
  await expect.poll(() => items(page).count()).toBe(titles.length);
  for (const title of titles) await item(page, title).waitFor();
}

/** A full-page screenshot for review, in the system's temporary directory. */
async function screenshot(page: Page, name: string) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
}

async function applyFilters(page: Page) {
  await page.getByRole("button", { name: "Apply filters" }).click();
}

/** Clears the filters and waits for the whole library (the form is new once the URL is). */
async function clearFilters(page: Page) {
  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await page.waitForURL((url) => url.search === "");
  await page.getByText(`Showing 25 of ${TOTAL} items`).waitFor();
}

describe("the evidence library in a browser", () => {
  test("filters, searches, shows validity in words, pages, and leads to each item's control", async () => {
    const { page, log } = await signedInPage({ width: 1280, height: 900 });
    await page.getByRole("navigation").getByRole("link", { name: "Evidence" }).click();
    await page.getByRole("heading", { name: "Evidence", level: 1 }).waitFor();
    await expectFocusOnHeading(page);
    expect(await page.getByText("Coming soon").count()).toBe(0);

    // The first page, newest first, with the count of everything; then the rest.
    await page.getByText(`Showing 25 of ${TOTAL} items`).waitFor();
    expect(await items(page).count()).toBe(25);
    await item(page, "KMS key policy").waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText(`Showing ${TOTAL} of ${TOTAL} items`).waitFor();
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await screenshot(page, "library-1280");

    // Validity says itself in words, not colour alone.
    await item(page, "Old penetration test report").getByText("Expired").waitFor();
    await item(page, "Restore drill: 100% of tables back").getByText("Expiring soon").waitFor();
    await item(page, "KMS key policy").getByText("Valid", { exact: true }).waitFor();
    // Each item shows its control and test, its dates and who added it.
    const kms = item(page, "KMS key policy");
    await kms.getByRole("link", { name: "Encryption-at-Rest" }).waitFor();
    await kms.getByText(/^Test: /).waitFor();
    await kms.getByText("kms-policy.txt", { exact: false }).waitFor();
    await kms.getByText("Owner of Evidence Library Inc").waitFor();
    expect(await kms.getByRole("link", { name: "KMS key policy" }).getAttribute("href")).toMatch(
      /^\/api\/v1\/evidence\/[0-9a-f-]+\/download$/,
    );

    // A filter goes into the URL, so the view can be shared and reloaded.
    await page.getByLabel("Validity").selectOption("expired");
    await applyFilters(page);
    await expectTitles(page, ["Old penetration test report"]);
    expect(new URL(page.url()).searchParams.get("validity")).toBe("expired");
    await page.reload();
    await expectTitles(page, ["Old penetration test report"]);
    expect(await page.getByLabel("Validity").inputValue()).toBe("expired");
    await clearFilters(page);

    // Search takes % literally.
    await page.getByLabel("Search").fill("100%");
    await applyFilters(page);
    await expectTitles(page, ["Restore drill: 100% of tables back"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("100%");

    // Kind and control, each on their own.
    await clearFilters(page);
    await page.getByLabel("Kind").selectOption("file");
    await applyFilters(page);
    await expectTitles(page, ["KMS key policy"]);
    await clearFilters(page);
    await page.getByLabel("Control").selectOption("asset-inventory");
    await applyFilters(page);
    await page.getByText(`Showing 25 of ${INVENTORY_ITEMS} items`).waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText(`Showing ${INVENTORY_ITEMS} of ${INVENTORY_ITEMS} items`).waitFor();

    // Nothing matches: say so, and offer the way back.
    await page.goto(`${server.baseUrl}/evidence?q=${encodeURIComponent("no such evidence")}`);
    await page.getByRole("heading", { name: "No evidence matches these filters" }).waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByText(`Showing 25 of ${TOTAL} items`).waitFor();

    // From an item to its control.
    await page.goto(`${server.baseUrl}/evidence?validity=expired`);
    await expectTitles(page, ["Old penetration test report"]);
    const control = item(page, "Old penetration test report").getByRole("link").nth(1);
    const controlTitle = (await control.textContent()) ?? "";
    await control.click();
    await page.waitForURL(/\/controls\/third-party-penetration-test$/);
    await page.getByRole("heading", { name: controlTitle, level: 1 }).waitFor();
    await expectFocusOnHeading(page);

    expect(log.problems).toEqual([]);
  });

  test("fits 320 px without scrolling sideways: the list, its filters, paging and the empty state", async () => {
    const { page, log } = await signedInPage(REFLOW_VIEWPORT);
    await page.goto(`${server.baseUrl}/evidence`);
    await page.getByRole("heading", { name: "Evidence", level: 1 }).waitFor();
    await page.getByText(`Showing 25 of ${TOTAL} items`).waitFor();
    await expectNoSidewaysScroll(page, "/evidence");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText(`Showing ${TOTAL} of ${TOTAL} items`).waitFor();
    await expectNoSidewaysScroll(page, "/evidence after Load more");
    await screenshot(page, "library-320");
    // Labels name each part of an item where the column headers are hidden.
    await item(page, "KMS key policy").getByText("Control", { exact: true }).waitFor();
    await item(page, "KMS key policy").getByText("Valid", { exact: true }).waitFor();

    await page.goto(`${server.baseUrl}/evidence?validity=expiring&kind=link`);
    await expectTitles(page, ["Restore drill: 100% of tables back"]);
    await item(page, "Restore drill: 100% of tables back").getByText("Expiring soon").waitFor();
    await expectNoSidewaysScroll(page, "/evidence?validity=expiring&kind=link");

    await page.goto(`${server.baseUrl}/evidence?q=nothing-like-this`);
    await page.getByRole("heading", { name: "No evidence matches these filters" }).waitFor();
    await expectNoSidewaysScroll(page, "/evidence, no match");
    expect(log.problems).toEqual([]);
  });

  test("a member, who does not see evidence, has no Evidence link and no library", async () => {
    const member = await addPerson(server, owner, "member", "Mo Member");
    const { page, log } = await signedInPage({ width: 1280, height: 900 }, member);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Controls" }).waitFor();
    expect(await nav.getByRole("link", { name: "Evidence" }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/evidence`);
    await page.getByRole("heading", { name: "No access", level: 1 }).waitFor();
    expect(await page.getByText("KMS key policy").count()).toBe(0);
    expect(log.problems).toEqual([]);
  });
});
