// The journey in a browser: a critical finding first detected more than 7 days ago
// makes vulnerabilities-within-sla fail, naming it; the owner asks to accept the risk naming
// an admin as approver; the admin approves it from their risk acceptances; the control passes.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { system } from "../factories/systems.ts";
import type { Org } from "../factories.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
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
let admin: Person;
let org: Org;
const contexts: BrowserContext[] = [];
const CONTROL = "/controls/vulnerability-patch-management-policy";
const LABEL = "CVE-2024-3094 in xz-utils 5.6.0 on api-1";

beforeAll(async () => {
  [server, browser] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  owner = await createOrganization(server, "Vulnco");
  org = { t: server, id: owner.organizationId, name: "Vulnco", owner };
  admin = await addPerson(server, owner, "admin", "Ada Admin");
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

describe("vulnerabilities in a browser", () => {
  test("a critical finding past its 7 days fails the control until an admin approves accepting its risk", async () => {
    // A scan imported through the API, as the CLI does, first run 10 days ago.
    const api = await system(org, { name: "api-1", scanned: true });
    const scannedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const csv = [
      "title,severity,identifiers,package,installed_version,tool",
      "xz backdoor,critical,CVE-2024-3094,xz-utils,5.6.0,trivy",
      "",
    ].join("\n");
    const imported = await org.owner.client.request(
      "POST",
      `/api/v1/finding-imports?systemId=${api.id}&scannedAt=${encodeURIComponent(scannedAt)}&fileName=scan.csv`,
      csv,
      { "content-type": "text/csv" },
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);

    const url = (path: string) => `${server.baseUrl}${path}`;
    const owners = await newWatchedPage(browser, contexts, {
      viewport: { width: 1280, height: 900 },
    });
    await signInAs(owners.page, server.baseUrl, owner.email, PASSWORD);
    await owners.page.goto(url(CONTROL));
    const item = owners.page.locator('[data-test-key="vulnerabilities-within-sla"]');
    await item.getByText("Failing", { exact: true }).waitFor();
    await item.getByRole("link", { name: LABEL }).click();

    await owners.page.getByRole("heading", { name: "xz backdoor", level: 1 }).waitFor();
    await owners.page
      .getByText(/^Overdue since/)
      .first()
      .waitFor();
    await owners.page.getByRole("button", { name: "Ask to accept the risk" }).click();
    const dialog = owners.page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Not reachable from outside; the rebuild ships Friday.");
    await dialog.getByLabel("Approver").selectOption({ label: "Ada Admin" });
    await dialog.getByRole("button", { name: "Ask for approval" }).click();
    await dialog.waitFor({ state: "detached" });
    await owners.page.getByText("Awaiting a decision").waitFor();

    const admins = await newWatchedPage(browser, contexts, {
      viewport: { width: 1280, height: 900 },
    });
    await signInAs(admins.page, server.baseUrl, admin.email, PASSWORD);
    // The admin's menu counts what awaits their decision.
    await admins.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Risk acceptances\s*1 to decide$/ })
      .click();
    await admins.page.getByRole("heading", { name: "Risk acceptances", level: 1 }).waitFor();
    const mine = admins.page.getByRole("region", { name: "Awaiting my decision" });
    await mine.getByRole("link", { name: "xz backdoor" }).waitFor();
    await mine.getByRole("button", { name: "Approve" }).click();
    await admins.page.getByRole("dialog").getByRole("button", { name: "Approve" }).click();
    await admins.page.getByRole("dialog").waitFor({ state: "detached" });
    await mine.getByText("Nothing awaits your decision.").waitFor();

    await owners.page.goto(url(CONTROL));
    await item.getByText("Passing", { exact: true }).waitFor();
    const finding = await owner.client.get("/api/v1/findings?status=risk_accepted");
    expect(finding.body.items.map((f: { title: string }) => f.title)).toEqual(["xz backdoor"]);
    expect(owners.log.problems).toEqual([]);
    expect(admins.log.problems).toEqual([]);
  });
});
