// The incident journeys: a member declares an incident, the owner triages and resolves it and
// writes the lessons learned, an admin approves them, and incident-lessons-learned passes; an
// incident affecting customers fails critical-information-communication until its notice is
// published, and the public notice page shows the notice.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withTenant } from "../../src/db/tenant.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import { storedIncident } from "../factories/incidents-stored.ts";
import { addPerson, createOrganization, PASSWORD, type Person } from "../helpers/app.ts";
import {
  type BrowserTestServer,
  launchBrowser,
  newWatchedPage,
  signInAs,
  startBrowserTestServer,
} from "../helpers/browser.ts";

const SHOTS = path.join(os.tmpdir(), "attest-e2e-incidents");
const PHISHING = "Phishing mail opened by a member of sales";
const OUTAGE = "Customer exports served to the wrong accounts";
const TABLETOP = "Ransomware on the file server";

let server: BrowserTestServer;
let browser: Browser;
let owner: Person;
let admin: Person;
let member: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // No proof-of-work, so the confidential report below is sent without solving one.
  [server, browser] = await Promise.all([
    startBrowserTestServer({ reportPowBits: 0 }),
    launchBrowser(),
  ]);
  owner = await createOrganization(server, "Hooli");
  [admin, member] = await Promise.all([
    addPerson(server, owner, "admin", "Ada Admin"),
    addPerson(server, owner, "member", "Mo Member"),
  ]);
  expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function openAs(person: Person) {
  const watched = await newWatchedPage(browser, contexts);
  await signInAs(watched.page, server.baseUrl, person.email, PASSWORD);
  return watched;
}

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

/** The state of each test of a control, as the API evaluates it now. */
async function testStates(control: string) {
  const reply = await owner.client.get(`/api/v1/controls/${control}`);
  expect(reply.status).toBe(200);
  return Object.fromEntries(
    (reply.body.tests as { key: string; state: string }[]).map((t) => [t.key, t.state]),
  );
}

/**
 * Moves an incident's history (its moments and its timeline) `days` into the past, as if it
 * had happened then, and re-evaluates the controls.
 */
async function backdate(incidentId: string, days: number) {
  const shift = sql.raw(`interval '${days * 24} hours'`);
  await withTenant(server.deps.db, owner.organizationId, async (tx) => {
    await sql`UPDATE incidents SET reported_at = reported_at - ${shift},
        triaged_at = triaged_at - ${shift}, contained_at = contained_at - ${shift},
        resolved_at = resolved_at - ${shift}, closed_at = closed_at - ${shift},
        customers_affected_at = customers_affected_at - ${shift},
        last_entry_at = last_entry_at - ${shift}, created_at = created_at - ${shift}
      WHERE id = ${incidentId}`.execute(tx);
    await sql`UPDATE incident_entries SET occurred_at = occurred_at - ${shift},
        created_at = created_at - ${shift}
      WHERE incident_id = ${incidentId}`.execute(tx);
  });
  await reevaluate(server.deps.db, owner.organizationId);
}

const incidentIdOf = (page: Page) => new URL(page.url()).pathname.split("/")[2] ?? "";

describe("incidents in a browser", () => {
  test("a member declares an incident, the owner triages and resolves it and writes the lessons learned, an admin approves them, and incident-lessons-learned passes", async ({
    annotate,
  }) => {
    // The member declares it, seeing what each severity means here.
    const mo = await openAs(member);
    await mo.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Incidents", exact: true })
      .click();
    await mo.page.getByRole("heading", { name: "Incidents", level: 1 }).waitFor();
    await mo.page.getByRole("link", { name: "Declare an incident" }).click();
    await mo.page.getByRole("heading", { name: "Declare an incident", level: 1 }).waitFor();
    await mo.page.getByText(/Customer data exposed or likely exposed/).waitFor();
    await mo.page.getByLabel("Title").fill(PHISHING);
    await mo.page
      .getByLabel("What happened (optional)")
      .fill("Clicked a link in a fake invoice mail and typed nothing; the page asked for a login.");
    await mo.page.getByRole("button", { name: "Declare the incident" }).click();
    await mo.page.getByRole("heading", { name: `INC-0001: ${PHISHING}`, level: 1 }).waitFor();
    await mo.page.getByText("Triage due", { exact: false }).first().waitFor();
    const id = incidentIdOf(mo.page);
    await annotate(`declared: ${await screenshot(mo.page, "declared")}`);

    // The owner triages it (severity and owner), then resolves it.
    const boss = await openAs(owner);
    await boss.page.goto(url("/incidents"));
    await boss.page.getByRole("link", { name: `INC-0001: ${PHISHING}` }).click();
    await boss.page.getByRole("heading", { name: "Triage", level: 2 }).waitFor();
    await boss.page.getByRole("radio", { name: /^Medium/ }).check();
    await boss.page.getByLabel("Owner", { exact: true }).selectOption({ label: "Owner of Hooli" });
    await boss.page.getByRole("button", { name: "Triage the incident" }).click();
    await boss.page.getByRole("button", { name: "Mark contained" }).waitFor();
    const timeline = boss.page.getByRole("region", { name: "Timeline" });
    await timeline.getByText("Status changed from Reported to Triaged").waitFor();
    await boss.page
      .getByLabel("Entry", { exact: true })
      .fill("Reset the member's password and blocked the sender.");
    await boss.page.getByLabel("Kind of entry").selectOption("action");
    await boss.page.getByRole("button", { name: "Add to the timeline" }).click();
    await timeline.getByText("Reset the member's password and blocked the sender.").waitFor();
    await boss.page.getByRole("button", { name: "Mark resolved" }).click();
    await boss.page.getByRole("button", { name: "Close the incident" }).waitFor();
    expect(await testStates("incident-tracking")).toMatchObject({
      "incidents-triaged": "passing",
    });

    // The owner writes the lessons learned and submits them.
    await boss.page
      .locator("#main")
      .getByRole("link", { name: "Lessons learned", exact: true })
      .click();
    await boss.page
      .getByRole("heading", { name: `Lessons learned: ${PHISHING}`, level: 1 })
      .waitFor();
    await boss.page.getByLabel("What happened").fill("A member opened a phishing link.");
    await boss.page.getByLabel("Impact").fill("None: no credentials were given.");
    await boss.page.getByLabel("Root cause").fill("The mail filter let a lookalike domain in.");
    await boss.page.getByLabel("Timeline").fill("09:00 mail, 09:05 click, 09:10 declared.");
    await boss.page.getByLabel("What went well").fill("Declared within minutes.");
    await boss.page.getByLabel("What to improve").fill("Filter lookalike domains.");
    await boss.page.getByRole("button", { name: "Save the lessons learned" }).click();
    await boss.page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await boss.page.getByLabel("Action", { exact: true }).fill("Block lookalike domains");
    await boss.page.getByLabel("Owner of the action").selectOption({ label: "Ada Admin" });
    await boss.page
      .getByLabel("Due on")
      .fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await boss.page.getByRole("button", { name: "Add the action item" }).click();
    await boss.page
      .getByRole("region", { name: "Action items" })
      .getByRole("cell", { name: "Block lookalike domains", exact: true })
      .waitFor();
    await boss.page.getByRole("button", { name: "Submit for approval" }).click();
    await boss.page.getByText("Awaiting approval").waitFor();
    await boss.page.getByText("You wrote it: another owner or admin approves it.").waitFor();

    // Resolved more than 14 days ago without approved lessons learned: failing.
    await backdate(id, 15);
    expect(await testStates("incident-lessons-learned")).toEqual({
      "lessons-learned-shared": "failing",
    });

    // An admin approves them: shared with the team, and the control passes.
    const ada = await openAs(admin);
    await ada.page.goto(url(`/incidents/${id}/lessons`));
    await ada.page.getByRole("button", { name: "Approve and share with the team" }).click();
    await ada.page.getByText("Approved and shared").waitFor();
    await annotate(`approved: ${await screenshot(ada.page, "lessons-approved")}`);
    expect(await testStates("incident-lessons-learned")).toEqual({
      "lessons-learned-shared": "passing",
    });

    // The member reads them among the shared lessons.
    await mo.page.goto(url("/lessons"));
    await mo.page.getByRole("link", { name: `INC-0001: ${PHISHING}` }).waitFor();
    await mo.page.getByText("Read the lessons learned").click();
    await mo.page.getByText("Filter lookalike domains.").waitFor();
    // The action item's owner sees it among theirs.
    await ada.page.goto(url("/my/action-items"));
    const mine = ada.page.getByRole("region", { name: "My action items" });
    await mine.getByRole("cell", { name: /^Block lookalike domains/ }).waitFor();
    await mine.getByRole("button", { name: /^Mark done/ }).click();
    await ada.page.getByText("0 open action items").waitFor();

    expect(mo.log.problems).toEqual([]);
    expect(boss.log.problems).toEqual([]);
    expect(ada.log.problems).toEqual([]);
  });

  test("an incident affecting customers fails critical-information-communication until its notice is published (in time: passing; late: it still counts), and the public notice page shows the notice", async ({
    annotate,
  }) => {
    const boss = await openAs(owner);
    await boss.page.goto(url("/incidents/new"));
    await boss.page.getByLabel("Title").fill(OUTAGE);
    await boss.page.getByRole("radio", { name: /^Critical/ }).check();
    await boss.page.getByLabel("Customers are affected").check();
    await boss.page.getByLabel("Customer data is affected").check();
    await boss.page.getByLabel("Affected customers (optional)").fill("Acme, Globex");
    await boss.page.getByRole("button", { name: "Declare the incident" }).click();
    await boss.page.getByRole("heading", { name: new RegExp(`: ${OUTAGE}$`), level: 1 }).waitFor();
    const id = incidentIdOf(boss.page);
    await boss.page.getByLabel("Owner", { exact: true }).selectOption({ label: "Owner of Hooli" });
    await boss.page.getByRole("button", { name: "Triage the incident" }).click();
    await boss.page.getByRole("button", { name: "Mark contained" }).waitFor();
    await boss.page.getByText("Customers not yet told").waitFor();

    // Confirmed 60 hours ago and no notice yet: due within the day.
    await backdate(id, 2.5);
    expect(await testStates("critical-information-communication")).toEqual({
      "customers-notified": "due_soon",
    });

    // A notice drafted from the incident, published from the notice editor, in time.
    await boss.page.reload();
    await boss.page.getByRole("button", { name: "Draft a customer notice" }).click();
    await boss.page.waitForURL(/\/notices\/[0-9a-f-]{36}$/);
    // The draft takes the incident's title.
    const title = OUTAGE;
    await boss.page.getByRole("heading", { name: title, exact: true, level: 1 }).waitFor();
    await boss.page.getByRole("button", { name: "Publish…" }).click();
    await boss.page
      .getByRole("dialog")
      .getByRole("button", { name: "Publish", exact: true })
      .click();
    await boss.page.getByRole("heading", { name: "Post an update" }).waitFor();
    expect(await testStates("critical-information-communication")).toEqual({
      "customers-notified": "passing",
    });

    // The incident shows the notice and the time from confirmation to it.
    await boss.page.getByRole("link", { name: "The incident this notice is about" }).click();
    await boss.page.getByRole("heading", { name: new RegExp(`: ${OUTAGE}$`), level: 1 }).waitFor();
    const notices = boss.page.getByRole("region", { name: "Customer notices" });
    await notices.getByRole("link", { name: title }).waitFor();
    await notices
      .getByText(/Customers were told 2 days 1\d h after the incident was confirmed/)
      .waitFor();
    await boss.page
      .getByRole("region", { name: "Timeline" })
      .getByRole("link", { name: title })
      .waitFor();
    await annotate(`notified: ${await screenshot(boss.page, "customers-notified")}`);

    // The public notice page shows it.
    const visitor = await newWatchedPage(browser, contexts, {
      viewport: { width: 390, height: 844 },
    });
    await visitor.page.goto(url("/trust/notices"));
    await visitor.page.getByRole("link", { name: title }).click();
    await visitor.page.getByRole("heading", { name: title, level: 1 }).waitFor();
    await annotate(`public notice: ${await screenshot(visitor.page, "public-notice")}`);

    // Another incident affecting customers, confirmed 80 hours ago with no notice: failing;
    // its notice, published now, came after the deadline and still counts against the control.
    const org = { t: server, id: owner.organizationId, name: "Hooli", owner };
    const late = await storedIncident(org, {
      title: "Card payments declined for a day",
      reportedHoursAgo: 82,
      triagedHoursAgo: 80,
      customersAffected: true,
      severity: "high",
    });
    expect(await testStates("critical-information-communication")).toEqual({
      "customers-notified": "failing",
    });
    const draft = await owner.client.post(`/api/v1/incidents/${late.id}/notices`, {});
    expect(draft.status).toBe(201);
    const published = await owner.client.post(`/api/v1/notices/${draft.body.id}/publish`, {
      notifySubscribers: true,
    });
    expect(published.status).toBe(200);
    const control = await owner.client.get("/api/v1/controls/critical-information-communication");
    const test = (
      control.body.tests as { key: string; state: string; offenders: { action: string }[] }[]
    )[0];
    expect(test?.state).toBe("failing");
    expect(test?.offenders.map((o) => o.action).join("\n")).toMatch(/after the deadline/);

    expect(boss.log.problems).toEqual([]);
    expect(visitor.log.problems).toEqual([]);
  });

  test("a report's handler declares an incident from a confidential report: linked, never naming the reporter", async () => {
    const challenge = await server.app.inject({ method: "GET", url: "/trust/reports/challenge" });
    const sent = await server.app.inject({
      method: "POST",
      url: "/trust/reports",
      payload: {
        powChallenge: JSON.parse(challenge.body).challenge,
        powCounter: "0",
        category: "security",
        subject: "Customer list on a public file share",
        details: "The full customer list is readable without signing in.",
        contactName: "Rita Reporter",
        contactEmail: "rita@example.test",
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const { reference } = JSON.parse(sent.body) as { reference: string };

    const boss = await openAs(owner);
    await boss.page.goto(url("/reports"));
    await boss.page.getByRole("link", { name: reference }).click();
    await boss.page.getByRole("heading", { name: "Incident", level: 2 }).waitFor();
    await boss.page.getByRole("button", { name: "Declare an incident" }).click();
    await boss.page
      .getByRole("heading", { name: /: Customer list on a public file share$/, level: 1 })
      .waitFor();
    await boss.page
      .getByRole("region", { name: "Details" })
      .getByText(/from a confidential report/)
      .waitFor();
    expect(await boss.page.getByText("Rita").count()).toBe(0);
    expect(boss.log.problems).toEqual([]);
  });

  test("the owner runs a tabletop exercise of the plan with participants and an outcome closed with a reason, and incident-response-plan-testing passes; a real incident is marked as the plan's test", async () => {
    const boss = await openAs(owner);
    await boss.page.goto(url("/ir-exercises"));
    await boss.page.getByRole("link", { name: "New tabletop exercise" }).click();
    await boss.page.getByLabel("Title").fill(TABLETOP);
    await boss.page
      .getByLabel("Scenario (optional)")
      .fill("The file server is encrypted overnight.");
    await boss.page.getByLabel("Held on").fill(new Date().toISOString().slice(0, 10));
    await boss.page.getByRole("button", { name: "Plan the exercise" }).click();
    await boss.page.getByRole("heading", { name: TABLETOP, level: 1 }).waitFor();

    await boss.page.getByLabel("Add a participant").selectOption({ label: "Ada Admin" });
    await boss.page.getByLabel("Add a participant").selectOption({ label: "Mo Member" });
    await boss.page.getByLabel("Mo Member attended").uncheck();
    await boss.page.getByLabel("Role of Ada Admin (optional)").fill("Incident commander");
    await boss.page.getByRole("button", { name: "Save participants" }).click();
    await boss.page.getByText("2 participants, 1 attended.").waitFor();

    await boss.page
      .getByLabel("Outcome", { exact: true })
      .fill("Nobody knew where the backups' keys are.");
    await boss.page.getByLabel("The Incident Response Plan must change").check();
    await boss.page.getByRole("button", { name: "Add the outcome" }).click();
    await boss.page.getByText("The plan must change").waitFor();
    await boss.page.getByRole("button", { name: "Link to a plan version or close…" }).click();
    const dialog = boss.page.getByRole("dialog");
    await dialog
      .getByLabel("Reason")
      .fill("The keys' place is in the backup runbook, not the plan.");
    await dialog.getByRole("button", { name: "Close the outcome" }).click();
    await dialog.waitFor({ state: "hidden" });
    await boss.page.getByText("Closed without a change").waitFor();

    await boss.page.getByRole("button", { name: "Mark completed" }).click();
    await boss.page.getByText(/^Completed /).waitFor();
    expect(await testStates("incident-response-plan-testing")).toMatchObject({
      "ir-plan-exercised": "passing",
      "ir-plan-updated": "passing",
    });
    await boss.page.goto(url("/ir-exercises"));
    await boss.page.getByRole("link", { name: TABLETOP }).waitFor();

    // A real incident marked as the plan's test becomes an exercise of its own.
    const org = { t: server, id: owner.organizationId, name: "Hooli", owner };
    const real = await storedIncident(org, {
      title: "Laptop stolen from a car",
      resolvedHoursAgo: 10,
    });
    await boss.page.goto(url(`/incidents/${real.id}`));
    await boss.page.getByRole("button", { name: "Mark as the plan's test" }).click();
    // The incident's own page has a heading of the same name: wait for the exercise's page.
    await boss.page.waitForURL((address) => address.pathname.startsWith("/ir-exercises/"));
    await boss.page
      .getByRole("heading", { name: /: Laptop stolen from a car$/, level: 1 })
      .waitFor();
    await boss.page.getByText("A real incident, as the plan's test").waitFor();
    expect(boss.log.problems).toEqual([]);
  });
});
