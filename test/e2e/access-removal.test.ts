import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiPerson, ownedSystem, sqlAccount, sqlGrant } from "../factories/access-workflow.ts";
import { personIdOfUser } from "../factories/shared.ts";
import type { Org } from "../factories.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-access-removal");

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let systemOwner: Person;
let requester: Person;
let org: Org;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Initech");
  systemOwner = await addPerson(server, owner, "member", "Sam Sysowner");
  requester = await addPerson(server, owner, "member", "Mia Member");
  org = { t: server, id: owner.organizationId, name: "Initech", owner };
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const openPage = () =>
  newWatchedPage(browser, contexts, { viewport: { width: 1280, height: 900 } });
const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

function testItem(page: Page) {
  return page.locator('[data-test-key="terminated-access-removed"]');
}

describe("access removal in a browser", () => {
  test("an admin sets a leaver's end date, the control shows the open access as due, the system owner revokes it, the control passes", async ({
    annotate,
  }) => {
    // The system owner's system, and a person with a grant and an account on it.
    const ownerPerson = await personIdOfUser(owner.client, systemOwner.id);
    const system = await ownedSystem(org, { ownerId: ownerPerson, name: "Payroll" });
    const leaver = await apiPerson(org, { name: "Lee Leaver" });
    await sqlGrant(org, { personId: leaver, systemId: system.id, systemRole: "clerk" });
    await sqlAccount(org, { personId: leaver, systemId: system.id, username: "lleaver" });

    // The admin sets the end date on the person's page.
    const admin = await openPage();
    await signInAs(admin.page, server.baseUrl, owner.email, PASSWORD);
    await admin.page.goto(url(`/people/${leaver}`));
    await admin.page.getByRole("heading", { name: "Lee Leaver", level: 1 }).waitFor();
    await admin.page.getByRole("button", { name: "Edit" }).click();
    const today = new Date().toISOString().slice(0, 10);
    await admin.page.getByRole("dialog").getByLabel("End date (optional)").fill(today);
    await admin.page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
    await admin.page.getByRole("dialog").waitFor({ state: "detached" });

    // access-removal shows the leaver's open access, due by the SLA.
    await admin.page.goto(url("/controls/access-removal"));
    const item = testItem(admin.page);
    await item.getByText("Due soon", { exact: true }).waitFor();
    await item.getByRole("link", { name: /^Lee Leaver \(P-\d+\)$/ }).waitFor();
    await item.getByText(/Revoke the 2 grants or accounts this leaver still holds/).waitFor();
    await annotate(`due: ${await screenshot(admin.page, "control-due")}`);

    // The system owner sees the tasks on the dashboard, then revokes both.
    const sam = await openPage();
    await signInAs(sam.page, server.baseUrl, systemOwner.email, PASSWORD);
    await sam.page.getByText("You have 2 access tasks to carry out").waitFor();
    await sam.page.getByRole("link", { name: "Go to my access tasks" }).click();
    await sam.page.getByRole("heading", { name: "Access tasks", level: 1 }).waitFor();
    const tasks = sam.page.getByRole("region", { name: "Access tasks" });
    await tasks.getByRole("cell", { name: /^Revoke clerk on Payroll/ }).waitFor();
    await tasks.getByRole("cell", { name: /^Remove account lleaver on Payroll/ }).waitFor();
    await annotate(`tasks: ${await screenshot(sam.page, "owner-tasks")}`);
    for (let left = 2; left > 0; left--) {
      await tasks
        .getByRole("button", { name: /^Mark done/ })
        .first()
        .click();
      await expect
        .poll(() => sam.page.getByRole("button", { name: /^Mark done/ }).count())
        .toBe(left - 1);
    }
    await sam.page.getByText("No tasks here").waitFor();

    // The control passes.
    await admin.page.reload();
    await testItem(admin.page).getByText("Passing", { exact: true }).waitFor();
    await annotate(`passing: ${await screenshot(admin.page, "control-passing")}`);
    expect(admin.log.problems).toEqual([]);
    expect(sam.log.problems).toEqual([]);
  });

  test("a member asks for access, the system owner approves it and carries it out from their tasks", async ({
    annotate,
  }) => {
    const ownerPerson = await personIdOfUser(owner.client, systemOwner.id);
    await ownedSystem(org, { ownerId: ownerPerson, name: "Ledger" });

    const mia = await openPage();
    await signInAs(mia.page, server.baseUrl, requester.email, PASSWORD);
    await mia.page.getByRole("link", { name: "Request access" }).click();
    await mia.page.getByRole("heading", { name: "System access requests", level: 1 }).waitFor();
    await mia.page.getByRole("main").getByRole("button", { name: "Request access" }).click();
    const dialog = mia.page.getByRole("dialog");
    await dialog.getByLabel("System", { exact: true }).selectOption({ label: "Ledger" });
    await dialog.getByLabel("Role on the system").fill("bookkeeper");
    await dialog.getByLabel("Why you need it").fill("Month-end closing");
    await dialog.getByRole("button", { name: "Send the request" }).click();
    await mia.page
      .getByRole("heading", { name: "bookkeeper on Ledger for Mia Member", level: 1 })
      .waitFor();
    await mia.page.getByText("Pending", { exact: true }).waitFor();
    // Mia may not decide her own request.
    expect(await mia.page.getByRole("button", { name: "Approve" }).count()).toBe(0);

    const sam = await openPage();
    await signInAs(sam.page, server.baseUrl, systemOwner.email, PASSWORD);
    await sam.page.goto(url("/access/requests"));
    await sam.page.getByText("Yours to decide").waitFor();
    await sam.page.getByRole("link", { name: "Mia Member" }).click();
    await sam.page.getByLabel("Comment (required to deny)").fill("Approved for closing");
    await sam.page.getByRole("button", { name: "Approve" }).click();
    await sam.page.getByText("Approved", { exact: true }).waitFor();
    await annotate(`approved: ${await screenshot(sam.page, "request-approved")}`);

    await sam.page.goto(url("/access/tasks"));
    const tasks = sam.page.getByRole("region", { name: "Access tasks" });
    await tasks.getByRole("cell", { name: /^Give bookkeeper on Ledger/ }).waitFor();
    await tasks.getByRole("button", { name: /^Mark done\s*: Give bookkeeper/ }).click();
    await sam.page.getByText("No tasks here").waitFor();
    expect(mia.log.problems).toEqual([]);
    expect(sam.log.problems).toEqual([]);
  });
});
