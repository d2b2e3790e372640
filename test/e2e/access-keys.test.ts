import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sshKey } from "../factories/access-keys.ts";
import { apiPerson, ownedSystem } from "../factories/access-workflow.ts";
import { personIdOfUser } from "../factories/shared.ts";
import type { Org } from "../factories.ts";
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
let org: Org;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Keyco");
  org = { t: server, id: owner.organizationId, name: "Keyco", owner };
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

describe("the key registry in a browser", () => {
  test("an admin registers a pasted SSH key on a person's page, sees its fingerprint, and revokes it", async () => {
    const ownerPerson = await personIdOfUser(owner.client, owner.id);
    await ownedSystem(org, { ownerId: ownerPerson, name: "Bastion host" });
    const person = await apiPerson(org, { name: "Kay Keyholder" });
    const key = sshKey("kay@laptop");

    const { page, log } = await newWatchedPage(browser, contexts, {
      viewport: { width: 1280, height: 900 },
    });
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page.goto(`${server.baseUrl}/people/${person}`);
    await page.getByRole("heading", { name: "Kay Keyholder", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Register a key" }).click();
    const dialog = page.getByRole("dialog");
    // A private key pasted by mistake is refused, naming the field.
    await dialog.getByLabel("Paste an SSH public key").fill("-----BEGIN OPENSSH PRIVATE KEY-----");
    await dialog.getByLabel("Bastion host").check();
    await dialog.getByRole("button", { name: "Register key" }).click();
    await dialog.locator(".field-error").first().waitFor();
    await dialog.getByLabel("Paste an SSH public key").fill(key.line);
    await dialog.getByRole("button", { name: "Register key" }).click();
    await dialog.waitFor({ state: "detached" });

    const section = page.getByRole("region", { name: "Keys of this person" });
    await section.getByRole("link", { name: "kay@laptop" }).click();
    await page.getByRole("heading", { name: "kay@laptop", level: 1 }).waitFor();
    await page.getByText(key.fingerprint).waitFor();
    await page.getByRole("link", { name: "Bastion host" }).first().waitFor();

    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByLabel("Reason").fill("Laptop replaced");
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByText("Laptop replaced").waitFor();

    const stored = await owner.client.get(`/api/v1/access-keys?personId=${person}`);
    expect(stored.body.items).toEqual([
      expect.objectContaining({ fingerprint: key.fingerprint, status: "revoked", systems: [] }),
    ]);
    expect(log.problems).toEqual([]);
  });
});
