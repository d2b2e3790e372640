import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

const SHOTS = path.join(os.tmpdir(), "attest-e2e-people");

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Hooli");
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const url = (pathname: string) => `${server.baseUrl}${pathname}`;
const HEADER = "name,email,job_role,employment_type,start_date,end_date,manager_email";

describe("people in a browser", () => {
  test("an admin imports people from a CSV after fixing the row the preview names, finds one and offboards them; a manager loop and deleting someone with history are refused", async () => {
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page.goto(url("/people"));
    await page.getByRole("heading", { name: "People", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Import CSV" }).click();
    await page.getByRole("heading", { name: "Import people", level: 1 }).waitFor();

    // A file with an unknown manager: the problem is named, and nothing can be imported.
    const bad = [
      HEADER,
      "Gavin Belson,gavin@hooli.test,CEO,employee,2025-01-01,,",
      "Nelson Bighetti,bighead@hooli.test,Engineer,contractor,2025-02-01,,richard@hooli.test",
    ].join("\n");
    await page.getByLabel("CSV file").setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(bad),
    });
    const problems = page.getByRole("region", { name: /problem to fix first/ });
    await problems.getByRole("cell", { name: "manager_email" }).waitFor();
    await expect
      .poll(() => problems.getByRole("row").nth(1).textContent())
      .toMatch(/^3manager_email/);
    expect(await page.getByRole("button", { name: /^Import/ }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "problems.png"), fullPage: true });

    // Fixed: two people to add, then imported.
    const good = bad.replace("richard@hooli.test", "gavin@hooli.test");
    await page.getByLabel("CSV file").setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(good),
    });
    await page.getByRole("button", { name: "Import 2 people" }).click();
    await page.getByRole("status").getByText("2 people added").waitFor();

    // Found by search; their manager is linked; offboarded with today's date.
    await page.getByRole("link", { name: "See the people list" }).click();
    await page.getByLabel("Search").fill("bighead");
    await page.getByText("gavin@hooli.test").waitFor({ state: "detached" });
    await page.screenshot({ path: path.join(SHOTS, "list.png"), fullPage: true });
    await page.getByRole("link", { name: "Nelson Bighetti" }).click();
    await page.getByRole("heading", { name: "Nelson Bighetti", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Gavin Belson" }).waitFor();
    await page.getByText("Contractor").waitFor();
    await page.getByRole("button", { name: "Offboard" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("End date").fill("2027-03-31");
    await dialog.getByLabel("Reason (optional)").fill("Moved to a university");
    await dialog.getByRole("button", { name: "Offboard" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.screenshot({ path: path.join(SHOTS, "person.png"), fullPage: true });
    const person = (await owner.client.get("/api/v1/people?q=bighead")).body.items[0];
    expect(person.endDate).toBe("2027-03-31");

    // Their manager cannot report to them: the dialog names the field.
    await page.getByRole("link", { name: "Gavin Belson" }).click();
    await page.getByRole("heading", { name: "Gavin Belson", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog");
    await edit.getByLabel("Find a manager").fill("hooli");
    await edit.getByRole("option", { name: /Nelson Bighetti/ }).waitFor({ state: "attached" });
    await edit.getByLabel("Manager (optional)").selectOption({ label: "Nelson Bighetti (P-3)" });
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.getByText("reports to this person, directly or down the chain").first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, "manager.png"), fullPage: true });

    // Someone with history cannot be deleted: the dialog says to offboard instead.
    await edit.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await confirm.getByText("set an end date instead").waitFor();
    expect(log.problems.filter((p) => !/\b40[09]\b/.test(p))).toEqual([]);
  });
});
