// The encryption journey: a data store never confirmed and a key past its rotation period fail
// encryption-at-rest and keys-rotated; the owner confirms the store's encryption with a file
// filed as evidence and records the key's rotation, in the browser, and both controls pass.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backdateKey, dataStore, encryptionKey, type Org } from "../factories.ts";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-encryption");
const STORE = "Orders database";
const KEY = "Orders KMS key";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let org: Org;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Initech");
  org = { t: server, id: owner.organizationId, name: "Initech", owner };
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

async function testState(control: string, key: string): Promise<string> {
  const reply = await owner.client.get(`/api/v1/controls/${control}`);
  expect(reply.status).toBe(200);
  return (reply.body.tests as { key: string; state: string }[]).find((t) => t.key === key)
    ?.state as string;
}

describe("encryption in a browser", () => {
  test("the owner confirms a data store's encryption with evidence and records a key rotation; both controls pass", async ({
    annotate,
  }) => {
    await dataStore(org, { name: STORE, kind: "database", classification: "restricted" });
    const key = await encryptionKey(org, { name: KEY, rotationPeriodDays: 90 });
    await backdateKey(org, key.id, 120);
    expect(await testState("encryption-at-rest", "datastores-encrypted")).toBe("failing");
    expect(await testState("encryption-key-management-policy", "keys-rotated")).toBe("failing");

    const { page } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Encryption", exact: true })
      .click();
    await page.getByRole("heading", { name: "Encryption", level: 1 }).waitFor();
    const stores = page.getByRole("region", { name: "Data stores" });
    await stores
      .getByRole("row", { name: new RegExp(`${STORE}.*Never confirmed.*Overdue`) })
      .waitFor();
    const keys = page.getByRole("region", { name: "Keys" });
    await keys.getByRole("row", { name: new RegExp(`${KEY}.*Overdue`) }).waitFor();
    await annotate(`before: ${await screenshot(page, "before")}`);

    // Confirm the store's encryption at rest with a file of the console's setting.
    await stores.getByRole("link", { name: STORE }).click();
    await page.getByRole("heading", { name: STORE, level: 1 }).waitFor();
    await page.getByText("Never confirmed").first().waitFor();
    await page.getByRole("button", { name: "Confirm encryption" }).click();
    const confirm = page.getByRole("dialog", { name: `Confirm encryption at rest of ${STORE}` });
    await confirm.getByLabel("Evidence file").setInputFiles({
      name: "rds-encryption.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Storage encrypted: yes (KMS key orders-kms)"),
    });
    await confirm.getByLabel("Notes (optional)").fill("Checked in the RDS console.");
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await confirm.waitFor({ state: "detached" });
    await page.getByText("Confirmed with evidence by Owner of Initech").waitFor();
    await page.getByRole("link", { name: "rds-encryption.txt" }).waitFor();
    expect(await testState("encryption-at-rest", "datastores-encrypted")).toBe("passing");

    // Record the key's rotation.
    await page.getByRole("link", { name: "Encryption", exact: true }).first().click();
    await page.getByRole("region", { name: "Keys" }).getByRole("link", { name: KEY }).click();
    await page.getByRole("heading", { name: KEY, level: 1 }).waitFor();
    await page.getByText("Never rotated").waitFor();
    await page.getByRole("button", { name: "Record a rotation" }).click();
    const rotate = page.getByRole("dialog", { name: `Record a rotation of ${KEY}` });
    await rotate.getByLabel("New key version (optional)").fill("orders-kms-v2");
    await rotate.getByRole("button", { name: "Record rotation" }).click();
    await rotate.waitFor({ state: "detached" });
    await page.getByText("orders-kms-v2").waitFor();
    await page.getByText("Current").first().waitFor();
    await annotate(`after: ${await screenshot(page, "rotated")}`);
    expect(await testState("encryption-key-management-policy", "keys-rotated")).toBe("passing");
  });
});
