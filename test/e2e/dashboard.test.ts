import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectNoSidewaysScroll, REFLOW_VIEWPORT } from "../helpers/a11y.ts";
import { addPerson, createOrganization, PASSWORD } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-dashboard");

// No SMTP server here: outgoing mail is off.
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

/** A phone-sized browser context (320 px wide) with one page, watched for problems. */
const openNarrowPage = () => newWatchedPage(browser, contexts, { viewport: REFLOW_VIEWPORT });

describe("the dashboard's setup signals in a browser", () => {
  test("an owner sees the getting-started steps computed from data and that mail is off, at 320 px; a member sees neither", async () => {
    const owner = await createOrganization(server, "Signals Co");
    // Some progress made through the API: one control owned.
    const owned = await owner.client.patch("/api/v1/controls/bcdr-policy", { ownerId: owner.id });
    expect(owned.status).toBe(200);

    const { page, log } = await openNarrowPage();
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    const checklist = page.getByRole("region", { name: "Getting started" });
    await checklist.waitFor();
    const steps = checklist.getByRole("listitem");
    expect(await steps.count()).toBe(4);
    await checklist.getByText("1 of 29 controls owned").waitFor();
    await checklist.getByText("0 of 11 policies published").waitFor();
    await checklist.getByText("Only you so far").waitFor();
    await checklist.getByText("The owner has not turned it on yet").waitFor();
    expect(
      await checklist
        .getByRole("link", { name: "Turn on two-factor authentication for every owner" })
        .getAttribute("href"),
    ).toBe("/account#two-factor");
    expect(
      await checklist
        .getByRole("link", { name: "Give every control an owner" })
        .getAttribute("href"),
    ).toBe("/controls");

    const mail = page.getByRole("region", { name: "Outgoing mail" });
    await mail.getByText("Outgoing mail is off").waitFor();
    expect(await mail.textContent()).toContain("ATTEST_SMTP_URL");
    await expectNoSidewaysScroll(page, "the dashboard with its checklist and mail notice");
    await page.screenshot({ path: path.join(SHOTS, "dashboard-320.png"), fullPage: true });

    // A step done elsewhere shows as done when the dashboard is opened again.
    await addPerson(server, owner, "admin");
    await page.reload();
    await checklist.getByText("2 active users").waitFor();
    expect(
      await checklist
        .getByRole("listitem")
        .filter({ hasText: "Invite your team and assign roles" })
        .getAttribute("class"),
    ).toContain("checklist-done");
    expect(log.problems).toEqual([]);

    // Members can act on none of it: no checklist, no mail notice.
    const member = await addPerson(server, owner, "member");
    const other = await openNarrowPage();
    await signInAs(other.page, server.baseUrl, member.email, PASSWORD);
    await other.page.getByRole("heading", { name: "Last 12 months" }).waitFor();
    expect(await other.page.getByRole("region", { name: "Getting started" }).count()).toBe(0);
    expect(await other.page.getByText("Outgoing mail is off").count()).toBe(0);
    expect(other.log.problems).toEqual([]);
  });
});
