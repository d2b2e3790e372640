import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  chromium,
  type Page,
} from "playwright-core";
import type { Config } from "../../src/platform/config.ts";
import { createTestApp, type TestApp } from "./app.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Debian's Chromium unless ATTEST_CHROMIUM_PATH names another build. */
export const CHROMIUM_PATH = process.env.ATTEST_CHROMIUM_PATH || "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches Chromium. A missing browser is an error, never a skip: a CI run without Chromium
 * must fail rather than pass without running the browser tests.
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, which is missing or not executable. ` +
        "Install Debian's chromium package (apt-get install chromium) or set ATTEST_CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

let webBuilt = false;

/** Builds web/dist when it is missing or older than its sources; once per worker. */
export function ensureWebBuilt(): void {
  if (webBuilt) return;
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-web-if-stale.js")], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (!fs.existsSync(path.join(ROOT, "web/dist/index.html"))) {
    throw new Error("web/dist/index.html is missing after building the web app");
  }
  webBuilt = true;
}

export interface BrowserTestServer extends TestApp {
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
}

/**
 * The real server, listening on a free local port over the test file's own database, serving
 * the built web app. The web app is built first: buildServer only serves web/dist if it exists.
 */
export async function startBrowserTestServer(
  overrides: Partial<Config> = {},
): Promise<BrowserTestServer> {
  ensureWebBuilt();
  const t = await createTestApp(overrides);
  try {
    const baseUrl = await t.app.listen({ port: 0, host: "127.0.0.1" });
    // As a deployment sets ATTEST_PUBLIC_URL: links in mail point where the server is reached
    // (the port is only known once it listens).
    t.deps.config.publicUrl ??= baseUrl;
    return { ...t, baseUrl };
  } catch (error) {
    await t.close();
    throw error;
  }
}

// The browser logs every 4xx answer as a console error ("Failed to load resource: the server
// responded with a status of 401 (Unauthorized)"); the app expects some (GET /me before sign-in).
const EXPECTED_CLIENT_ERROR =
  /^Failed to load resource: the server responded with a status of 4\d\d\b/;
const CSP_MESSAGE = /Content Security Policy/i;

const CSP_BINDING = "__attestReportCspViolation";
// A string, not a function: the server's tsconfig has no DOM types. Runs in every frame before
// the page's own scripts.
const CSP_LISTENER = `document.addEventListener("securitypolicyviolation", (event) => {
  const report = event.violatedDirective + " blocked " + (event.blockedURI || "inline content") +
    " (" + (event.sourceFile || document.location.href) + ":" + event.lineNumber + ")";
  if (typeof window.${CSP_BINDING} === "function") window.${CSP_BINDING}(report);
  else console.error("Content Security Policy violation: " + report);
});`;

export interface ProblemLog {
  /** Page errors (uncaught exceptions), unexpected console errors and CSP violations. */
  readonly problems: string[];
  /** CSP violations alone (also in problems). */
  readonly cspViolations: string[];
}

/**
 * Collects, for every page of a browser context: uncaught page errors, console errors (other
 * than the browser's notice of an expected 4xx response), and Content Security Policy
 * violations, seen both as securitypolicyviolation events and as console messages. Call it
 * before opening pages.
 */
export async function collectProblems(context: BrowserContext): Promise<ProblemLog> {
  const log = { problems: [] as string[], cspViolations: [] as string[] };
  const csp = (report: string) => {
    log.cspViolations.push(report);
    log.problems.push(`CSP violation: ${report}`);
  };
  await context.exposeBinding(CSP_BINDING, (_source, report: string) => csp(report));
  await context.addInitScript(CSP_LISTENER);
  context.on("weberror", (error) => {
    const e = error.error();
    log.problems.push(`page error: ${e.stack ?? e.message}`);
  });
  context.on("console", (message: ConsoleMessage) => {
    const text = message.text();
    const where = message.location().url;
    if (CSP_MESSAGE.test(text)) {
      csp(`console ${message.type()}: ${text} (${where})`);
    } else if (message.type() === "error" && !EXPECTED_CLIENT_ERROR.test(text)) {
      log.problems.push(`console error: ${text} (${where})`);
    }
  });
  return log;
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  log: ProblemLog;
}

/**
 * A fresh browser context (its own cookies; 1280 × 900 unless `options` says otherwise) with
 * one page, watched for problems (collectProblems). The context is added to `contexts`, which
 * the test file closes after its tests.
 */
export async function newWatchedPage(
  browser: Browser,
  contexts: BrowserContext[],
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  context.setDefaultTimeout(20_000);
  const log = await collectProblems(context);
  return { context, page: await context.newPage(), log };
}

/** Signs in on the sign-in page (a person without two-factor) and waits for the dashboard. */
export async function signInAs(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
}
