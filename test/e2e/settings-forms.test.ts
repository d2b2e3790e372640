// The three forms under Settings that change the organization (Monitoring, Organization, Company
// profile) share one save (web/src/components/OrganizationSave.tsx): only what changed is sent,
// nothing when nothing did, "saved" is said until a field changes, and a field the server
// refuses is marked and focused.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Forms Co");
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

test("the settings forms send only what changed, say when saved, and mark and focus a field the server refuses", async () => {
  const { page, log } = await newWatchedPage(browser, contexts);
  await signInAs(page, server.baseUrl, owner.email, PASSWORD);
  await page.goto(`${server.baseUrl}/settings/monitoring`);
  const review = page.getByLabel("Review every (days)");
  await review.fill("200");
  const patches = watchPatches(page);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Saved. Every control was re-evaluated with these periods.").waitFor();
  expect(patches).toEqual(['{"settings":{"policyReviewDays":200}}']);
  await review.fill("201");
  await expect.poll(() => page.getByRole("status").first().textContent()).toBe("");
  await review.fill("200");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Saved. Every control was re-evaluated with these periods.").waitFor();
  expect(patches).toHaveLength(1);
  const org = await owner.client.get("/api/v1/organization");
  expect(org.body.settings.policyReviewDays).toBe(200);

  await page.goto(`${server.baseUrl}/settings/organization`);
  await page.getByLabel("Organization name").fill("Forms Co Renamed");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Saved", { exact: true }).waitFor();
  expect(patches.at(-1)).toBe('{"name":"Forms Co Renamed"}');
  // Past the browser's own check of the URL field, to the server's.
  await page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })");
  await page.getByLabel("Website").fill("not a url");
  await page.getByRole("button", { name: "Save company profile" }).click();
  await expect
    .poll(() => page.evaluate("document.activeElement && document.activeElement.name"))
    .toBe("websiteUrl");
  await expect.poll(() => page.getByLabel("Website").getAttribute("aria-invalid")).toBe("true");
  expect(patches.at(-1)).toBe('{"companyProfile":{"websiteUrl":"not a url"}}');
  await page.getByLabel("Website").fill("https://forms.example");
  await page.getByRole("button", { name: "Save company profile" }).click();
  await page.getByText("Saved. New policies made from a template use it.").waitFor();
  expect(patches.at(-1)).toBe('{"companyProfile":{"websiteUrl":"https://forms.example"}}');
  expect(log.problems).toEqual([]);
});

/** The bodies of the PATCH requests the page sends, as they are sent. */
function watchPatches(page: Page): string[] {
  const bodies: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "PATCH") bodies.push(request.postData() ?? "");
  });
  return bodies;
}
