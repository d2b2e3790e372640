// What axe-core does not check: where focus goes, whether every page fits 320 px, and how much
// the sign-in page downloads. An owner signs in and walks every page of the app by clicking,
// as a keyboard or screen-reader user would.
import fs from "node:fs";
import type { Browser, BrowserContext, Locator, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sshKey } from "../factories/access-keys.ts";
import { ownedSystem, sqlGrant } from "../factories/access-workflow.ts";
// issue 13: findings
import { sqlFinding } from "../factories/findings.ts";
import { hostListing } from "../factories/host-listings.ts";
// issue 14: incidents
import { storedIncident } from "../factories/incidents-stored.ts";
import { personIdOfUser } from "../factories/shared.ts";
import {
  expectFocusOnHeading,
  expectNoSidewaysScroll,
  focusedElement,
  REFLOW_VIEWPORT,
} from "../helpers/a11y.ts";
import { addPerson, createOrganization, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const DESKTOP = { width: 1280, height: 900 };

// The chunks of the signed-in frame and pages: what web/src/App.tsx loads lazily, but the
// pages shown before sign-in.
const APP_SOURCE = fs.readFileSync(new URL("../../web/src/App.tsx", import.meta.url), "utf8");
const SIGNED_IN_CHUNKS = [
  ...APP_SOURCE.matchAll(/import\("\.\/(?:(?:areas\/[\w-]+|ui)\/)?(\w+)"\)/g),
]
  .map((match) => match[1] ?? "")
  .filter((name) => !["LoginPage", "SetupPage", "InvitePage"].includes(name));

const POLICY = "Acceptable Use of Laptops";
const PERSON = "Grace Hopper";
const NOTICE = "Scheduled maintenance of the export service";
const CONTROL = "Business Continuity and Disaster Recovery Policy";
const SYSTEM = "Billing database";
const KEY = "grace@laptop";
const REVIEW = "Quarterly review of the owner's systems";
const HOST = "billing-db-1.internal";
// issue 13: findings
const FINDING = "Heap overflow in the billing parser";
// issue 13: pentests
const PENTEST = "Annual external pentest";
// issue 14: incidents
const INCIDENT = "Laptop stolen from a car";
const EXERCISE = "Ransomware on the file server";
// issue 15: continuity
const RESTORED = "Ledger store";
// issue 15: encryption and customers
const LEDGER_KEY = "Ledger KMS key";
const CUSTOMER = "Northwind Traders";
// issue 15: endpoints (an address of the documentation range: never probed here)
const ENDPOINT = "203.0.113.9:443";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let reference = "";
const contexts: BrowserContext[] = [];

async function expectCreated(reply: Promise<{ status: number; body: unknown }>, what: string) {
  const { status, body } = await reply;
  if (status !== 200 && status !== 201) {
    throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  }
  return body as { id: string };
}

/** Something on every page that has an id: a policy, a person, a notice, a report, documents. */
async function seed() {
  const api = owner.client;
  // A published policy without placeholders, for the owner to acknowledge.
  const policy = await expectCreated(
    api.post("/api/v1/policies", {
      title: POLICY,
      body: "# Laptops\n\nLock your laptop when you leave it. Report a lost laptop the same day.",
    }),
    "create policy",
  );
  await expectCreated(api.post(`/api/v1/policies/${policy.id}/submit`), "submit policy");
  await expectCreated(api.post(`/api/v1/policies/${policy.id}/approve`, {}), "approve policy");
  // A draft from a template, which still holds placeholders (the page shows an alert).
  await expectCreated(api.post("/api/v1/policies", { templateKey: "bcdr-policy" }), "template");
  const grace = await addPerson(server, owner, "member", PERSON);
  // A system access request for Grace, on a system of the owner's.
  const org = { t: server, id: owner.organizationId, name: "Focus Co", owner };
  const system = await ownedSystem(org, { ownerId: await personIdOfUser(api, owner.id) });
  const forGrace = { personId: await personIdOfUser(api, grace.id), systemId: system.id };
  await expectCreated(
    api.post("/api/v1/access-requests", { ...forGrace, systemRole: "viewer", reason: "Reports" }),
    "system access request",
  );
  await expectCreated(
    api.post("/api/v1/access-keys", {
      personId: forGrace.personId,
      kind: "ssh",
      publicKey: sshKey(KEY).line,
      createdOn: "2026-01-05",
      systemIds: [system.id],
    }),
    "access key",
  );
  // An access review of the system with Grace's grant: an item for the owner to decide.
  await sqlGrant(org, { ...forGrace, systemRole: "analyst" });
  await expectCreated(
    api.post("/api/v1/access-reviews", { name: REVIEW, systemIds: [system.id] }),
    "access review",
  );
  const notice = await expectCreated(
    api.post("/api/v1/notices", {
      title: NOTICE,
      body: "The export service is down for an hour on Sunday night.",
      severity: "low",
      kind: "maintenance",
      affectedServices: ["Exports"],
      incidentId: null,
    }),
    "create notice",
  );
  await expectCreated(
    api.post(`/api/v1/notices/${notice.id}/publish`, { notifySubscribers: false }),
    "publish notice",
  );
  await expectCreated(api.post("/api/v1/trust-center/publish", {}), "publish trust center");
  const billing = await expectCreated(
    api.post("/api/v1/systems", { name: SYSTEM, kind: "database" }),
    "system",
  );
  // What the billing database's host allowed: one key, registered to nobody.
  await hostListing(org, { systemId: billing.id, host: HOST });
  // issue 13: findings
  await sqlFinding(org, { systemId: billing.id, title: FINDING, severity: "critical" });
  const document = await expectCreated(
    api.post("/api/v1/trust-documents", {
      title: "Security policy",
      access: "gated",
      policyId: policy.id,
    }),
    "add document",
  );
  // With no proof-of-work bits, any counter solves the challenge.
  const challenge = await server.app.inject({ method: "GET", url: "/trust/reports/challenge" });
  const report = await server.app.inject({
    method: "POST",
    url: "/trust/reports",
    payload: {
      powChallenge: JSON.parse(challenge.body).challenge,
      powCounter: "0",
      category: "security",
      subject: "Shared admin password",
      details: "The admin password of the build server is written on a sticky note.",
    },
  });
  expect(report.statusCode, report.body).toBe(201);
  reference = JSON.parse(report.body).reference;
  const request = await server.app.inject({
    method: "POST",
    url: "/trust/access-requests",
    payload: {
      name: "Ada Lovelace",
      company: "Customer Ltd",
      email: "ada@customer.test",
      reason: "Vendor security review",
      documents: [document.id],
      acceptNda: true,
    },
  });
  expect(request.statusCode, request.body).toBe(201);
  // issue 13: pentests
  await expectCreated(
    api.post("/api/v1/pentests", {
      name: PENTEST,
      firm: "Cure53",
      firmKind: "external",
      scope: { network: true, application: true, production: true },
      startedOn: "2026-01-05",
      completedOn: "2026-01-16",
    }),
    "pentest",
  );
  // issue 14: incidents (resolved a day ago: its lessons learned can be written)
  await storedIncident(org, { title: INCIDENT, reportedHoursAgo: 72, resolvedHoursAgo: 24 });
  await expectCreated(
    api.post("/api/v1/ir-exercises", { kind: "tabletop", title: EXERCISE, heldOn: "2026-01-20" }),
    "exercise",
  );
  // issue 15: continuity (a restore test performed on 2026-01-20)
  const restored = await expectCreated(
    api.post("/api/v1/systems", {
      name: RESTORED,
      kind: "data_store",
      classification: "internal",
      backedUp: true,
    }),
    "backed-up system",
  );
  const people = (await api.get("/api/v1/people?limit=1")).body as { items: { id: string }[] };
  await expectCreated(
    api.post("/api/v1/continuity/restore-tests", {
      systemId: restored.id,
      performedOn: "2026-01-20",
      backupTakenAt: "2026-01-19T03:00:00Z",
      restoredInto: "Staging, a scratch database",
      restoredIntoProduction: false,
      performedById: people.items[0]?.id,
      checks: [{ name: "Row counts per table", passed: true, detail: "Equal." }],
    }),
    "restore test",
  );
  // issue 15: endpoints
  await expectCreated(api.post("/api/v1/endpoints", { host: "203.0.113.9" }), "endpoint");
  // issue 15: encryption and customers (the ledger store above is a data store)
  await expectCreated(
    api.post("/api/v1/encryption/keys", { name: LEDGER_KEY, algorithm: "AES-256" }),
    "encryption key",
  );
  await expectCreated(
    api.post("/api/v1/customers", {
      name: CUSTOMER,
      contractStart: "2026-01-05",
      retention: { days: 30 },
      systemIds: [restored.id],
    }),
    "customer",
  );
}

beforeAll(async () => {
  // No proof-of-work, so the report above can be sent without solving one.
  [server, browser] = await Promise.all([
    startBrowserTestServer({ reportPowBits: 0 }),
    launchBrowser(),
  ]);
  owner = await createOrganization(server, "Focus Co");
  await seed();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const openPage = () => newWatchedPage(browser, contexts, { viewport: DESKTOP });

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

const signIn = (page: Page) =>
  signInAs(page, server.baseUrl, owner.email, "correct horse battery staple");

/** Waits until nothing on the page is loading any more. */
async function settled(page: Page) {
  await page.locator(".spinner, [aria-busy='true']").first().waitFor({ state: "detached" });
}

/** The focused heading's text must be `title` (a page heading, not one left from before). */
async function expectFocusOn(page: Page, title: string | RegExp) {
  await expectFocusOnHeading(page);
  const focused = await focusedElement(page);
  if (typeof title === "string") expect(focused).toBe(`h1: ${title}`);
  else expect(focused).toMatch(title);
}

/**
 * At 320 px wide (where the sidebar becomes a menu), then back to the desktop width. Failures
 * are collected, so one run names every page that overflows.
 */
async function checkReflow(page: Page, where: string, failures: string[]) {
  await page.setViewportSize(REFLOW_VIEWPORT);
  await expectNoSidewaysScroll(page, where).catch((error: Error) => failures.push(error.message));
  await page.setViewportSize(DESKTOP);
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const navLink = (name: string | RegExp) => (page: Page) =>
  nav(page).getByRole("link", { name, exact: typeof name === "string" });
const mainLink = (name: string | RegExp) => (page: Page) =>
  page
    .locator("#main")
    .getByRole("link", { name, exact: typeof name === "string" })
    .first();

interface Step {
  /** The route of web/src/App.tsx this step reaches. */
  route: string;
  click: (page: Page) => Locator;
  heading: string | RegExp;
}

// Every page an owner reaches, in an order where each link is on the page before or in the
// sidebar. The coming-soon areas (Systems…) are pages too until they are built.
const STEPS: Step[] = [
  { route: "/my/policies", click: navLink(/^My policies/), heading: "My policies" },
  { route: "/my/policies/:id", click: mainLink(POLICY), heading: POLICY },
  { route: "/controls", click: navLink("Controls"), heading: "Controls" },
  { route: "/controls/:key", click: mainLink(CONTROL), heading: CONTROL },
  { route: "/policies", click: navLink("Policies"), heading: "Policies" },
  { route: "/policies/:id", click: mainLink(POLICY), heading: POLICY },
  { route: "/policies", click: navLink("Policies"), heading: "Policies" },
  {
    route: "/policies/:id (a draft with placeholders)",
    click: mainLink(CONTROL),
    heading: CONTROL,
  },
  { route: "/policies", click: navLink("Policies"), heading: "Policies" },
  { route: "/policies/new", click: mainLink("New policy"), heading: /^h1: New policy/ },
  { route: "/people", click: navLink("People"), heading: "People" },
  { route: "/people/import", click: mainLink("Import CSV"), heading: "Import people" },
  { route: "/people", click: mainLink("All people"), heading: "People" },
  { route: "/people/:id", click: mainLink(PERSON), heading: PERSON },
  { route: "/systems", click: navLink("Systems"), heading: "Systems" },
  { route: "/systems/:id", click: mainLink(SYSTEM), heading: SYSTEM },
  {
    route: "/key-listings/:id?",
    click: mainLink("Host listings of authorized keys"),
    heading: "Host listings",
  },
  { route: "/key-listings/:id? (a listing)", click: mainLink(HOST), heading: HOST },
  { route: "/systems/:id", click: mainLink(SYSTEM), heading: SYSTEM },
  {
    route: "/systems/:id/import",
    click: mainLink("Import accounts"),
    heading: "Import accounts and grants",
  },
  { route: "/systems/:id", click: mainLink("Back to the system"), heading: SYSTEM },
  { route: "/systems", click: mainLink("All systems"), heading: "Systems" },
  { route: "/systems/review", click: mainLink("Inventory review"), heading: "Inventory review" },
  { route: "/access/grants", click: navLink("Access"), heading: "Grants" },
  { route: "/access/role-rules", click: mainLink("Role rules"), heading: "Role rules" },
  { route: "/access-keys", click: navLink("Keys"), heading: "Keys" },
  { route: "/access-keys/:id", click: mainLink(KEY), heading: KEY },
  { route: "/access/tasks", click: navLink("Access tasks"), heading: "Access tasks" },
  { route: "/access/requests", click: navLink("Request access"), heading: /^h1: System access/ },
  { route: "/access/requests/:id", click: mainLink(PERSON), heading: /^h1: viewer on / },
  { route: "/access/reviews", click: navLink("Access reviews"), heading: "Access reviews" },
  { route: "/access/reviews/:id", click: mainLink(REVIEW), heading: REVIEW },
  {
    route: "/my/access-reviews",
    click: navLink(/^My access reviews/),
    heading: "My access reviews",
  },
  // issue 13: findings
  { route: "/vulnerabilities", click: navLink("Vulnerabilities"), heading: "Vulnerabilities" },
  { route: "/vulnerabilities/findings/:id", click: mainLink(FINDING), heading: FINDING },
  { route: "/vulnerabilities", click: mainLink("All findings"), heading: "Vulnerabilities" },
  {
    route: "/vulnerabilities/acceptances",
    click: mainLink("Risk acceptances"),
    heading: "Risk acceptances",
  },
  // issue 13: scan imports (the links are on the findings page)
  { route: "/vulnerabilities", click: navLink("Vulnerabilities"), heading: "Vulnerabilities" },
  { route: "/vulnerabilities/imports", click: mainLink("Imports"), heading: "Scan imports" },
  { route: "/vulnerabilities/import", click: mainLink("Import a scan"), heading: "Import a scan" },
  { route: "/vulnerabilities/imports", click: mainLink("Scan imports"), heading: "Scan imports" },
  // issue 13: pentests
  { route: "/pentests", click: navLink("Pentests"), heading: "Penetration tests" },
  { route: "/pentests/new", click: mainLink("New pentest"), heading: "New penetration test" },
  { route: "/pentests", click: mainLink("Cancel"), heading: "Penetration tests" },
  { route: "/pentests/:id", click: mainLink(PENTEST), heading: PENTEST },
  // issue 14: incidents
  { route: "/incidents", click: navLink("Incidents"), heading: "Incidents" },
  {
    route: "/incidents/new",
    click: mainLink("Declare an incident"),
    heading: "Declare an incident",
  },
  { route: "/incidents", click: mainLink("Cancel"), heading: "Incidents" },
  {
    route: "/incidents/:id",
    click: mainLink(`INC-0001: ${INCIDENT}`),
    heading: `INC-0001: ${INCIDENT}`,
  },
  {
    route: "/incidents/:id/lessons",
    click: mainLink("Lessons learned"),
    heading: `Lessons learned: ${INCIDENT}`,
  },
  { route: "/lessons", click: navLink("Lessons learned"), heading: "Lessons learned" },
  { route: "/my/action-items", click: navLink("My action items"), heading: "My action items" },
  { route: "/ir-exercises", click: navLink("Plan exercises"), heading: "Exercises of the plan" },
  {
    route: "/ir-exercises/new",
    click: mainLink("New tabletop exercise"),
    heading: "New tabletop exercise",
  },
  { route: "/ir-exercises", click: mainLink("Cancel"), heading: "Exercises of the plan" },
  { route: "/ir-exercises/:id", click: mainLink(EXERCISE), heading: EXERCISE },
  // issue 15: continuity
  { route: "/continuity", click: navLink("Restore tests"), heading: "Restore tests" },
  {
    route: "/continuity/restore-tests/new",
    click: mainLink("Record a restore test"),
    heading: "Record a restore test",
  },
  { route: "/continuity", click: mainLink("Cancel"), heading: "Restore tests" },
  {
    route: "/continuity/restore-tests/:id",
    click: mainLink("Jan 20, 2026"),
    heading: `Restore test of ${RESTORED}`,
  },
  // issue 15: encryption and customers
  { route: "/encryption", click: navLink("Encryption"), heading: "Encryption" },
  { route: "/encryption/keys/:id", click: mainLink(LEDGER_KEY), heading: LEDGER_KEY },
  { route: "/encryption", click: navLink("Encryption"), heading: "Encryption" },
  { route: "/encryption/stores/:id", click: mainLink(RESTORED), heading: RESTORED },
  { route: "/customers", click: navLink("Customers"), heading: "Customers" },
  { route: "/customers/import", click: mainLink("Import customers"), heading: "Import customers" },
  { route: "/customers", click: mainLink("Back to the customers"), heading: "Customers" },
  { route: "/customers/new", click: mainLink("New customer"), heading: "New customer" },
  { route: "/customers", click: mainLink("Customers"), heading: "Customers" },
  { route: "/customers/:id", click: mainLink(CUSTOMER), heading: CUSTOMER },
  // issue 15: endpoints
  { route: "/endpoints", click: navLink("Endpoints"), heading: "Endpoints" },
  {
    route: "/endpoints/new",
    click: mainLink("Register an endpoint"),
    heading: "Register an endpoint",
  },
  { route: "/endpoints", click: mainLink("Cancel"), heading: "Endpoints" },
  { route: "/endpoints/:id", click: mainLink(ENDPOINT), heading: ENDPOINT },
  { route: "/evidence", click: navLink("Evidence"), heading: /^h1: / },
  { route: "/trust-center", click: navLink("Trust center"), heading: /^h1: Trust center/ },
  { route: "/trust-center/documents", click: navLink("Documents"), heading: /^h1: / },
  { route: "/trust-center/requests", click: navLink("Access requests"), heading: /^h1: / },
  { route: "/notices", click: navLink("Notices"), heading: "Notices" },
  { route: "/notices/:id", click: mainLink(NOTICE), heading: NOTICE },
  { route: "/reports", click: navLink("Reports"), heading: /^h1: / },
  { route: "/reports/:id", click: (page) => mainLink(reference)(page), heading: /^h1: / },
  { route: "/audit", click: navLink("Audit log"), heading: "Audit log" },
  { route: "/settings/users", click: navLink("Users"), heading: "Users" },
  { route: "/settings/organization", click: navLink("Organization"), heading: /^h1: / },
  { route: "/settings/monitoring", click: navLink("Monitoring"), heading: /^h1: / },
  // issue 16: single sign-on
  { route: "/settings/sso", click: navLink("Single sign-on"), heading: "Single sign-on" },
  // issue 16: scim
  { route: "/settings/scim", click: navLink("SCIM provisioning"), heading: "SCIM provisioning" },
  {
    route: "/account",
    click: (page) => page.getByRole("link", { name: /^My account/ }),
    heading: "My account",
  },
  { route: "/", click: navLink("Dashboard"), heading: "Dashboard" },
];

describe("accessibility in a browser", () => {
  test("the sign-in page loads no code of the signed-in pages, compressed, and signing in puts focus on the dashboard's heading", async ({
    annotate,
  }) => {
    const { page, log } = await openPage();
    const responses: Response[] = [];
    page.on("response", (response) => responses.push(response));
    await page.goto(url("/login"));
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.waitForLoadState("networkidle");

    const assets = responses.filter((r) => new URL(r.url()).pathname.startsWith("/assets/"));
    const scripts = assets.map((r) => new URL(r.url()).pathname).filter((p) => p.endsWith(".js"));
    expect(scripts.some((p) => /\/LoginPage-/.test(p))).toBe(true);
    const signedInChunks = scripts.filter((p) =>
      SIGNED_IN_CHUNKS.some((name) => p.startsWith(`/assets/${name}-`)),
    );
    expect(SIGNED_IN_CHUNKS).toEqual(
      expect.arrayContaining(["AppLayout", "DashboardPage", "ControlsPage", "PolicyPage"]),
    );
    expect(signedInChunks).toEqual([]);
    let raw = 0;
    let transferred = 0;
    for (const response of assets) {
      const body = await response.body();
      raw += body.length;
      transferred += (await response.request().sizes()).responseBodySize;
      if (body.length > 1024) {
        expect(response.headers()["content-encoding"], response.url()).toMatch(/^(br|gzip)$/);
      }
      expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
    expect(transferred).toBeLessThan(raw / 2);
    await annotate(
      `the sign-in page loads ${assets.length} assets: ${raw} bytes, ${transferred} transferred (${scripts.length} scripts)`,
    );

    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/"));
    await expectFocusOn(page, "Dashboard");
    expect(log.problems).toEqual([]);
  });

  test("every page an owner reaches takes focus on its heading after a click and fits 320 px", async () => {
    // Every signed-in route of the app's table is walked (add new pages to STEPS).
    const walked = new Set(STEPS.map((step) => step.route.split(" ")[0]));
    const routes = [...APP_SOURCE.matchAll(/\bpath: "([^"]+)"/g)].map((match) => match[1]);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !walked.has(route))).toEqual([]);

    const { page, log } = await openPage();
    await signIn(page);
    await expectFocusOn(page, "Dashboard");
    await settled(page);
    const overflowing: string[] = [];
    await checkReflow(page, "/ (dashboard)", overflowing);

    for (const step of STEPS) {
      await step.click(page).click();
      await expectFocusOn(page, step.heading).catch((error: Error) => {
        throw new Error(`${step.route}: ${error.message}`);
      });
      await settled(page);
      await checkReflow(page, `${step.route} (${new URL(page.url()).pathname})`, overflowing);
    }
    // The page for an unknown address, reached by typing it.
    await page.goto(url("/no/such/page"));
    await page.getByRole("heading", { name: "Page not found", level: 1 }).waitFor();
    await checkReflow(page, "/no/such/page", overflowing);
    expect(overflowing).toEqual([]);
    expect(log.problems).toEqual([]);
  });

  test("acknowledging a policy puts focus on the confirmation that replaces the button", async () => {
    const { page, log } = await openPage();
    await signIn(page);
    await navLink(/^My policies/)(page).click();
    await mainLink(POLICY)(page).click();
    await expectFocusOn(page, POLICY);
    await page.getByRole("button", { name: "I have read and acknowledge version 1" }).click();
    await page.locator(".alert-success:focus").waitFor();
    expect(await focusedElement(page)).toMatch(/You acknowledged version 1/);
    expect(log.problems).toEqual([]);
  });

  test("handling a report: focus goes to the section heading when the pressed button goes away, and to the outcome when the report is closed", async () => {
    const { page, log } = await openPage();
    await signIn(page);
    await navLink("Reports")(page).click();
    await mainLink(reference)(page).click();
    await expectFocusOn(page, /^h1: /);
    await page.getByRole("button", { name: "Mark acknowledged" }).click();
    await page.locator("h2:focus").waitFor();
    expect(await focusedElement(page)).toBe("h2: Handling");
    await page.getByRole("button", { name: "Close with outcome…" }).click();
    await page.getByLabel("Outcome").fill("The password was changed and the note destroyed.");
    await page.getByRole("button", { name: "Close report" }).click();
    await page.getByRole("heading", { name: "Outcome", level: 2 }).waitFor();
    await page.locator("h2:focus").waitFor();
    expect(await focusedElement(page)).toBe("h2: Outcome");
    expect(log.problems).toEqual([]);
  });

  test("on a phone, Escape closes the menu and gives focus back to the menu button; a dialog gives focus back to its opener", async () => {
    const { page, log } = await openPage();
    await signIn(page);
    await expectFocusOn(page, "Dashboard");
    await page.setViewportSize(REFLOW_VIEWPORT);
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    await expect(menu.getAttribute("aria-expanded")).resolves.toBe("true");
    await navLink("Controls")(page).focus();
    await page.keyboard.press("Escape");
    await expect(menu.getAttribute("aria-expanded")).resolves.toBe("false");
    expect(await focusedElement(page)).toBe("button: Menu");

    // The menu's sections are named lists.
    await menu.click();
    await page.getByRole("list", { name: "Trust and reporting" }).waitFor();
    await navLink("Users")(page).click();
    await expectFocusOn(page, "Users");
    const invite = page.getByRole("button", { name: /^Invite/ }).first();
    await invite.click();
    await page.getByRole("dialog").waitFor();
    await page.getByRole("button", { name: "Close dialog" }).click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await focusedElement(page)).toMatch(/^button: Invite/);
    expect(log.problems).toEqual([]);
  });

  test("the public trust pages fit 320 px", async () => {
    const { page, log } = await openPage();
    await page.setViewportSize(REFLOW_VIEWPORT);
    const overflowing: string[] = [];
    const pages = [
      "/trust",
      "/trust/notices",
      "/trust/report",
      "/trust/report/follow-up",
      "/trust/request-access",
    ];
    await page.goto(url("/trust/notices"));
    await page.getByRole("link", { name: NOTICE }).click();
    await page.getByRole("heading", { name: NOTICE, level: 1 }).waitFor();
    await expectNoSidewaysScroll(page).catch((error: Error) => overflowing.push(error.message));
    for (const pathname of pages) {
      const response = await page.goto(url(pathname));
      expect(response?.status(), pathname).toBe(200);
      await expectNoSidewaysScroll(page, pathname).catch((error: Error) =>
        overflowing.push(error.message),
      );
    }
    expect(overflowing).toEqual([]);
    expect(log.problems).toEqual([]);
  });
});
