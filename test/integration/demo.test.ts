import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChains } from "../../src/modules/audit-log/audit-log.service.ts";
import { seedDemoOrganization } from "../../src/modules/demo/demo.service.ts";
import { Client, createTestApp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the demo organization", () => {
  it("should seed a small organization whose owner signs in and whose trust center is live", async () => {
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    expect(demo.counts.people).toBeGreaterThan(10);
    // The seeded year of audit events continues the chain setup began, unbroken.
    const chain = (await verifyAuditChains(t.deps.db)).find(
      (result) => result.organizationId === demo.organizationId,
    );
    expect(chain?.firstBreak).toBeNull();
    expect(chain?.eventsChecked).toBeGreaterThan(demo.counts.auditEvents ?? 0);

    const owner = new Client(t.app);
    const login = await owner.post("/api/v1/auth/login", {
      email: demo.ownerEmail,
      password: demo.password,
    });
    expect(login.status).toBe(200);
    const policies = await owner.get("/api/v1/policies");
    expect(policies.body.items.length).toBe(11);
    // Every published policy is finished text, filled from Demo Co's company profile.
    const organization = await owner.get("/api/v1/organization");
    expect(organization.body.companyProfile.legalEntity).toBe("Demo Co Ltd");
    for (const item of policies.body.items as { id: string }[]) {
      const policy = (await owner.get(`/api/v1/policies/${item.id}`)).body;
      expect(policy.versions[0], policy.title).toMatchObject({
        status: "published",
        placeholders: [],
        templateNote: false,
      });
      expect(policy.versions[0].body).not.toContain("{{");
    }

    const visitor = new Client(t.app);
    const page = await visitor.request("GET", "/trust");
    expect(page.status).toBe(200);
    const text = String(page.body);
    expect(text).toContain("Demo Co");
    expect(text).toContain("No impact from the OpenSSL advisory");
    expect(text).toContain("Incident Response Plan");
    // Its controls are chosen, and only those in place are listed.
    const summary = await owner.get("/api/v1/trust-center/publish-summary");
    const center = (await owner.get("/api/v1/trust-center")).body;
    expect(center.draft).toMatchObject({ controlSelection: "chosen", onlyInPlace: true });
    expect(center.draft.shownCategories.length).toBeGreaterThan(0);
    expect(summary.body.controls.inProgress).toBe(0);
    expect(summary.body.controls.shown).toBeGreaterThan(0);
    expect(text).toContain('id="controls"');
    expect(text).not.toContain("In progress");

    const notices = await owner.get("/api/v1/notices");
    expect(notices.body.items.map((n: { status: string }) => n.status).sort()).toEqual([
      "published",
      "resolved",
    ]);
  });
});
