// The restore test journey: a backed-up system never restore-tested fails restore-tested; the
// owner opens Restore tests, follows the system's "Record a test", is refused a restore into
// production, records one into staging with two integrity checks, and the control passes.
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

const SHOTS = path.join(os.tmpdir(), "attest-e2e-continuity");
const SYSTEM = "Orders database";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Globex");
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
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

async function restoreTested(): Promise<string> {
  const reply = await owner.client.get("/api/v1/controls/backup-restoration-testing");
  expect(reply.status).toBe(200);
  return (reply.body.tests as { key: string; state: string }[]).find(
    (t) => t.key === "restore-tested",
  )?.state as string;
}

describe("restore tests in a browser", () => {
  test("recording a restore test of a backed-up system turns restore-tested from failing to passing", async ({
    annotate,
  }) => {
    const made = await owner.client.post("/api/v1/systems", {
      name: SYSTEM,
      kind: "database",
      classification: "confidential",
      backedUp: true,
      production: true,
    });
    expect(made.status).toBe(201);
    expect(await restoreTested()).toBe("failing");

    const { page } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Restore tests", exact: true })
      .click();
    await page.getByRole("heading", { name: "Restore tests", level: 1 }).waitFor();
    const systems = page.getByRole("table", { name: "Backed-up systems" });
    await systems.getByRole("cell", { name: SYSTEM, exact: true }).waitFor();
    await systems.getByText("Never restore-tested").waitFor();
    await annotate(`failing: ${await screenshot(page, "failing")}`);

    await page.getByRole("link", { name: `Record a restore test of ${SYSTEM}` }).click();
    await page.getByRole("heading", { name: "Record a restore test", level: 1 }).waitFor();
    await expect.poll(() => page.getByLabel("System restored").inputValue()).toBe(made.body.id);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Backup taken on").fill(yesterday);
    await page.getByLabel("Restored into").fill("Staging, a scratch PostgreSQL cluster");
    await page.getByLabel("Performed by").selectOption({ label: "Owner of Globex" });
    await page.getByLabel("Check 1", { exact: true }).fill("Row counts per table");
    await page.getByRole("button", { name: "Add a check" }).click();
    await page.getByLabel("Check 2", { exact: true }).fill("Application reads the data");
    await page.getByLabel("What check 2 found (optional)").fill("The staging app listed orders.");

    // Into production: refused, on that field.
    await page.getByLabel("This environment is production").check();
    await page.getByRole("button", { name: "Record the test" }).click();
    await page
      .getByText(/a restore into production does not test the backup safely/)
      .first()
      .waitFor();
    expect(
      await page.getByLabel("This environment is production").getAttribute("aria-invalid"),
    ).toBe("true");
    expect(await restoreTested()).toBe("failing");

    await page.getByLabel("This environment is production").uncheck();
    await page.getByRole("button", { name: "Record the test" }).click();
    await page.getByRole("heading", { name: `Restore test of ${SYSTEM}`, level: 1 }).waitFor();
    await page.getByRole("cell", { name: "Application reads the data" }).waitFor();
    await annotate(`recorded: ${await screenshot(page, "recorded")}`);
    expect(await restoreTested()).toBe("passing");

    await page.getByRole("link", { name: "Restore tests", exact: true }).first().click();
    await systems.getByText("Tested").waitFor();
  });
});
