// The journey: an admin starts an access review of a production system, its owner (a
// member) keeps two grants and revokes one with a comment, carries the revocation out from
// their access tasks, the admin signs the review off, the control passes and the record
// downloads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiPerson, sqlGrant } from "../factories/access-workflow.ts";
import { personIdOfUser } from "../factories/shared.ts";
import { system } from "../factories/systems.ts";
import type { Org } from "../factories.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-access-reviews");
const CAMPAIGN = "Payments, fourth quarter";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let reviewer: Person;
let org: Org;
let downloads: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Initech");
  reviewer = await addPerson(server, owner, "member", "Sam Sysowner");
  org = { t: server, id: owner.organizationId, name: "Initech", owner };
  fs.mkdirSync(SHOTS, { recursive: true });
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), "attest-e2e-access-reviews-"));
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
});

const openPage = () =>
  newWatchedPage(browser, contexts, {
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

/** Downloads the record through its link; answers the file's bytes. */
async function download(page: Page, link: string): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: link }).click(),
  ]);
  const saved = path.join(downloads, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return fs.readFileSync(saved);
}

describe("access reviews in a browser", () => {
  test("an admin starts a review, the system owner keeps two grants and revokes one, carries it out, the admin signs off, the control passes and the record downloads", async ({
    annotate,
  }) => {
    // A production system owned by Sam (a member), with three people's grants on it.
    const sam = await personIdOfUser(owner.client, reviewer.id);
    const payments = await system(org, { name: "Payments", ownerId: sam, production: true });
    for (const [name, systemRole] of [
      ["Alice Archer", "viewer"],
      ["Bob Baker", "clerk"],
      ["Cara Cole", "approver"],
    ] as const) {
      const personId = await apiPerson(org, { name });
      await sqlGrant(org, { personId, systemId: payments.id, systemRole });
    }

    // The admin starts the review from the list.
    const admin = await openPage();
    await signInAs(admin.page, server.baseUrl, owner.email, PASSWORD);
    await admin.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Access reviews", exact: true })
      .click();
    await admin.page.getByRole("heading", { name: "Access reviews", level: 1 }).waitFor();
    await admin.page.getByRole("button", { name: "Start a review" }).click();
    const dialog = admin.page.getByRole("dialog");
    await dialog
      .getByRole("group", { name: "Systems in scope (production or customer data)" })
      .getByLabel(/^Payments/)
      .check();
    await dialog.getByLabel("Name (optional)").fill(CAMPAIGN);
    await dialog.getByRole("button", { name: "Start the review" }).click();
    await admin.page.getByRole("heading", { name: CAMPAIGN, level: 1 }).waitFor();
    const campaignUrl = admin.page.url();
    const items = admin.page.getByRole("region", { name: "Items of the review" });
    await items.getByRole("row").nth(3).waitFor();
    expect(await items.getByText("Undecided", { exact: true }).count()).toBe(3);
    await admin.page.getByText("Before sign-off: 3 items to decide.").waitFor();
    expect(await admin.page.getByRole("button", { name: "Sign off" }).isDisabled()).toBe(true);

    // Sam sees the items on the dashboard and decides them on My access reviews.
    const owner2 = await openPage();
    const page = owner2.page;
    await signInAs(page, server.baseUrl, reviewer.email, PASSWORD);
    await page.getByText("You have 3 access review items to decide").waitFor();
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "My access reviews 3 to decide" })
      .waitFor();
    await page.getByRole("link", { name: "Go to my access reviews" }).click();
    await page.getByRole("heading", { name: "My access reviews", level: 1 }).waitFor();
    await page.getByRole("heading", { name: CAMPAIGN, level: 2 }).waitFor();
    await page.getByLabel(/^Select Alice Archer: viewer on Payments/).check();
    await page.getByLabel(/^Select Bob Baker: clerk on Payments/).check();
    await page.getByText("2 items selected").waitFor();
    await page.getByRole("button", { name: "Keep", exact: true }).click();
    await page.getByText("Kept 2 items.").waitFor();
    await page.getByText("1 item to decide").waitFor();
    await page.getByLabel(/^Select Cara Cole: approver on Payments/).check();
    await annotate(`deciding: ${await screenshot(page, "reviewer-deciding")}`);
    await page.getByRole("button", { name: "Revoke…" }).click();
    const revoke = page.getByRole("dialog");
    // A revoke needs a comment: the form does not go without one.
    await revoke.getByRole("button", { name: "Revoke 1 item" }).click();
    expect(await revoke.isVisible()).toBe(true);
    await revoke
      .getByLabel("Why this access is no longer needed")
      .fill("Moved to sales; approvals are no longer part of the job.");
    await revoke.getByRole("button", { name: "Revoke 1 item" }).click();
    await page.getByText("Nothing to review").waitFor();
    // The button pressed went with the list: focus is on the page's heading, not lost.
    await page.locator("h1:focus").waitFor();
    // Sam, a member, reads the campaign with his decisions; the record is for readers of access.
    await page.goto(campaignUrl);
    await page.getByRole("heading", { name: CAMPAIGN, level: 1 }).waitFor();
    const mine = page.getByRole("region", { name: "Items of the review" });
    await mine.getByText("“Moved to sales; approvals are no longer part of the job.”").waitFor();
    expect(await mine.getByText("Keep", { exact: true }).count()).toBe(2);
    expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Sign off" }).count()).toBe(0);

    // The admin sees what is left before sign-off: the revocation.
    await admin.page.reload();
    await admin.page.getByText("Before sign-off: 1 revocation to carry out.").waitFor();
    await items.getByText("To carry out", { exact: true }).waitFor();

    // Sam carries the revocation out from their access tasks.
    await page.goto(url("/access/tasks"));
    const tasks = page.getByRole("region", { name: "Access tasks" });
    await tasks.getByRole("cell", { name: /^Revoke approver on Payments/ }).waitFor();
    await tasks.getByRole("button", { name: /^Mark done\s*: Revoke approver/ }).click();
    await page.getByText("No tasks here").waitFor();

    // The admin signs off.
    await admin.page.reload();
    await items.getByText("Carried out", { exact: true }).waitFor();
    await admin.page.getByRole("button", { name: "Sign off" }).click();
    await admin.page.getByRole("status").getByText("Signed off", { exact: true }).waitFor();
    await annotate(`signed off: ${await screenshot(admin.page, "signed-off")}`);

    // The record downloads, with each decision and the revocation.
    const csv = (await download(admin.page, "Download CSV")).toString("utf8");
    for (const text of ["Alice Archer", "Bob Baker", "Cara Cole", "Moved to sales"]) {
      expect(csv).toContain(text);
    }
    const pdf = await download(admin.page, "Download PDF");
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // The control counts the review.
    // INTEGRATOR: access-reviews-current comes with helper 2's check (branch h2); until it is
    // merged the test item is absent and this step fails.
    await admin.page.getByRole("link", { name: "See the control" }).click();
    await admin.page.getByRole("heading", { name: "User Access Reviews", level: 1 }).waitFor();
    await admin.page
      .locator('[data-test-key="access-reviews-current"]')
      .getByText("Passing", { exact: true })
      .waitFor();
    await annotate(`control: ${await screenshot(admin.page, "control-passing")}`);

    expect(admin.log.problems).toEqual([]);
    expect(owner2.log.problems).toEqual([]);
  });

  test("from the system page, an admin starts a review, hands the owner's own grant to another reviewer, decides it, and cancels the review", async () => {
    const sam = await personIdOfUser(owner.client, reviewer.id);
    const ledger = await system(org, { name: "Ledger", ownerId: sam, customerData: true });
    await sqlGrant(org, { personId: sam, systemId: ledger.id, systemRole: "bookkeeper" });
    const dana = await apiPerson(org, { name: "Dana Dunn" });
    await sqlGrant(org, { personId: dana, systemId: ledger.id, systemRole: "auditor" });

    const admin = await openPage();
    await signInAs(admin.page, server.baseUrl, owner.email, PASSWORD);
    await admin.page.goto(url(`/systems/${ledger.id}`));
    await admin.page.getByRole("heading", { name: "Ledger", level: 1 }).waitFor();
    await admin.page.getByRole("link", { name: "Review access" }).click();
    const dialog = admin.page.getByRole("dialog", { name: "Start an access review" });
    expect(await dialog.getByLabel(/^Ledger/).isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Start the review" }).click();
    await admin.page.getByRole("heading", { name: /^Access review of \d{4}-/, level: 1 }).waitFor();

    // Sam's own grant has no reviewer: sign-off says so.
    const items = admin.page.getByRole("region", { name: "Items of the review" });
    await items.getByText("Needs a reviewer", { exact: true }).waitFor();
    await admin.page
      .getByText("Before sign-off: 2 items to decide, 1 item needing a reviewer.")
      .waitFor();
    await items.getByLabel(/^Select Sam Sysowner: bookkeeper on Ledger/).check();
    await admin.page.getByRole("button", { name: "Reassign…" }).click();
    const reassign = admin.page.getByRole("dialog", { name: "Reassign 1 item" });
    await reassign.getByLabel("Reviewer").selectOption({ label: "Owner of Initech" });
    await reassign.getByRole("button", { name: "Reassign", exact: true }).click();
    await admin.page.getByText("Reassigned 1 item.").waitFor();
    await admin.page.getByText("Before sign-off: 2 items to decide.").waitFor();

    // Now the admin's to decide.
    await items.getByLabel(/^Select Sam Sysowner: bookkeeper on Ledger/).check();
    await admin.page.getByRole("button", { name: "Keep", exact: true }).click();
    await admin.page.getByText("Kept 1 item.").waitFor();
    await admin.page.getByText("Before sign-off: 1 item to decide.").waitFor();

    // Cancelled, with a reason.
    await admin.page.getByRole("button", { name: "Cancel review" }).click();
    const cancel = admin.page.getByRole("dialog", { name: "Cancel the access review" });
    await cancel.getByLabel("Why it is cancelled").fill("Ledger is being replaced this month.");
    await cancel.getByRole("button", { name: "Cancel the review" }).click();
    await admin.page.getByText(/^Cancelled .*: Ledger is being replaced this month\.$/).waitFor();
    expect(await admin.page.getByRole("button", { name: "Cancel review" }).count()).toBe(0);
    expect(admin.log.problems).toEqual([]);
  });
});
