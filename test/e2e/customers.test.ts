// The customers journey: the owner imports customers from a CSV (preview, then import), sees a
// disposal overdue for a customer whose contract ended, records the disposal of each data store
// (one with a file of evidence), customer-data-retention's disposal-on-time passes, and the
// certificate of disposal downloads with every data store's method, date, who and evidence.
// Then one customer added on the new customer page, and its contract ended with "Edit terms".
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, isoDay } from "../../src/domain/dates.ts";
import { type Org, person, system } from "../factories.ts";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";
import { pageTexts } from "../helpers/pdf-text.ts";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let org: Org;
let downloads: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Hooli");
  org = { t: server, id: owner.organizationId, name: "Hooli", owner };
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), "attest-e2e-customers-"));
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
});

const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

async function disposalState(): Promise<string> {
  const reply = await owner.client.get("/api/v1/controls/customer-data-retention");
  expect(reply.status).toBe(200);
  return (reply.body.tests as { key: string; state: string }[]).find(
    (t) => t.key === "disposal-on-time",
  )?.state as string;
}

async function download(page: Page, link: string): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: link }).click(),
  ]);
  const saved = path.join(downloads, file.suggestedFilename());
  await file.saveAs(saved);
  return fs.readFileSync(saved);
}

describe("customers in a browser", () => {
  test("the owner imports customers, sees a disposal overdue, records it, the control passes and the certificate downloads", async () => {
    await system(org, { name: "Orders DB", customerData: true });
    await system(org, { name: "Tickets", customerData: true });
    await person(org, { name: "Dana Ops" });
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Customers", exact: true })
      .click();
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Import customers" }).click();
    await page.getByRole("heading", { name: "Import customers", level: 1 }).waitFor();

    const csv = [
      "name,reference,contract_start,contract_end,retention,data_stores",
      `Pied Piper,CRM-7,${dayAgo(500)},${dayAgo(100)},30,Orders DB;Tickets`,
      `Raviga,CRM-8,${dayAgo(200)},,policy,Orders DB`,
    ].join("\n");
    await page.getByLabel("Customers (CSV)").setInputFiles({
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByText("2 rows: 2 new, 0 changed, 0 unchanged.").waitFor();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").getByText("Imported: 2 new").waitFor();
    expect(await disposalState()).toBe("failing");

    // The list shows the overdue disposal; the customer's page, each data store's task.
    await page.getByRole("link", { name: "See the customers" }).click();
    const table = page.getByRole("region", { name: "Customers" });
    const row = table.getByRole("row", { name: /Pied Piper/ });
    await row.getByText("Disposal overdue").waitFor();
    await row.getByRole("link", { name: "Pied Piper" }).click();
    await page.getByRole("heading", { name: "Pied Piper", level: 1 }).waitFor();
    const tasks = page.getByRole("region", { name: "Disposal tasks" });
    await tasks.getByText("Overdue (70 days late)").first().waitFor();

    for (const [store, method, file] of [
      ["Orders DB", "Crypto-shredded", "kms-deletion.txt"],
      ["Tickets", "Deleted", null],
    ] as const) {
      await tasks
        .getByRole("row", { name: new RegExp(store) })
        .getByRole("button", { name: "Record disposal" })
        .click();
      const form = page.getByRole("form", { name: `Record the disposal in ${store}` });
      await form.getByLabel("Method").selectOption({ label: method });
      await form.getByLabel("Disposed of by").selectOption({ label: "Dana Ops" });
      if (file) {
        await form.getByLabel("Evidence (optional)").setInputFiles({
          name: file,
          mimeType: "text/plain",
          buffer: Buffer.from("Key alias/pied-piper scheduled for deletion."),
        });
      }
      await form.getByRole("button", { name: "Record the disposal" }).click();
      await tasks
        .getByRole("row", { name: new RegExp(store) })
        .getByText(/Disposed of late/)
        .waitFor();
    }
    await tasks.getByText("Evidence: kms-deletion.txt").waitFor();
    expect(await disposalState()).toBe("passing");

    const pdf = await download(page, "Download the certificate of disposal");
    const text = (await pageTexts(pdf)).join("\n");
    expect(text).toContain("Certificate of disposal: Pied Piper");
    expect(text).toContain("Method: Crypto-shredded");
    expect(text).toContain(`Disposed of on ${dayAgo(0)} (70 days after the deadline) by Dana Ops`);
    expect(text).toContain("Evidence: kms-deletion.txt");
    await page.screenshot({ path: path.join(downloads, "customer.png"), fullPage: true });
    expect(log.problems).toEqual([]);
  });

  test("the owner adds a customer on the new customer page, then ends its contract with Edit terms", async () => {
    await system(org, { name: "Billing DB", customerData: true });
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Customers", exact: true })
      .click();
    await page.getByRole("link", { name: "New customer" }).click();
    await page.getByRole("heading", { name: "New customer", level: 1 }).waitFor();

    const form = page.getByRole("form", { name: "New customer" });
    await form.getByLabel("Name").fill("Hooli XYZ");
    await form.getByLabel("Reference (optional)").fill("CRM-9");
    await form.getByLabel("Contract start").fill(dayAgo(60));
    // A contract ending before it starts: the server's answer shows on the field.
    await form.getByLabel("Contract end (optional)").fill(dayAgo(90));
    await form.getByLabel("Retention (days)").fill("45");
    await form.getByLabel("Billing DB").check();
    await form.getByRole("button", { name: "Add the customer" }).click();
    await form
      .getByText(/before the contract start/)
      .first()
      .waitFor();
    expect(await form.getByLabel("Contract end (optional)").getAttribute("aria-invalid")).toBe(
      "true",
    );
    await form.getByLabel("Contract end (optional)").fill("");
    await form.getByRole("button", { name: "Add the customer" }).click();

    await page.getByRole("heading", { name: "Hooli XYZ", level: 1 }).waitFor();
    const terms = page.getByRole("region", { name: "Terms", exact: true });
    await terms.getByText("45 days after the contract ends, agreed with the customer").waitFor();
    await terms.getByText(/– running/).waitFor();
    await terms.getByRole("link", { name: "Billing DB" }).waitFor();
    const id = new URL(page.url()).pathname.split("/").pop() as string;

    await page.getByRole("button", { name: "Edit terms" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit the terms of Hooli XYZ" });
    expect(await dialog.getByLabel("Name").inputValue()).toBe("Hooli XYZ");
    expect(await dialog.getByLabel("Retention (days)").inputValue()).toBe("45");
    expect(await dialog.getByLabel("Billing DB").isChecked()).toBe(true);
    await dialog.getByLabel("Contract end (optional)").fill(dayAgo(10));
    await dialog.getByRole("button", { name: "Save the terms" }).click();
    await dialog.waitFor({ state: "hidden" });
    await terms.getByText(/– running/).waitFor({ state: "detached" });
    await terms.getByText(/^(Ended|Disposal due)$/).waitFor();
    await page
      .getByRole("region", { name: "History of the terms" })
      .getByRole("listitem")
      .nth(1)
      .waitFor();

    const reply = await owner.client.get(`/api/v1/customers/${id}`);
    expect(reply.body).toMatchObject({
      name: "Hooli XYZ",
      reference: "CRM-9",
      contractStart: dayAgo(60),
      contractEnd: dayAgo(10),
      retention: { basis: "agreed", days: 45 },
      dataStores: [{ name: "Billing DB" }],
    });
    expect(reply.body.history).toHaveLength(2);
    expect(log.problems).toEqual([]);
  });
});
