// The endpoints journey: the owner registers an endpoint (a TLS server on loopback, trusted
// through ATTEST_PROBE_CA_FILE and allowed by ATTEST_PROBE_ALLOW_LOOPBACK), probes it now, sees
// it pass and encryption-in-transit pass; then registers a self-signed one, probes it, and sees
// it fail with its reason, and the control fail naming it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../src/platform/config.ts";
import { createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";
import {
  closeTlsFixtures,
  type LoopbackEndpoint,
  makeTlsFixtures,
  serve,
} from "../helpers/tls-servers.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-endpoints");

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let good: LoopbackEndpoint;
let selfSigned: LoopbackEndpoint;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const fixtures = makeTlsFixtures();
  [good, selfSigned] = await Promise.all([
    serve("good", { redirect: true, hsts: "max-age=31536000" }),
    serve("self", { redirect: true }),
  ]);
  [server, browser] = await Promise.all([
    startBrowserTestServer({
      probe: {
        ...loadConfig({}).probe,
        allowLoopback: true,
        caFile: fixtures.caFile,
        timeoutMs: 3_000,
      },
    }),
    launchBrowser(),
  ]);
  owner = await createOrganization(server, "Initech");
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await closeTlsFixtures();
});

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

async function register(page: Page, endpoint: LoopbackEndpoint) {
  await page.goto(url("/endpoints"));
  await page.getByRole("link", { name: "Register an endpoint" }).click();
  await page.getByRole("heading", { name: "Register an endpoint", level: 1 }).waitFor();
  await page.getByLabel("Host name").fill("localhost");
  await page.getByLabel("HTTPS port").fill(String(endpoint.port));
  await page.getByLabel("Plain HTTP port").fill(String(endpoint.httpPort));
  await page.getByRole("button", { name: "Register the endpoint" }).click();
  await page.getByRole("heading", { name: `localhost:${endpoint.port}`, level: 1 }).waitFor();
  await page.getByText("Not probed yet", { exact: true }).first().waitFor();
}

const testItem = (page: Page) => page.locator('[data-test-key="endpoints-tls"]');

describe("endpoints in a browser", () => {
  test("the owner registers a loopback endpoint, probes it, and sees it and the control pass; a self-signed one fails both", async ({
    annotate,
  }) => {
    const { page, log } = await newWatchedPage(browser, contexts);
    await signInAs(page, server.baseUrl, owner.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Endpoints", exact: true })
      .click();
    await page.getByRole("heading", { name: "Endpoints", level: 1 }).waitFor();
    await page.getByText("No endpoints registered").waitFor();

    await register(page, good);
    await page.getByRole("button", { name: "Probe now" }).click();
    await page.getByRole("status").getByText("Probed: it passed.").waitFor();
    await page.getByText("TLSv1.2, TLSv1.3").waitFor();
    const history = page.getByRole("region", { name: "Probe history" });
    await history.getByText("Passed", { exact: true }).waitFor();
    await annotate(`probed: ${await screenshot(page, "probed")}`);

    await page.goto(url("/controls/encryption-in-transit"));
    await testItem(page).getByText("Passing", { exact: true }).waitFor();

    await register(page, selfSigned);
    await page.getByRole("button", { name: "Probe now" }).click();
    await page.getByRole("status").getByText("Probed: it failed.").waitFor();
    await page
      .getByText(/the certificate chain does not validate: self-signed certificate/)
      .first()
      .waitFor();

    await page.goto(url("/endpoints"));
    const list = page.getByRole("region", { name: "Endpoints" });
    await list.getByText("Failing", { exact: true }).waitFor();
    await list.getByText("Passing", { exact: true }).waitFor();
    await annotate(`list: ${await screenshot(page, "list")}`);

    await page.goto(url("/controls/encryption-in-transit"));
    const item = testItem(page);
    await item.getByText("Failing", { exact: true }).waitFor();
    await item.getByRole("link", { name: `localhost:${selfSigned.port}` }).waitFor();
    await annotate(`failing: ${await screenshot(page, "control-failing")}`);
    expect(log.problems).toEqual([]);
  });
});
