import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganization } from "../../../src/modules/demo.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayAgo } from "../access/checks-helpers.ts";

/**
 * The demo's endpoints: every internet-facing system has one, a year of weekly probes; today
 * the marketing site fails (plain HTTP no longer redirects) and the support desk's certificate
 * is due soon; a month ago every endpoint passed.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the demo's endpoints", { timeout: 120_000 }, () => {
  it("fail today for the marketing site, come due for the support desk, passed a month ago", async () => {
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    await reevaluate(t.deps.db, demo.organizationId);
    const owner = new Client(t.app);
    expect(
      (await owner.post("/api/v1/auth/login", { email: demo.ownerEmail, password: demo.password }))
        .status,
    ).toBe(200);
    const endpoints = (await owner.get("/api/v1/endpoints")).body.items as {
      host: string;
      status: string;
      system: { name: string } | null;
    }[];
    expect(endpoints.length).toBeGreaterThanOrEqual(4);
    const statusOf = (host: string) => endpoints.find((e) => e.host === host)?.status;
    expect(statusOf("www.demo-co.example")).toBe("failing");
    expect(statusOf("support.demo-co.example")).toBe("due_soon");
    expect(endpoints.filter((e) => e.status === "passing").length).toBe(endpoints.length - 2);

    const control = async (asOf?: string) =>
      (await owner.get(`/api/v1/controls/encryption-in-transit${asOf ? `?asOf=${asOf}` : ""}`))
        .body;
    const test = (body: { tests: { key: string; state: string; offenders: unknown[] }[] }) =>
      body.tests.find((x) => x.key === "endpoints-tls");
    const today = test(await control());
    expect(today?.state).toBe("failing");
    expect(today?.offenders).toEqual([
      expect.objectContaining({ label: "www.demo-co.example:443", state: "failing" }),
      expect.objectContaining({ label: "support.demo-co.example:443", state: "due_soon" }),
    ]);
    expect(test(await control(dayAgo(30)))?.state).toBe("passing");
  });
});
