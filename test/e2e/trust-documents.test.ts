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
import { makePdf, pageTexts } from "../helpers/pdf-text.ts";
import { startSmtpServer } from "../helpers/smtp.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-trust-documents");
const VISITOR = {
  name: "Grace Hopper",
  company: "Navy Systems",
  email: "grace@navy.test",
  reason: "Vendor security review before we sign",
};
const NDA = "## Non-disclosure\n\nYou keep what you read here **confidential** for three years.";
const PAGES = ["SOC 2 report, page one", "SOC 2 report, page two"];

let server: BrowserTestServer;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let owner: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  [server, browser] = await Promise.all([
    startBrowserTestServer({ smtpUrl: smtp.url, mailFrom: "Attest <attest@initech.test>" }),
    launchBrowser(),
  ]);
  fs.mkdirSync(SHOTS, { recursive: true });
  // The first organization is the one the public trust center serves.
  owner = await createOrganization(server, "Initech");
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

const openPage = () => newWatchedPage(browser, contexts, { acceptDownloads: true });

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  return file;
}

describe("trust center documents in a browser", () => {
  test("a visitor requests a gated document under the NDA, an admin approves it, the visitor downloads it stamped", async ({
    annotate,
  }) => {
    // The owner publishes the trust center, sets the NDA and uploads a gated PDF (API).
    expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    const settings = await owner.client.request("PUT", "/api/v1/trust-documents/settings", {
      ndaText: NDA,
      autoApproveDomains: [],
      linkDays: 7,
    });
    expect(settings.status).toBe(200);
    const form = new FormData();
    form.append("title", "SOC 2 Type II report");
    form.append("description", "Our latest SOC 2 Type II report");
    form.append("access", "gated");
    form.append(
      "file",
      new Blob([new Uint8Array(await makePdf(PAGES))], { type: "application/pdf" }),
      "soc2.pdf",
    );
    const uploaded = await owner.client.postForm("/api/v1/trust-documents/upload", form);
    expect(uploaded.status).toBe(201);
    const documentId = uploaded.body.id as string;

    // A visitor reads the trust center and asks for the report.
    const visitor = await openPage();
    await visitor.page.goto(url("/trust"));
    const section = visitor.page.getByRole("region", { name: "Documents" });
    await section.getByRole("heading", { name: "SOC 2 Type II report" }).waitFor();
    await section.getByText("Available on request", { exact: true }).waitFor();
    await annotate(`trust center: ${await screenshot(visitor.page, "trust")}`);
    await section.getByRole("link", { name: "Request access to SOC 2 Type II report" }).click();
    await visitor.page.getByRole("heading", { name: "Request access to documents" }).waitFor();
    expect(await visitor.page.getByLabel("SOC 2 Type II report").isChecked()).toBe(true);
    await visitor.page
      .getByRole("region", { name: "Non-disclosure agreement text" })
      .getByText("for three years")
      .waitFor();
    await visitor.page.getByLabel("Full name").fill(VISITOR.name);
    await visitor.page.getByLabel("Company").fill(VISITOR.company);
    await visitor.page.getByLabel("Work email").fill(VISITOR.email);
    await visitor.page.getByLabel("Why do you need these documents?").fill(VISITOR.reason);
    // Without accepting the NDA the browser does not send the form.
    await visitor.page.getByRole("button", { name: "Request access" }).click();
    expect(visitor.page.url()).toContain("/trust/request-access");
    await visitor.page.getByLabel("I accept the non-disclosure agreement above").check();
    await annotate(`request form: ${await screenshot(visitor.page, "request-form")}`);
    await visitor.page.getByRole("button", { name: "Request access" }).click();
    await visitor.page.waitForURL(url("/trust/request-access/sent"));
    await visitor.page.getByRole("heading", { name: /Thank you/ }).waitFor();

    // The owner is told, signs in and approves in the web app.
    const notice = smtp.messages.find((m) => m.to.includes(owner.email));
    expect(notice?.subject).toBe(`New document request from ${VISITOR.name} (${VISITOR.company})`);
    const admin = await openPage();
    await signInAs(admin.page, server.baseUrl, owner.email, PASSWORD);
    await admin.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Access requests" })
      .click();
    await admin.page.getByRole("heading", { name: "Access requests", level: 1 }).waitFor();
    const row = admin.page.getByRole("row", { name: new RegExp(VISITOR.name) });
    await row.getByText("Pending").waitFor();
    await row.getByRole("button", { name: `Review request from ${VISITOR.name}` }).click();
    const dialog = admin.page.getByRole("dialog");
    await dialog.getByText(VISITOR.reason).waitFor();
    await dialog.getByText(/^Accepted /).waitFor();
    await dialog.getByLabel("Note (optional, sent to the requester)").fill("Welcome!");
    await annotate(`request dialog: ${await screenshot(admin.page, "request-dialog")}`);
    await dialog.getByRole("button", { name: "Approve" }).click();
    await dialog.getByText("The requester has been emailed.").waitFor();
    await dialog.getByRole("button", { name: "Revoke link" }).waitFor();

    // The visitor opens the emailed link and downloads the report, stamped on every page.
    const mail = smtp.messages.find((m) => m.to.includes(VISITOR.email));
    expect(mail?.subject).toBe("Your access to Initech documents");
    const link = /http:\/\/127\.0\.0\.1:\d+\/trust\/access\/[A-Za-z0-9_-]+/.exec(mail?.body ?? "");
    expect(link).not.toBeNull();
    await visitor.page.goto(link?.[0] as string);
    await visitor.page.getByRole("heading", { name: "Your documents" }).waitFor();
    await annotate(`access page: ${await screenshot(visitor.page, "access")}`);
    const dayBefore = new Date().toISOString().slice(0, 10);
    const [download] = await Promise.all([
      visitor.page.waitForEvent("download"),
      visitor.page.getByRole("link", { name: "Download SOC 2 Type II report" }).click(),
    ]);
    const dayAfter = new Date().toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe("soc2.pdf");
    const file = fs.readFileSync(await download.path());
    const texts = await pageTexts(file);
    expect(texts).toHaveLength(PAGES.length);
    texts.forEach((text, index) => {
      expect(text).toContain(PAGES[index]);
      expect(text).toContain(
        `Confidential — provided to ${VISITOR.name} <${VISITOR.email}> by Initech on`,
      );
      expect(text.includes(dayBefore) || text.includes(dayAfter)).toBe(true);
    });

    // The admin sees the view and the download in the request's access log.
    await admin.page.reload();
    await admin.page.getByRole("heading", { name: "Access requests", level: 1 }).waitFor();
    await admin.page
      .getByRole("row", { name: new RegExp(VISITOR.name) })
      .getByRole("button", { name: `Details request from ${VISITOR.name}` })
      .click();
    const log = admin.page.getByRole("dialog").getByRole("region", { name: "Access log" });
    await log.getByText("Opened the link").waitFor();
    await log.getByText("Downloaded SOC 2 Type II report").waitFor();
    await annotate(`access log: ${await screenshot(admin.page, "access-log")}`);

    // The documents page lists the upload; the admin adds a public document there.
    await admin.page.keyboard.press("Escape");
    await admin.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Documents" })
      .click();
    await admin.page.getByRole("heading", { name: "Documents", level: 1 }).waitFor();
    await admin.page
      .locator(`[data-document-id="${documentId}"]`)
      .getByText("On request")
      .waitFor();
    await admin.page.getByLabel("Non-disclosure agreement (Markdown)").waitFor();
    expect(await admin.page.getByLabel("Non-disclosure agreement (Markdown)").inputValue()).toBe(
      NDA,
    );
    await admin.page.getByRole("button", { name: "Upload document" }).click();
    const upload = admin.page.getByRole("dialog");
    await upload.getByLabel("Access").selectOption("public");
    await upload.getByLabel("File").setInputFiles({
      name: "security-overview.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("How we keep your data safe."),
    });
    expect(await upload.getByLabel("Title").inputValue()).toBe("security-overview");
    await upload.getByLabel("Title").fill("Security overview");
    await upload.getByRole("button", { name: "Upload document" }).click();
    await upload.waitFor({ state: "hidden" });
    const overview = admin.page.getByRole("row", { name: /Security overview/ });
    await overview.getByText("Public").waitFor();
    await annotate(`documents page: ${await screenshot(admin.page, "documents")}`);

    // The visitor sees it on the trust center, to download without asking.
    await visitor.page.goto(url("/trust"));
    await visitor.page
      .getByRole("region", { name: "Documents" })
      .getByRole("link", { name: "Download Security overview" })
      .waitFor();

    expect(visitor.log.problems).toEqual([]);
    expect(admin.log.problems).toEqual([]);
  });
});
