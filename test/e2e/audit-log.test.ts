import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectFocusOnHeading, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "../helpers/a11y.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const run = promisify(execFile);
const VERIFIER = path.resolve("scripts/verify-audit-export.mjs");
const POLICY = "Access Control and Termination Policy";
const APPROVED = `Grace Hopper approved and published version 1 of ${POLICY}`;

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let policyId: string;
let downloads: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Analytical Engines");
  const admin = await addPerson(server, owner, "admin", "Grace Hopper");
  const created = await owner.client.post("/api/v1/policies", {
    title: POLICY,
    body: "# Access\n\nAccess is granted on need and removed on the last day.",
  });
  expect(created.status).toBe(201);
  policyId = created.body.id;
  expect((await owner.client.post(`/api/v1/policies/${policyId}/submit`)).status).toBe(200);
  expect((await admin.client.post(`/api/v1/policies/${policyId}/approve`, {})).status).toBe(200);
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), "attest-e2e-audit-"));
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
});

async function signIn(viewport: { width: number; height: number }) {
  const { page, log } = await newWatchedPage(browser, contexts, {
    viewport,
    acceptDownloads: true,
  });
  await signInAs(page, server.baseUrl, owner.email, PASSWORD);
  return { page, log };
}

async function openAuditLog(page: Page, search = "") {
  await page.goto(`${server.baseUrl}/audit${search}`);
  await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
  await page.getByRole("list", { name: "Audit events" }).waitFor();
}

/** Downloads an export through its button; answers the saved file and its suggested name. */
async function download(page: Page, button: string) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: button }).click(),
  ]);
  const saved = path.join(downloads, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return { saved, name: file.suggestedFilename() };
}

async function verify(file: string, ...flags: string[]) {
  return run(process.execPath, [VERIFIER, ...flags, file]).then(
    (ok) => ({ code: 0, stdout: ok.stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

const today = () => new Date().toISOString().slice(0, 10);

const SHOTS = path.join(os.tmpdir(), "attest-e2e-audit-log");

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe("the audit log in a browser", () => {
  test("an owner reads the trail in words, filters by a chosen action, follows a target and downloads both exports", async () => {
    const { page, log } = await signIn({ width: 1280, height: 900 });
    await openAuditLog(page);
    const events = page.getByRole("list", { name: "Audit events" }).getByRole("listitem");
    await expect.poll(() => events.count()).toBeGreaterThan(4);
    await page.getByText(APPROVED).waitFor();
    await page.getByText("Owner of Analytical Engines invited Grace Hopper").waitFor();
    await screenshot(page, "audit-log-1280");

    // Everything, as JSON lines: the whole chain verifies outside Attest.
    const whole = await download(page, "Export JSON lines");
    expect(whole.name).toBe(`attest-audit-trail-${today()}.jsonl`);
    const complete = await verify(whole.saved, "--complete");
    expect(complete).toMatchObject({ code: 0 });
    expect(complete.stdout).toContain("a complete chain from seq 1");

    // Filter by an action chosen from those in the trail.
    await page.getByLabel("Action").selectOption({ label: "Policy approved and published" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=policy\.published/);
    await expect.poll(() => events.count()).toBe(1);
    await page.getByText(APPROVED).waitFor();

    // The filtered exports hold that event only; each line still verifies on its own.
    const csv = await download(page, "Export CSV");
    expect(csv.name).toBe(`attest-audit-trail-${today()}.csv`);
    const rows = fs.readFileSync(csv.saved, "utf8").trimEnd().split("\r\n");
    expect(rows[0]).toMatch(/^seq,time,actor,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(APPROVED);
    const filtered = await download(page, "Export JSON lines");
    const lines = fs.readFileSync(filtered.saved, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).action)).toEqual(["policy.published"]);
    expect((await verify(filtered.saved)).code).toBe(0);

    // The target links to the policy's page.
    await page.getByRole("link", { name: POLICY }).click();
    await page.waitForURL(`**/policies/${policyId}`);
    await page.getByRole("heading", { name: POLICY, level: 1 }).waitFor();
    await expectFocusOnHeading(page);

    // The exports are in the trail too.
    await openAuditLog(page, "?action=audit.exported");
    await expect.poll(() => events.count()).toBe(3);
    await page
      .getByText("Owner of Analytical Engines exported the filtered audit trail as CSV")
      .waitFor();
    expect(log.problems).toEqual([]);
  });

  test("the audit log fits 320 px without scrolling sideways, and exports from there", async () => {
    const { page, log } = await signIn(REFLOW_VIEWPORT);
    await openAuditLog(page);
    await page.getByText(APPROVED).waitFor();
    await expectNoSidewaysScroll(page, "the audit log");
    await page.getByText("Details").first().click();
    await expectNoSidewaysScroll(page, "the audit log with an event's details open");
    await screenshot(page, "audit-log-320");
    const exported = await download(page, "Export JSON lines");
    expect((await verify(exported.saved, "--complete")).code).toBe(0);
    expect(log.problems).toEqual([]);
  });
});
