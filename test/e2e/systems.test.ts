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

const SHOTS = path.join(os.tmpdir(), "attest-e2e-systems");

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Inventory Co");
  const person = await owner.client.post("/api/v1/people", {
    name: "Sam Owner",
    email: "sam@inventory.test",
    jobRole: "Engineer",
    startDate: "2024-01-01",
  });
  expect(person.status).toBe(201);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function testState(key: string, test: string): Promise<string> {
  const control = await owner.client.get(`/api/v1/controls/${key}`);
  return control.body.tests.find((t: { key: string }) => t.key === test).state;
}

describe("the inventory in a browser", () => {
  test("an owner lists a system with an owner and classification, changes it, sees the history, and signs off the inventory", async ({
    annotate,
  }) => {
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Systems" })
      .click();
    await page.getByRole("heading", { name: "Systems", level: 1 }).waitFor();
    await page.getByText("No systems match").waitFor();
    await page.getByRole("button", { name: "New system" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Customer database");
    await dialog.getByLabel("Kind").selectOption("database");
    await dialog.getByLabel("Owner").selectOption({ label: "Sam Owner (sam@inventory.test)" });
    await dialog.getByLabel("Production").check();
    await dialog.getByLabel("Holds customer data").check();
    await dialog.getByLabel("Job roles allowed", { exact: true }).fill("Engineer");
    await dialog.getByRole("button", { name: "Add to job roles allowed", exact: true }).click();
    await dialog.getByRole("button", { name: "Add system" }).click();
    await page.waitForURL(/\/systems\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Customer database", level: 1 }).waitFor();
    await page.getByText("Unclassified").first().waitFor();
    expect(await testState("data-classification-policy", "systems-classified")).toBe("failing");

    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("dialog").getByLabel("Data classification").selectOption("restricted");
    await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page
      .getByRole("region", { name: "History" })
      .getByText("Changed classification")
      .waitFor();
    expect(await testState("data-classification-policy", "systems-classified")).toBe("passing");
    await annotate(`system: ${await screenshot(page, "system")}`);

    await page.getByRole("link", { name: "All systems" }).click();
    await page.getByRole("region", { name: "Systems list" }).getByText("Sam Owner").waitFor();
    await annotate(`list: ${await screenshot(page, "systems")}`);
    await page.getByRole("link", { name: "Inventory review" }).click();
    await page.getByRole("heading", { name: "Inventory review", level: 1 }).waitFor();
    const changes = page.getByRole("region", { name: /^Changes/ });
    await changes.getByRole("link", { name: "Customer database" }).waitFor();
    expect(await testState("asset-inventory", "inventory-reviewed")).toBe("failing");
    await page.getByLabel("Comment (optional)").fill("Checked with Sam.");
    await page.getByRole("button", { name: "Sign off the inventory" }).click();
    await page.getByText("Signed off.").waitFor();
    await page
      .getByRole("region", { name: "Past sign-offs" })
      .getByText("Checked with Sam.")
      .waitFor();
    expect(await testState("asset-inventory", "inventory-reviewed")).toBe("passing");
    await annotate(`review: ${await screenshot(page, "inventory-review")}`);
    expect(log.problems).toEqual([]);
  });
});
