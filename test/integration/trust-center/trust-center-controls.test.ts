import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { backdateApprovals, backdatePolicy } from "../../helpers/backdate.ts";
import { createFinishedPolicy, publishPolicy } from "../../helpers/policies.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type TestRow = {
  key: string;
  state: string;
  message: string;
  offenders: { kind: string; id: string; link: string; action: string; state?: string }[];
};

async function control(person: Person, key: string, asOf?: string) {
  const reply = await person.client.get(`/api/v1/controls/${key}${asOf ? `?asOf=${asOf}` : ""}`);
  expect(reply.status).toBe(200);
  const tests = Object.fromEntries((reply.body.tests as TestRow[]).map((test) => [test.key, test]));
  return { status: reply.body.status as string, tests };
}

async function testOf(person: Person, controlKey: string, testKey: string, asOf?: string) {
  const found = (await control(person, controlKey, asOf)).tests[testKey];
  if (!found) throw new Error(`${controlKey} has no test ${testKey}`);
  return found;
}

/** Moves every publication of the trust center `days` into the past. */
async function backdatePublications(owner: Person, days: number) {
  await withTenant(t.deps.db, owner.organizationId, (tx) =>
    sql`update trust_center_publications
        set published_at = published_at - make_interval(days => ${days})`.execute(tx),
  );
  await reevaluate(t.deps.db, owner.organizationId);
}

const daysAgo = (days: number) => isoDay(addDays(new Date(), -days));

describe("services-described and commitments-published", () => {
  it("should leave not_evaluated on the first read: both tests are evaluated and stored, now and as of a past date", async () => {
    const owner = await createOrganization(t, "First Read Co");
    const keys = ["description-of-services", "security-commitments"];
    const stored = () =>
      withTenant(t.deps.db, owner.organizationId, (tx) =>
        tx
          .selectFrom("test_results")
          .select(["control_key", "test_key", "state"])
          .where("control_key", "in", keys)
          .orderBy("control_key")
          .orderBy("test_key")
          .execute(),
      );
    // Nothing evaluated yet: the API would have to say not_evaluated.
    expect(await stored()).toEqual([]);
    const list = await owner.client.get("/api/v1/controls");
    expect(list.status).toBe(200);
    const listed = (list.body.items as { key: string; status: string; tests: TestRow[] }[]).filter(
      (c) => keys.includes(c.key),
    );
    expect(listed.map((c) => c.status)).toEqual(["failing", "failing"]);
    for (const c of listed)
      for (const test of c.tests) expect(test.state).not.toBe("not_evaluated");
    expect(await stored()).toEqual([
      { control_key: "description-of-services", test_key: "services-described", state: "failing" },
      { control_key: "security-commitments", test_key: "commitments-published", state: "failing" },
      { control_key: "security-commitments", test_key: "policy-acknowledged", state: "failing" },
    ]);
    for (const [controlKey, testKey] of [
      ["description-of-services", "services-described"],
      ["security-commitments", "commitments-published"],
    ] as const) {
      expect((await testOf(owner, controlKey, testKey, daysAgo(1))).state).toBe("failing");
    }
  });

  it("should fail naming the trust center while it was never published", async () => {
    const owner = await createOrganization(t, "Never Published Co");
    for (const [controlKey, testKey] of [
      ["description-of-services", "services-described"],
      ["security-commitments", "commitments-published"],
    ] as const) {
      const test = await testOf(owner, controlKey, testKey);
      expect(test.state).toBe("failing");
      expect(test.offenders).toEqual([
        expect.objectContaining({ kind: "trust_center", link: "/trust-center" }),
      ]);
      expect(test.offenders[0]?.action).toMatch(/Publish the trust center/);
    }
    expect((await control(owner, "description-of-services")).status).toBe("failing");
  });

  it("should fail without the document, pass once it is published and shown, and fail when hidden or offline", async () => {
    const owner = await createOrganization(t, "Services Co");
    expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    let test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({
      kind: "control",
      link: "/policies/new?control=description-of-services",
    });

    const policyId = (await publishPolicy(owner, "description-of-services")).id;
    test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("passing");
    expect((await control(owner, "description-of-services")).status).toBe("passing");

    await owner.client.patch("/api/v1/trust-center", { showDescriptionOfServices: false });
    // Hidden only in the draft: the publication in force still shows it.
    expect((await testOf(owner, "description-of-services", "services-described")).state).toBe(
      "passing",
    );
    await owner.client.post("/api/v1/trust-center/publish");
    test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({ kind: "trust_center", link: "/trust-center" });

    await owner.client.patch("/api/v1/trust-center", { showDescriptionOfServices: true });
    await owner.client.post("/api/v1/trust-center/publish");
    expect((await testOf(owner, "description-of-services", "services-described")).state).toBe(
      "passing",
    );

    expect((await owner.client.post("/api/v1/trust-center/offline")).status).toBe(200);
    test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("failing");
    expect(test.message).toMatch(/offline/);
    expect(policyId).toBeTruthy();
  });

  it("should come due 30 days before the yearly review, fail after it, and pass again once re-approved", async () => {
    const owner = await createOrganization(t, "Review Co");
    await owner.client.post("/api/v1/trust-center/publish");
    const policyId = (await publishPolicy(owner, "security-commitments")).id;
    expect((await testOf(owner, "security-commitments", "commitments-published")).state).toBe(
      "passing",
    );

    await backdateApprovals(t, owner.organizationId, policyId, 350);
    let test = await testOf(owner, "security-commitments", "commitments-published");
    expect(test.state).toBe("due_soon");
    expect(test.offenders[0]).toMatchObject({
      kind: "policy",
      id: policyId,
      link: `/policies/${policyId}`,
      state: "due_soon",
    });

    await backdateApprovals(t, owner.organizationId, policyId, 30);
    test = await testOf(owner, "security-commitments", "commitments-published");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]?.action).toMatch(/re-approve/);

    expect((await owner.client.post(`/api/v1/policies/${policyId}/review`, {})).status).toBe(200);
    expect((await testOf(owner, "security-commitments", "commitments-published")).state).toBe(
      "passing",
    );
  });

  it("should be evaluable as of a past date from the publication history", async () => {
    const owner = await createOrganization(t, "History Co");
    const policyId = (await publishPolicy(owner, "description-of-services")).id;
    await backdatePolicy(t, owner.organizationId, policyId, 40);
    await owner.client.post("/api/v1/trust-center/publish");
    await backdatePublications(owner, 20);
    await owner.client.post("/api/v1/trust-center/offline");
    await backdatePublications(owner, 5);
    // Published 25 days ago, offline since 5 days ago.
    expect((await testOf(owner, "description-of-services", "services-described")).state).toBe(
      "failing",
    );
    expect(
      (await testOf(owner, "description-of-services", "services-described", daysAgo(10))).state,
    ).toBe("passing");
    const before = await testOf(
      owner,
      "description-of-services",
      "services-described",
      daysAgo(30),
    );
    expect(before.state).toBe("failing");
    expect(before.message).toMatch(/never been published/);
  });

  it("should drive services-described through due soon and an overdue review, now and as of past dates", async () => {
    const owner = await createOrganization(t, "Services Review Co");
    await owner.client.post("/api/v1/trust-center/publish");
    await backdatePublications(owner, 400);
    const policyId = (await publishPolicy(owner, "description-of-services")).id;
    // Created, published and approved 350 days ago: the review falls due in 15 days.
    await backdatePolicy(t, owner.organizationId, policyId, 350);
    let test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("due_soon");
    expect(test.message).toMatch(/is due for review/);
    expect(test.offenders).toEqual([
      expect.objectContaining({
        kind: "policy",
        id: policyId,
        link: `/policies/${policyId}`,
        state: "due_soon",
        dueAt: expect.stringMatching(new RegExp(`^${isoDay(addDays(new Date(), 15))}`)),
      }),
    ]);
    expect((await control(owner, "description-of-services")).status).toBe("needs_attention");

    // 380 days on, the review is 15 days overdue.
    await backdatePolicy(t, owner.organizationId, policyId, 30);
    test = await testOf(owner, "description-of-services", "services-described");
    expect(test.state).toBe("failing");
    expect(test.message).toMatch(/was due for review/);
    expect(test.offenders[0]).toMatchObject({ kind: "policy", id: policyId, state: "failing" });
    expect(test.offenders[0]?.action).toMatch(/re-approve/);

    // As of past dates, from the same data: overdue, due soon, passing.
    expect(
      (await testOf(owner, "description-of-services", "services-described", daysAgo(5))).state,
    ).toBe("failing");
    const dueSoon = await testOf(
      owner,
      "description-of-services",
      "services-described",
      daysAgo(20),
    );
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id: policyId, state: "due_soon" });
    expect(
      (await testOf(owner, "description-of-services", "services-described", daysAgo(60))).state,
    ).toBe("passing");

    // A review today clears it now, not as of yesterday.
    expect((await owner.client.post(`/api/v1/policies/${policyId}/review`, {})).status).toBe(200);
    expect((await testOf(owner, "description-of-services", "services-described")).state).toBe(
      "passing",
    );
    expect(
      (await testOf(owner, "description-of-services", "services-described", daysAgo(1))).state,
    ).toBe("failing");
  });

  it("should drive commitments-published through no document, hidden and offline, now and as of past dates", async () => {
    const owner = await createOrganization(t, "Commitments Co");
    const commitments = (asOf?: string) =>
      testOf(owner, "security-commitments", "commitments-published", asOf);
    const publish = async (show: boolean) => {
      const patched = await owner.client.patch("/api/v1/trust-center", {
        showSecurityCommitments: show,
      });
      expect(patched.status).toBe(200);
      expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    };

    // Shown, but there is no document: failing, pointing at the template.
    await publish(true);
    let test = await commitments();
    expect(test.state).toBe("failing");
    expect(test.message).toMatch(/no policy document/);
    expect(test.offenders).toEqual([
      expect.objectContaining({
        kind: "control",
        id: "security-commitments",
        link: "/policies/new?control=security-commitments",
      }),
    ]);
    await backdatePublications(owner, 20);

    // The document, published and approved 40 days ago: passing.
    const policyId = (await publishPolicy(owner, "security-commitments")).id;
    await backdatePolicy(t, owner.organizationId, policyId, 40);
    expect((await commitments()).state).toBe("passing");

    // Hidden from the trust center: failing, naming the trust center.
    await publish(false);
    test = await commitments();
    expect(test.state).toBe("failing");
    expect(test.message).toMatch(/does not show the Security Commitments/);
    expect(test.offenders).toEqual([
      expect.objectContaining({ kind: "trust_center", link: "/trust-center" }),
    ]);
    expect(test.offenders[0]?.action).toMatch(/Turn on "Security Commitments"/);
    await backdatePublications(owner, 10);

    await publish(true);
    expect((await commitments()).state).toBe("passing");
    await backdatePublications(owner, 10);

    // Offline: failing, saying so.
    expect((await owner.client.post("/api/v1/trust-center/offline")).status).toBe(200);
    test = await commitments();
    expect(test.state).toBe("failing");
    expect(test.message).toBe("The trust center is offline.");
    expect(test.offenders[0]).toMatchObject({ kind: "trust_center", link: "/trust-center" });
    await backdatePublications(owner, 10);

    // Shown since day -50 (no document until -40), hidden from -30, shown from -20, offline
    // from -10: each state as of a day within it.
    const past = async (days: number) => {
      const found = await commitments(daysAgo(days));
      return [found.state, found.offenders[0]?.kind];
    };
    expect(await past(45)).toEqual(["failing", "control"]);
    expect(await past(35)).toEqual(["passing", undefined]);
    expect(await past(25)).toEqual(["failing", "trust_center"]);
    expect((await commitments(daysAgo(25))).message).toMatch(/does not show/);
    expect(await past(15)).toEqual(["passing", undefined]);
    expect(await past(5)).toEqual(["failing", "trust_center"]);
    expect((await commitments(daysAgo(5))).message).toBe("The trust center is offline.");
    expect((await commitments()).state).toBe("failing");
  });
});

describe("policy-public", () => {
  it("should fail with only a draft, naming the policy, now and as of a date before its approval", async () => {
    const owner = await createOrganization(t, "Draft Co");
    await owner.client.post("/api/v1/trust-center/publish");
    await backdatePublications(owner, 30);
    const created = await createFinishedPolicy(owner, "terms-of-service");
    const policyId = created.body.id as string;
    const test = await testOf(owner, "terms-of-service", "policy-public");
    expect(test.state).toBe("failing");
    expect(test.message).toBe("The document has no published version.");
    expect(test.offenders).toEqual([
      expect.objectContaining({ kind: "policy", id: policyId, link: `/policies/${policyId}` }),
    ]);
    expect(test.offenders[0]?.action).toMatch(/Submit a version for approval/);

    // Submitted but not yet approved is still only a draft for the trust center.
    expect((await owner.client.post(`/api/v1/policies/${policyId}/submit`)).status).toBe(200);
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("failing");

    // The draft was written 20 days ago and approved today.
    await backdatePolicy(t, owner.organizationId, policyId, 20);
    expect((await owner.client.post(`/api/v1/policies/${policyId}/approve`, {})).status).toBe(200);
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("passing");
    const before = await testOf(owner, "terms-of-service", "policy-public", daysAgo(10));
    expect(before.state).toBe("failing");
    expect(before.offenders[0]).toMatchObject({ kind: "policy", id: policyId });
    expect(before.message).toBe("The document has no published version.");
  });

  it("should fail without a policy, fail while internal or the trust center is offline, and pass when public and online", async () => {
    const owner = await createOrganization(t, "Public Co");
    let test = await testOf(owner, "terms-of-service", "policy-public");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({
      kind: "control",
      link: "/policies/new?control=terms-of-service",
    });

    const policyId = (await publishPolicy(owner, "terms-of-service")).id;
    test = await testOf(owner, "terms-of-service", "policy-public");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({ kind: "trust_center", link: "/trust-center" });

    await owner.client.post("/api/v1/trust-center/publish");
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("passing");

    expect(
      (await owner.client.patch(`/api/v1/policies/${policyId}`, { visibility: "internal" })).status,
    ).toBe(200);
    test = await testOf(owner, "terms-of-service", "policy-public");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({
      kind: "policy",
      id: policyId,
      link: `/policies/${policyId}`,
    });
    expect(test.offenders[0]?.action).toMatch(/public/);

    await owner.client.patch(`/api/v1/policies/${policyId}`, { visibility: "public" });
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("passing");
    await owner.client.post("/api/v1/trust-center/offline");
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("failing");
  });

  it("should read the policy's visibility as it was at a past time from the audit trail", async () => {
    const owner = await createOrganization(t, "Visibility Co");
    const policyId = (await publishPolicy(owner, "terms-of-service")).id;
    await owner.client.post("/api/v1/trust-center/publish");
    const whilePublic = new Date().toISOString();
    for (let i = 0; i < 100 && new Date().toISOString() === whilePublic; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await owner.client.patch(`/api/v1/policies/${policyId}`, { visibility: "internal" });
    expect((await testOf(owner, "terms-of-service", "policy-public")).state).toBe("failing");
    expect((await testOf(owner, "terms-of-service", "policy-public", whilePublic)).state).toBe(
      "passing",
    );
  });

  it("should serve the privacy policy too, and fail as of a date before its publication", async () => {
    const owner = await createOrganization(t, "Privacy Co");
    await owner.client.post("/api/v1/trust-center/publish");
    await backdatePublications(owner, 10);
    const policyId = (await publishPolicy(owner, "privacy-policy")).id;
    expect((await testOf(owner, "privacy-policy", "policy-public")).state).toBe("passing");
    await backdatePolicy(t, owner.organizationId, policyId, 3);
    const earlier = await testOf(owner, "privacy-policy", "policy-public", daysAgo(5));
    expect(earlier.state).toBe("failing");
    expect(earlier.offenders[0]?.kind).toBe("control");
  });
});
