import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  sendReviewReminders,
  startScheduledReviews,
} from "../../../src/modules/access-reviews/access-reviews.jobs.ts";
import {
  apiPerson,
  type Org,
  organization,
  personIdOfUser,
  sqlGrant,
  system,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";
import { itemsOf } from "./helpers.ts";

/**
 * The schedule starts one campaign per organization over the in-scope systems whose review
 * falls due (never reviewed: now; else last completion + period), and reminders go by mail to
 * reviewers with undecided items: at the start, 3 days before due, daily once overdue.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let rita: Person;
let production: string;
let customers: string;
let yearly: string;
let internal: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
  org = await organization(t, { name: "Schedule Co" });
  rita = await user(org, "member", { name: "Rita Reviewer" });
  const ownerId = await personIdOfUser(org.owner.client, rita.id);
  production = (await system(org, { name: "Prod API", ownerId, production: true })).id;
  customers = (await system(org, { name: "CRM", ownerId, customerData: true })).id;
  yearly = (await system(org, { name: "Vault", ownerId, production: true, reviewPeriodDays: 365 }))
    .id;
  internal = (await system(org, { name: "Lunch menu", ownerId })).id;
  const pat = await apiPerson(org, { name: "Pat" });
  for (const systemId of [production, customers, yearly, internal]) {
    await sqlGrant(org, { personId: pat, systemId });
  }
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function campaigns() {
  const reply = await org.owner.client.get("/api/v1/access-reviews?limit=200");
  return reply.body.items as {
    id: string;
    scheduled: boolean;
    status: string;
    startedBy: unknown;
    systems: { system: { id: string } }[];
  }[];
}

const setReview = (id: string, changes: string) =>
  withTenant(t.deps.db, org.id, (tx) =>
    sql`update access_reviews set ${sql.raw(changes)} where id = ${id}`.execute(tx),
  );

describe("the review schedule and reminders", () => {
  let first: string;

  it("starts one scheduled campaign over the in-scope systems never reviewed", async () => {
    expect(await startScheduledReviews(t.deps)).toBe(1);
    const [campaign] = await campaigns();
    expect(campaign).toMatchObject({ scheduled: true, status: "open", startedBy: null });
    const systems = campaign?.systems.map((s) => s.system.id).sort();
    expect(systems).toEqual([production, customers, yearly].sort());
    first = campaign?.id as string;
    // Its systems are under review: nothing more to start.
    expect(await startScheduledReviews(t.deps)).toBe(0);
  });

  it("reminds the reviewer when it starts, 3 days before due, and daily once overdue", async () => {
    expect(await sendReviewReminders(t.deps)).toBe(1);
    const mail = smtp.messages.at(-1);
    expect(mail?.to).toEqual([rita.email.toLowerCase()]);
    expect(mail?.subject).toBe("To decide: 3 access review items");
    expect(mail?.body).toContain("https://attest.acme.test/access/reviews");
    expect(await sendReviewReminders(t.deps)).toBe(0);

    // Reminded when it started, 5 days ago; now due in 2 days.
    await setReview(
      first,
      "started_at = now() - interval '5 days', reminded_at = now() - interval '5 days', due_at = now() + interval '2 days'",
    );
    expect(await sendReviewReminders(t.deps)).toBe(1);
    expect(await sendReviewReminders(t.deps)).toBe(0);

    await setReview(
      first,
      "started_at = now() - interval '20 days', due_at = now() - interval '1 day', reminded_at = now() - interval '25 hours'",
    );
    expect(await sendReviewReminders(t.deps)).toBe(1);
    expect(smtp.messages.at(-1)?.subject).toBe("Overdue: 3 access review items to decide");
    expect(await sendReviewReminders(t.deps)).toBe(0);
  });

  it("starts the next campaign when a system's period since its last review runs out", async () => {
    const ids = (await itemsOf(rita.client, first)).map((i) => i.id);
    const decided = await rita.client.post(`/api/v1/access-reviews/${first}/decisions`, {
      itemIds: ids,
      decision: "keep",
    });
    expect(decided.body.review.status).toBe("completed");
    // Reviewed 30 days ago: not due for another 62 days (92-day period, 14 due days).
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_review_systems set completed_at = now() - interval '30 days'
          where review_id = ${first}`.execute(tx),
    );
    expect(await startScheduledReviews(t.deps)).toBe(0);
    // 80 days ago: due within 14 days, except the system reviewed yearly.
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_review_systems set completed_at = now() - interval '80 days'
          where review_id = ${first}`.execute(tx),
    );
    expect(await startScheduledReviews(t.deps)).toBe(1);
    const next = (await campaigns()).find((c) => c.id !== first);
    expect(next?.systems.map((s) => s.system.id).sort()).toEqual([production, customers].sort());
    expect(next?.systems.some((s) => s.system.id === internal)).toBe(false);
  });

  it("sends nothing without SMTP", async () => {
    expect(await sendReviewReminders({ ...t.deps, mailer: null })).toBe(0);
  });
});
