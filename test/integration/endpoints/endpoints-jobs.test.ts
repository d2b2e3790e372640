import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { probeDueEndpoints } from "../../../src/modules/endpoints/endpoints.jobs.ts";
import { loadConfig } from "../../../src/platform/config.ts";
import { endpoint, organization, storedProbe } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import {
  closeTlsFixtures,
  makeTlsFixtures,
  serve,
  type TlsFixtures,
} from "../../helpers/tls-servers.ts";

/**
 * The scheduled prober: every endpoint not archived whose last probe is older than the
 * interval (default a day) or that was never probed is claimed and probed, by the system
 * actor; one probed recently, archived, or claimed by another node is left alone.
 */
let t: TestApp;
let fixtures: TlsFixtures;

beforeAll(async () => {
  fixtures = makeTlsFixtures();
  t = await createTestApp({
    probe: { ...loadConfig({}).probe, allowLoopback: true, caFile: fixtures.caFile },
  });
});
afterAll(async () => {
  await t?.close();
  await closeTlsFixtures();
});

async function probesOf(orgId: string, endpointId: string) {
  return withTenant(t.deps.db, orgId, (tx) =>
    tx
      .selectFrom("endpoint_probes")
      .select(["trigger", "passed", "created_by"])
      .where("endpoint_id", "=", endpointId)
      .orderBy("probed_at")
      .execute(),
  );
}

describe("the scheduled prober", () => {
  it("probes the endpoints due, and only those", async () => {
    const org = await organization(t);
    const server = await serve("good", { redirect: true });
    const never = await endpoint(org, {
      host: "localhost",
      port: server.port,
      httpPort: server.httpPort,
    });
    const recent = await endpoint(org);
    await storedProbe(org, recent.id, { daysAgo: 0 });
    const old = await endpoint(org);
    await storedProbe(org, old.id, { daysAgo: 2 });
    const archived = await endpoint(org);
    await org.owner.client.post(`/api/v1/endpoints/${archived.id}/archive`, {});
    const claimed = await endpoint(org);
    await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .updateTable("endpoints")
        .set({ probe_claimed_at: new Date() })
        .where("id", "=", claimed.id)
        .execute(),
    );

    await probeDueEndpoints(t.deps);

    expect(await probesOf(org.id, never.id)).toEqual([
      { trigger: "scheduled", passed: true, created_by: null },
    ]);
    // The documentation address is refused: a recorded failure.
    expect((await probesOf(org.id, old.id)).map((p) => [p.trigger, p.passed])).toEqual([
      ["scheduled", true],
      ["scheduled", false],
    ]);
    expect(await probesOf(org.id, recent.id)).toHaveLength(1);
    expect(await probesOf(org.id, archived.id)).toHaveLength(0);
    expect(await probesOf(org.id, claimed.id)).toHaveLength(0);

    // Probed now: nothing is due on the next run.
    await probeDueEndpoints(t.deps);
    expect(await probesOf(org.id, never.id)).toHaveLength(1);
    const listed = await org.owner.client.get(`/api/v1/endpoints/${never.id}`);
    expect(listed.body).toMatchObject({ status: "passing", lastProbe: { trigger: "scheduled" } });
  });
});
