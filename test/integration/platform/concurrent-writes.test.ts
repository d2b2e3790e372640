import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { subscribe } from "../../../src/modules/notices/notices.subscriptions.ts";
import { conflictOf } from "../../../src/platform/db-errors.ts";
import { organization, policy, user } from "../../factories.ts";
import { createTestApp, type Reply, type TestApp } from "../../helpers/app.ts";

/**
 * The same write sent sixteen times at once. PGlite runs one transaction at a time, so there
 * the requests queue; on PostgreSQL (a pool of five connections) they race for real.
 */
const PARALLEL = 16;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function times<T>(work: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: PARALLEL }, work));
}

function statuses(replies: Reply[]): number[] {
  return replies.map((reply) => reply.status).sort();
}

describe("parallel writes", () => {
  it("should create a person once and answer the other creates with a 409 naming the email", async () => {
    const { owner } = await organization(t, { name: "Race People Co" });
    const replies = await times(() =>
      owner.client.post("/api/v1/people", {
        name: "Robin Race",
        email: "robin.race@example.test",
        startDate: "2026-01-05",
      }),
    );
    expect(statuses(replies)).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
    for (const reply of replies.filter((r) => r.status === 409)) {
      expect(reply.body).toMatchObject({ code: "conflict", errors: [{ field: "email" }] });
    }
    const rows = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("people").select("id").where("email", "=", "robin.race@example.test").execute(),
    );
    expect(rows).toHaveLength(1);
  });

  it("should start one draft when the same published policy is saved sixteen times at once", async () => {
    const org = await organization(t, { name: "Race Drafts Co" });
    const { owner } = org;
    const admin = await user(org, "admin");
    // Written by the owner, approved by an admin.
    const published = await policy(org, {
      title: "Clean desks",
      body: "# Clean desks\n",
      status: "published",
      approver: admin,
    });
    const replies = await times(() =>
      owner.client.request("PUT", `/api/v1/policies/${published.id}/draft`, {
        body: "# Clean desks\n\nNothing left on desks overnight.\n",
      }),
    );
    expect(statuses(replies)).toEqual(Array(PARALLEL).fill(200));
    const versions = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .selectFrom("policy_versions")
        .select(["version", "status"])
        .where("policy_id", "=", published.id)
        .orderBy("version")
        .execute(),
    );
    expect(versions).toEqual([
      { version: 1, status: "published" },
      { version: 2, status: "draft" },
    ]);
  });

  it("should record one acknowledgement, and answer every parallel one as done", async () => {
    const org = await organization(t, { name: "Race Acks Co" });
    const { owner } = org;
    const admin = await user(org, "admin");
    const published = await policy(org, {
      title: "Acceptable use",
      body: "# Acceptable use\n",
      status: "published",
      approver: admin,
    });
    const { versionId } = published;
    const replies = await times(() =>
      admin.client.post(`/api/v1/policies/${published.id}/acknowledge`, { versionId }),
    );
    expect(statuses(replies)).toEqual(Array(PARALLEL).fill(200));
    const times_ = new Set(replies.map((reply) => reply.body.acknowledgedAt));
    expect(times_.size).toBe(1);
    const recorded = await withTenant(t.deps.db, owner.organizationId, async (tx) => ({
      acknowledgements: await tx
        .selectFrom("policy_acknowledgements")
        .select("id")
        .where("version_id", "=", versionId)
        .execute(),
      events: await tx
        .selectFrom("audit_events")
        .select("id")
        .where("action", "=", "policy.acknowledged")
        .execute(),
    }));
    expect(recorded.acknowledgements).toHaveLength(1);
    expect(recorded.events).toHaveLength(1);
  });

  it("should give a control one policy and answer the other creates with a 409 naming the control", async () => {
    const { owner } = await organization(t, { name: "Race Policies Co" });
    const replies = await times(() =>
      owner.client.post("/api/v1/policies", { templateKey: "bcdr-policy" }),
    );
    expect(statuses(replies)).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
    for (const reply of replies.filter((r) => r.status === 409)) {
      expect(reply.body).toMatchObject({ code: "conflict", errors: [{ field: "controlKey" }] });
    }
  });

  it("should designate the same report handlers sixteen times at once without a conflict", async () => {
    const org = await organization(t, { name: "Race Handlers Co" });
    const { owner } = org;
    const admin = await user(org, "admin");
    const replies = await times(() =>
      owner.client.request("PUT", "/api/v1/reporting/handlers", {
        userIds: [owner.id, admin.id],
      }),
    );
    expect(statuses(replies)).toEqual(Array(PARALLEL).fill(200));
    const handlers = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("report_handlers").select("user_id").execute(),
    );
    expect(handlers).toHaveLength(2);
  });

  it("should keep one subscriber when the same address subscribes sixteen times at once", async () => {
    const { owner } = await organization(t, { name: "Race Notices Co" });
    const site = { organizationId: owner.organizationId, companyName: "Race", basePath: "/trust" };
    const email = "reader.race@example.test";
    const outcomes = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () => subscribe(t.deps, site, email)),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    // One request records the address and mails it; the others are told nothing new.
    expect(outcomes.filter((o) => o.status === "fulfilled" && o.value !== null)).toHaveLength(1);
    const rows = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("notice_subscribers").select("id").where("email", "=", email).execute(),
    );
    expect(rows).toHaveLength(1);
  });
});

describe("the database errors of a concurrent write", () => {
  async function raised(work: Promise<unknown>): Promise<unknown> {
    return work.then(
      () => expect.unreachable("the statement should have failed"),
      (error: unknown) => error,
    );
  }

  it("should make a unique violation a conflict naming the constraint's field", async () => {
    const { owner } = await organization(t, { name: "Errors Co" });
    const insert = () =>
      withTenant(t.deps.db, owner.organizationId, (tx) =>
        tx
          .insertInto("people")
          .values({
            organization_id: owner.organizationId,
            name: "Twice",
            email: "twice@example.test",
            start_date: "2026-01-05",
          })
          .execute(),
      );
    await insert();
    const conflict = conflictOf(await raised(insert()));
    expect(conflict).toMatchObject({ code: "conflict", fieldErrors: [{ field: "email" }] });
  });

  it("should make a serialization failure or a deadlock a conflict to try again", async () => {
    for (const code of ["40001", "40P01"]) {
      const error = await raised(
        sql`do $$ begin raise exception 'raised by the test' using errcode = ${sql.lit(code)}; end $$`.execute(
          t.deps.db,
        ),
      );
      expect(conflictOf(error)).toMatchObject({ code: "conflict", fieldErrors: [] });
    }
    // Anything else stays an error of the server.
    const other = await raised(sql`select 1 / 0`.execute(t.deps.db));
    expect(conflictOf(other)).toBeNull();
  });
});
