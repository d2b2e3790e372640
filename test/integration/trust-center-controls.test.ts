import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays, isoDay } from "../../src/domain/control-status.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../helpers/app.ts";
import { backdateApprovals, backdatePolicy } from "../helpers/backdate.ts";
import { createFinishedPolicy } from "../helpers/policies.ts";

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

async function publishPolicy(owner: Person, template: string) {
  const created = await createFinishedPolicy(owner, template);
  expect(created.status).toBe(201);
  expect((await owner.client.post(`/api/v1/policies/${created.body.id}/submit`)).status).toBe(200);
  expect((await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status).toBe(
    200,
  );
  return created.body.id as string;
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
  it("should leave not_evaluated, and fail naming the trust center while it was never published", async () => {
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

    const policyId = await publishPolicy(owner, "description-of-services");
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
    const policyId = await publishPolicy(owner, "security-commitments");
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
    const policyId = await publishPolicy(owner, "description-of-services");
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
});

describe("policy-public", () => {
  it("should fail without a policy, fail while internal or the trust center is offline, and pass when public and online", async () => {
    const owner = await createOrganization(t, "Public Co");
    let test = await testOf(owner, "terms-of-service", "policy-public");
    expect(test.state).toBe("failing");
    expect(test.offenders[0]).toMatchObject({
      kind: "control",
      link: "/policies/new?control=terms-of-service",
    });

    const policyId = await publishPolicy(owner, "terms-of-service");
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
    const policyId = await publishPolicy(owner, "terms-of-service");
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
    const policyId = await publishPolicy(owner, "privacy-policy");
    expect((await testOf(owner, "privacy-policy", "policy-public")).state).toBe("passing");
    await backdatePolicy(t, owner.organizationId, policyId, 3);
    const earlier = await testOf(owner, "privacy-policy", "policy-public", daysAgo(5));
    expect(earlier.state).toBe("failing");
    expect(earlier.offenders[0]?.kind).toBe("control");
  });
});
