import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, isoDay } from "../../src/domain/dates.ts";
import { expectNoSidewaysScroll, REFLOW_VIEWPORT } from "../helpers/a11y.ts";
import { Client, PASSWORD } from "../helpers/app.ts";
import { backdatePolicy } from "../helpers/backdate.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const CONTROL = "access-control-termination-policy";
const TITLE = "Access Control and Termination Policy";
const OWNER = { name: "Ada Lovelace", email: "ada@initech.test", password: PASSWORD };
const MEMBER = { name: "Mia Member", email: "mia@initech.test", password: "member passphrase one" };
const SHOTS = path.join(os.tmpdir(), "attest-e2e-policies");

let server: BrowserTestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

/** A fresh browser context (its own cookies) with one page, watched for problems. */
const openPage = () => newWatchedPage(browser, contexts);

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  return file;
}

async function expectDashboard(page: Page) {
  await page.waitForURL(url("/"));
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Controls passing" }).waitFor();
}

/** "3 of 11 passing" on a category card of the dashboard, as 3. */
async function passingIn(page: Page, category: string): Promise<number> {
  const text = await page.locator(`[data-category="${category}"]`).textContent();
  const match = /(\d+) of \d+ passing/.exec(text ?? "");
  if (!match) throw new Error(`no passing count on the ${category} card: ${text}`);
  return Number(match[1]);
}

/** The page's own title (a policy's text brings its own h1, shown as a lower level). */
function pageTitle(page: Page, name: string) {
  return page.locator("h1.page-title", { hasText: name });
}

function nav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

describe("policies in a browser", () => {
  test("an admin publishes a policy, a member acknowledges it, the control turns from failing to passing on the dashboard", async ({
    annotate,
  }) => {
    const { page, log } = await openPage();

    // The owner sets up the organization; a new organization's dashboard.
    await page.goto(url("/"));
    await page.waitForURL(url("/setup"));
    await page.getByLabel("Organization name").fill("Initech");
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expectDashboard(page);
    await page.locator('[data-attention-key="bcdr-policy"]').getByText("No owner").waitFor();
    await page.getByText("There is no snapshot from yesterday yet").waitFor();
    await annotate(`new organization's dashboard: ${await screenshot(page, "dashboard-new")}`);

    // The member is invited through the API, and everyone started well in the past.
    const ownerApi = new Client(server.app);
    expect((await ownerApi.login(OWNER.email, OWNER.password)).status).toBe(200);
    const organizationId = (await ownerApi.get("/api/v1/me")).body.organization.id as string;
    const invited = await ownerApi.post("/api/v1/users", {
      email: MEMBER.email,
      name: MEMBER.name,
      role: "member",
    });
    expect(invited.status).toBe(201);
    const token = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
    const accepted = await new Client(server.app).post(`/api/v1/invitations/${token}/accept`, {
      name: MEMBER.name,
      password: MEMBER.password,
    });
    expect(accepted.status).toBe(200);
    const people = (await ownerApi.get("/api/v1/people")).body.items as { id: string }[];
    expect(people).toHaveLength(2);
    for (const person of people) {
      const started = isoDay(addDays(new Date(), -400));
      const patched = await ownerApi.patch(`/api/v1/people/${person.id}`, { startDate: started });
      expect(patched.status).toBe(200);
    }

    // The owner fills in the company profile (all but the security lead) on the Organization page.
    await nav(page).getByRole("link", { name: "Organization" }).click();
    await page.getByRole("heading", { name: "Company profile" }).waitFor();
    await page.setViewportSize(REFLOW_VIEWPORT);
    await expectNoSidewaysScroll(page, "organization settings");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel("Legal entity").fill("Initech LLC");
    await page.getByLabel("Product name").fill("Initech TPS");
    await page.getByLabel("Security contact email").fill("security@initech.test");
    await page.getByLabel("Hosting provider").fill("Initech Data Center");
    await page.getByRole("button", { name: "Save company profile" }).click();
    await page.getByText("Saved. New policies made from a template use it.").waitFor();
    await annotate(`organization settings: ${await screenshot(page, "organization")}`);

    // The owner creates the policy from its template.
    await nav(page).getByRole("link", { name: "Policies", exact: true }).click();
    await page.getByRole("heading", { name: "Policies", level: 1 }).waitFor();
    await page.getByText("No policies yet").waitFor();
    await page.getByRole("link", { name: "New policy" }).click();
    await page.waitForURL(url("/policies/new"));
    await page
      .locator(`[data-template-key="${CONTROL}"]`)
      .getByRole("button", { name: /^Use this template/ })
      .click();
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}$/);
    const policyId = new URL(page.url()).pathname.split("/").at(-1) as string;
    await pageTitle(page, TITLE).waitFor();

    // The draft has the profile written in; the security lead and the template note are left.
    const editor = page.getByLabel("Policy text (Markdown)");
    const template = await editor.inputValue();
    expect(template).toContain("Initech");
    expect(template).toContain("Initech TPS");
    expect(template).toContain("security@initech.test");
    const left = page.locator(".alert", { hasText: "Finish this text before it can be approved" });
    await left.getByText("Replace {{security_lead}}").waitFor();
    await left.getByText("Delete the template note").waitFor();
    expect(await left.locator("li").count()).toBe(2);

    // Submitted as it is, the approver sees what is left, and cannot approve it.
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.getByText("Version 1 awaits approval").waitFor();
    await page.getByRole("button", { name: "Approve and publish" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Finish version 1 before it can be approved").waitFor();
    await dialog.getByText("Replace {{security_lead}}").waitFor();
    await dialog.getByText("Delete the template note").waitFor();
    expect(await dialog.getByRole("button", { name: "Approve and publish" }).isDisabled()).toBe(
      true,
    );
    await annotate(`approve dialog, unfinished: ${await screenshot(page, "approve-unfinished")}`);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Reject" }).click();
    await dialog.getByLabel("Reason").fill("Name the security lead and delete the note");
    await dialog.getByRole("button", { name: "Reject" }).click();
    await page.getByText("Sent back to draft.").waitFor();

    // The owner adds the security lead to the company profile; the draft fills it in one
    // click, with the live preview, and the note goes in one click too; then saves.
    await nav(page).getByRole("link", { name: "Organization" }).click();
    await page.getByLabel("Security lead").fill("Ada Lovelace, CTO");
    await page.getByRole("button", { name: "Save company profile" }).click();
    await page.getByText("Saved. New policies made from a template use it.").waitFor();
    await page.goto(url(`/policies/${policyId}`));
    await page.getByRole("heading", { name: "Draft: version 1" }).waitFor();
    await page
      .getByRole("button", { name: "Fill in 1 placeholder from the company profile" })
      .click();
    expect(await editor.inputValue()).toContain("**Owner:** Ada Lovelace, CTO");
    await page
      .getByRole("region", { name: "Preview" })
      .getByText("Ada Lovelace, CTO")
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Remove the template note" }).click();
    expect(await editor.inputValue()).not.toContain("About this template");
    await page.getByText("Ready for approval").waitFor();
    await page.getByText("Unsaved changes").waitFor();
    expect(await page.getByRole("button", { name: "Submit for approval" }).isDisabled()).toBe(true);
    await page.getByLabel("Summary of changes (optional)").fill("Fill in the placeholders");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByText("Draft saved").waitFor();

    // Submits it, and approves and publishes it: approval writes the effective date.
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.getByText("Version 1 awaits approval").waitFor();
    await page.getByRole("button", { name: "Approve and publish" }).click();
    await dialog.getByText("No placeholder or template note is left in version 1.").waitFor();
    await dialog.getByLabel("Comment (optional)").fill("Read with the team");
    await dialog.getByRole("button", { name: "Approve and publish" }).click();
    await page.getByRole("heading", { name: "Current version: 1" }).waitFor();
    await page
      .getByRole("region", { name: "Current text" })
      .getByText(`Effective date: ${isoDay(new Date())}`)
      .waitFor();
    await page.getByText("Approved and published.").waitFor();
    const acknowledgements = page.getByRole("complementary", { name: "Policy details" });
    await acknowledgements.getByText("0 of 2").waitFor();
    await acknowledgements.getByRole("link", { name: MEMBER.name }).waitFor();
    await page.getByText("Approved for publication").waitFor();
    await annotate(`policy page: ${await screenshot(page, "policy")}`);

    // The owner acknowledges it too, from My policies: only the member is left.
    await nav(page)
      .getByRole("link", { name: /^My policies/ })
      .click();
    await page.getByRole("heading", { name: "My policies", level: 1 }).waitFor();
    await page.getByRole("link", { name: `Read and acknowledge ${TITLE}` }).click();
    await page.getByRole("button", { name: "I have read and acknowledge version 1" }).click();
    await page.getByText("You acknowledged version 1").waitFor();

    // A month later (the publication moved 31 days back) the member is late: not passing.
    await backdatePolicy(server, organizationId, policyId, 31);
    await nav(page).getByRole("link", { name: "Dashboard" }).click();
    await expectDashboard(page);
    const attention = page.locator(`[data-attention-key="${CONTROL}"]`);
    await attention.getByText("Failing", { exact: true }).waitFor();
    await attention.getByText(`Ask ${MEMBER.name} to acknowledge ${TITLE} v1`).waitFor();
    const passingBefore = await passingIn(page, "Access Security");

    await attention.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(url(`/controls/${CONTROL}`));
    const header = page.locator(".page-header");
    await header.getByText("Failing", { exact: true }).waitFor();
    const acknowledged = page.locator('[data-test-key="policy-acknowledged"]');
    await acknowledged.getByText("Failing", { exact: true }).waitFor();
    await acknowledged.getByRole("link", { name: new RegExp(MEMBER.name) }).waitFor();
    await page.locator('[data-test-key="policy-published"]').getByText("Passing").waitFor();
    await page.getByRole("img", { name: /^Daily status from/ }).waitFor();
    await annotate(`control page, member late: ${await screenshot(page, "control-failing")}`);

    // The member signs in, in a browser of their own, and acknowledges.
    const member = await openPage();
    await signInAs(member.page, server.baseUrl, MEMBER.email, MEMBER.password);
    await expectDashboard(member.page);
    await member.page.getByText("You have 1 policy to acknowledge").waitFor();
    await nav(member.page).getByRole("link", { name: "My policies 1 to acknowledge" }).click();
    await member.page.getByRole("heading", { name: "My policies", level: 1 }).waitFor();
    const item = member.page.locator(`[data-policy-id="${policyId}"]`);
    await item.getByText("Overdue since").waitFor();
    await item.getByRole("link", { name: `Read and acknowledge ${TITLE}` }).click();
    await pageTitle(member.page, TITLE).waitFor();
    await member.page.getByRole("heading", { name: "1. Purpose" }).waitFor();
    await member.page
      .getByRole("button", { name: "I have read and acknowledge version 1" })
      .click();
    await member.page.getByText("You acknowledged version 1").waitFor();
    await nav(member.page).getByRole("link", { name: "My policies", exact: true }).click();
    await member.page.getByText("You are up to date").waitFor();

    // The owner reloads the dashboard: the control passes.
    await page.goto(url("/"));
    await expectDashboard(page);
    await page.getByRole("button", { name: /^Show all/ }).click();
    await page.locator('[data-attention-key="bcdr-policy"]').waitFor();
    expect(await page.locator("[data-attention-key]").count()).toBeGreaterThan(6);
    expect(await page.locator(`[data-attention-key="${CONTROL}"]`).count()).toBe(0);
    expect(await passingIn(page, "Access Security")).toBe(passingBefore + 1);
    await annotate(`dashboard after the acknowledgement: ${await screenshot(page, "dashboard")}`);
    await page.goto(url(`/controls/${CONTROL}`));
    await header.getByText("Passing", { exact: true }).waitFor();
    await acknowledged.getByText("Passing", { exact: true }).waitFor();
    await annotate(`control page, passing: ${await screenshot(page, "control")}`);

    // As of 20 days ago, the member was not yet late: the point-in-time view says so.
    await page.getByLabel("View this control as of").fill(isoDay(addDays(new Date(), -20)));
    await page.getByRole("button", { name: "View as of this date" }).click();
    await page.getByText(/^Viewing as of /).waitFor();
    await acknowledged.getByText("Passing", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Back to today" }).first().click();
    await page.getByText(/^Viewing as of /).waitFor({ state: "detached" });

    // A second version: the draft starts from the current text; the diff marks the change.
    await page.goto(url(`/policies/${policyId}`));
    await page.getByRole("button", { name: "Start version 2" }).click();
    const draft = page.getByLabel("Policy text (Markdown)");
    await draft.fill(`${await draft.inputValue()}\n## 9. Contact\n\nWrite to the security lead.\n`);
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByText("Draft saved").waitFor();
    await page.getByRole("heading", { name: "Draft: version 2" }).waitFor();
    await page.getByText(/Version 1 → version 2: \d+ lines? added, 0 lines removed/).waitFor();
    const added = page.locator(".diff-added", { hasText: "## 9. Contact" });
    expect((await added.textContent())?.startsWith("+Added: ")).toBe(true);

    expect(log.problems).toEqual([]);
    expect(member.log.problems).toEqual([]);
  });
});
