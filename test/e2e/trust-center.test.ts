import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectNoSidewaysScroll, REFLOW_VIEWPORT } from "../helpers/a11y.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../helpers/app.ts";
import { ensureWebBuilt, launchBrowser, newWatchedPage } from "../helpers/browser.ts";
import { createFinishedPolicy } from "../helpers/policies.ts";

// The public pages are server-rendered: no web build needed, only the server on loopback.
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let owner: Person;
const contexts: BrowserContext[] = [];

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="18" fill="#0f766e"/></svg>';

async function publishPolicy(template: string) {
  const created = await createFinishedPolicy(owner, template);
  await owner.client.post(`/api/v1/policies/${created.body.id}/submit`);
  await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
  return created.body.id as string;
}

beforeAll(async () => {
  ensureWebBuilt(); // for the admin page; the public pages need no build
  [t, browser] = await Promise.all([createTestApp(), launchBrowser()]);
  baseUrl = await t.app.listen({ port: 0, host: "127.0.0.1" });
  owner = await createOrganization(t, "Initech");
  for (const template of ["description-of-services", "security-commitments", "terms-of-service"]) {
    await publishPolicy(template);
  }
  const catalog = (await owner.client.get("/api/v1/trust-center")).body.categories;
  await owner.client.patch("/api/v1/trust-center", {
    shownCategories: catalog.map((c: { name: string }) => c.name),
    tagline: "Security you can check.",
    overview:
      "We keep **customer data** safe.\n\n| Area | Status |\n|:--|--:|\n| Backups | daily |",
    primaryColor: "#7c3aed",
    contactEmail: "security@initech.test",
  });
  await owner.client.request("PUT", "/api/v1/trust-center/logo", {
    contentType: "image/svg+xml",
    data: Buffer.from(SVG).toString("base64"),
  });
  expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

const openPage = (width: number, height = 800) =>
  newWatchedPage(browser, contexts, { viewport: { width, height } });

describe("the public trust center in Chromium", () => {
  for (const width of [360, 1280]) {
    test(`should render at ${width} px with the theme and logo, no CSP violation, no other origin and no horizontal scroll`, async () => {
      const { page, log, context } = await openPage(width);
      const origins = new Set<string>();
      context.on("request", (request) => origins.add(new URL(request.url()).origin));
      const response = await page.goto(`${baseUrl}/trust`);
      expect(response?.status()).toBe(200);
      await page.getByRole("heading", { level: 1, name: "Initech Trust Center" }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Security controls" }).waitFor();
      await page.waitForLoadState("networkidle");

      // The generated theme applies: the header has the brand colour.
      const header = await page.evaluate(
        'getComputedStyle(document.querySelector(".site-header")).backgroundColor',
      );
      expect(header).toBe("rgb(124, 58, 237)");
      const logoWidth = await page.evaluate(
        'document.querySelector("img.brand-logo").naturalWidth',
      );
      expect(logoWidth).toBeGreaterThan(0);
      const overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect([...origins]).toEqual([baseUrl]);

      // The skip link is first in tab order and moves focus to the main content.
      await page.keyboard.press("Tab");
      expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
      await page.keyboard.press("Enter");
      expect(await page.evaluate("document.activeElement?.id")).toBe("main");

      await page.screenshot({
        path: path.join(os.tmpdir(), `attest-trust-${width}.png`),
        fullPage: true,
      });
      await page.getByRole("link", { name: "Terms of Service" }).click();
      await page.getByRole("heading", { level: 1, name: "Terms of Service" }).waitFor();
      expect(log.problems).toEqual([]);
      expect(log.cspViolations).toEqual([]);
    });
  }

  test("should let an admin change the colours, choose the controls, publish through the confirmation and see them live", async () => {
    const { page, log, context } = await openPage(1280);
    const token = owner.client.cookie?.split("=")[1] ?? "";
    await context.addCookies([{ name: "attest_session", value: token, url: baseUrl }]);
    await page.goto(`${baseUrl}/trust-center`);
    await page.getByRole("heading", { level: 1, name: "Trust center" }).waitFor();
    await page.getByText("Online", { exact: true }).waitFor();
    const primary = page.getByRole("textbox", { name: "Primary colour", exact: true });
    await primary.fill("#0e7490");
    // Communications whole, one Availability control on its own, only those in place.
    for (const category of [
      "Availability",
      "Confidentiality",
      "Vulnerability Management",
      "Incident Response",
      "Access Security",
    ]) {
      await page.getByRole("checkbox", { name: `${category} (whole category)` }).uncheck();
    }
    await page
      .getByRole("checkbox", { name: "Business Continuity and Disaster Recovery Policy" })
      .check();
    await page.getByRole("checkbox", { name: "Show only controls in place" }).check();
    const history = (await owner.client.get("/api/v1/trust-center")).body.history.length;
    await page.getByRole("button", { name: "Save and publish…" }).click();

    const dialog = page.getByRole("dialog", { name: "Publish the trust center?" });
    await dialog.getByTestId("publish-summary").waitFor();
    // The dialog says what the server says will be public; nothing is published yet.
    const expected = (await owner.client.get("/api/v1/trust-center/publish-summary")).body;
    expect(expected.controls).toMatchObject({ inProgress: 0, onlyInPlace: true });
    expect(expected.controls.inPlace).toBeGreaterThan(0);
    const summary = ((await dialog.getByTestId("publish-summary").textContent()) ?? "").replace(
      /\s+/g,
      " ",
    );
    expect(summary).toContain("The page is online now");
    expect(summary).toContain(
      `Security controls: ${expected.controls.inPlace} controls in place (only controls in place are listed).`,
    );
    expect(summary).toContain(`By category: Communications (${expected.controls.inPlace})`);
    expect(summary).toContain("Policies: ");
    expect(summary).toContain("Terms of Service, version 1");
    expect((await owner.client.get("/api/v1/trust-center")).body.history.length).toBe(history);
    await page.screenshot({ path: path.join(os.tmpdir(), "attest-trust-publish-dialog.png") });

    await dialog.getByRole("button", { name: "Publish now" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("Published.", { exact: true }).waitFor();
    expect((await owner.client.get("/api/v1/trust-center")).body.history.length).toBe(history + 1);
    await page.screenshot({ path: path.join(os.tmpdir(), "attest-trust-admin.png") });

    const live = await context.newPage();
    await live.goto(`${baseUrl}/trust`);
    await live.getByRole("heading", { level: 2, name: "Security controls" }).waitFor();
    expect(
      await live.evaluate(
        'getComputedStyle(document.querySelector(".site-header")).backgroundColor',
      ),
    ).toBe("rgb(14, 116, 144)");
    const categories = await live.getByRole("heading", { level: 3 }).allInnerTexts();
    expect(categories).toEqual(["Communications"]);
    expect(await live.locator(".card.control").count()).toBe(expected.controls.inPlace);
    // The BCDR policy is chosen but not in place (its policy is not published): not listed.
    expect(await live.locator("#control-bcdr-policy").count()).toBe(0);
    expect(await live.getByText("In progress").count()).toBe(0);
    expect(log.cspViolations).toEqual([]);
    expect(log.problems).toEqual([]);
  });

  test("should fit the admin page and its publish confirmation in 320 px, and publish nothing when cancelled", async () => {
    const { page, log, context } = await openPage(REFLOW_VIEWPORT.width, REFLOW_VIEWPORT.height);
    const token = owner.client.cookie?.split("=")[1] ?? "";
    await context.addCookies([{ name: "attest_session", value: token, url: baseUrl }]);
    await page.goto(`${baseUrl}/trust-center`);
    await page.getByRole("heading", { level: 1, name: "Trust center" }).waitFor();
    await page.getByRole("checkbox", { name: "Show only controls in place" }).waitFor();
    await expectNoSidewaysScroll(page, "the trust center admin page");
    const history = (await owner.client.get("/api/v1/trust-center")).body.history.length;
    await page.getByRole("button", { name: "Publish…" }).click();
    const dialog = page.getByRole("dialog", { name: "Publish the trust center?" });
    await dialog.getByTestId("publish-summary").waitFor();
    await expectNoSidewaysScroll(page, "the publish confirmation");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await owner.client.get("/api/v1/trust-center")).body.history.length).toBe(history);
    expect(log.problems).toEqual([]);
  });

  test("should show an admin the preview of the draft with its own theme and no CSP violation", async () => {
    await owner.client.patch("/api/v1/trust-center", { primaryColor: "#b91c1c" });
    const { page, log, context } = await openPage(1280);
    const token = owner.client.cookie?.split("=")[1] ?? "";
    await context.addCookies([{ name: "attest_session", value: token, url: baseUrl }]);
    const response = await page.goto(`${baseUrl}/api/v1/trust-center/preview`);
    expect(response?.status()).toBe(200);
    await page.getByText("this is the draft").waitFor();
    await page.waitForLoadState("networkidle");
    const header = await page.evaluate(
      'getComputedStyle(document.querySelector(".site-header")).backgroundColor',
    );
    expect(header).toBe("rgb(185, 28, 28)");
    expect(log.cspViolations).toEqual([]);
    expect(log.problems).toEqual([]);
  });
});
