import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backdateEndpoint, endpoint, organization, storedProbe, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayAgo, testOf } from "../access/checks-helpers.ts";

/**
 * encryption-in-transit's endpoints-tls through the API, now and ?asOf=, with probes stored as
 * if made in the past: not applicable without endpoints or internet-facing systems; failing
 * without a probe, with a probe older than 7 days, with a failed probe or an expired
 * certificate, and for an internet-facing system with no endpoint; due soon while the
 * certificate expires within 14 days; passing otherwise.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const tlsOf = (org: Parameters<typeof testOf>[0], asOf?: string) =>
  testOf(org, "encryption-in-transit", "endpoints-tls", asOf);

describe("endpoints-tls", () => {
  it("is not applicable with neither endpoints nor internet-facing systems, failing without a probe, passing after one", async () => {
    const org = await organization(t);
    expect((await tlsOf(org)).state).toBe("not_applicable");
    const api = await endpoint(org, { host: "api.example.com", port: 443 });
    const unprobed = await tlsOf(org);
    expect(unprobed.state).toBe("failing");
    expect(unprobed.offenders).toEqual([
      expect.objectContaining({
        kind: "endpoint",
        id: api.id,
        label: "api.example.com:443",
        link: `/endpoints/${api.id}`,
        state: "failing",
        action: "api.example.com:443 has no probe yet: probe it now.",
      }),
    ]);
    await backdateEndpoint(org, api.id, 30);
    await storedProbe(org, api.id, { daysAgo: 1 });
    const passing = await tlsOf(org);
    expect(passing.state).toBe("passing");
    expect(passing.message).toBe(
      "Every internet-facing endpoint (1) passed a live TLS probe within 7 days: TLS 1.2 or newer only, a valid certificate for its name, HTTP redirecting to HTTPS.",
    );
    // Before the probe, it had none; before its registration, there was nothing to judge.
    expect((await tlsOf(org, dayAgo(3))).offenders[0]?.action).toMatch(/has no probe yet/);
    expect((await tlsOf(org, dayAgo(40))).state).toBe("not_applicable");
  });

  it("fails a last probe older than 7 days, and passed as of a day it was recent", async () => {
    const org = await organization(t);
    const api = await endpoint(org, { host: "old.example.com", port: 443 });
    await backdateEndpoint(org, api.id, 60);
    await storedProbe(org, api.id, { daysAgo: 10 });
    const stale = await tlsOf(org);
    expect(stale.state).toBe("failing");
    expect(stale.offenders[0]?.action).toMatch(
      /^old\.example\.com:443 was last probed on \d{4}-\d{2}-\d{2}, more than 7 days ago: probe it now\.$/,
    );
    expect((await tlsOf(org, dayAgo(8))).state).toBe("passing");
    expect((await tlsOf(org, dayAgo(18))).state).toBe("failing");
  });

  it("fails a failed probe naming what failed, and an expired certificate", async () => {
    const org = await organization(t);
    const plain = await endpoint(org, { host: "plain.example.com", port: 443 });
    const expiring = await endpoint(org, { host: "cert.example.com", port: 443 });
    await backdateEndpoint(org, plain.id, 30);
    await backdateEndpoint(org, expiring.id, 30);
    await storedProbe(org, plain.id, {
      daysAgo: 2,
      failures: ["plain.example.com:443: plain HTTP does not redirect to HTTPS"],
    });
    // Passed three days ago with two days left: expired since.
    await storedProbe(org, expiring.id, { daysAgo: 3, certificateDays: 2 });
    const failing = await tlsOf(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenderCount).toBe(2);
    const actions = failing.offenders.map((o) => o.action);
    expect(actions).toContainEqual(
      expect.stringMatching(
        /failed: plain\.example\.com:443: plain HTTP does not redirect to HTTPS\. Fix the endpoint and probe it again\.$/,
      ),
    );
    expect(actions).toContainEqual(
      expect.stringMatching(/^The certificate of cert\.example\.com:443 expired on /),
    );
    // The day of its probe, the certificate was due soon (expiring within 14 days).
    const thatDay = await tlsOf(org, new Date(Date.now() - 3 * 86_400_000 + 60_000).toISOString());
    expect(thatDay.offenders.find((o) => o.label === "cert.example.com:443")?.state).toBe(
      "due_soon",
    );
  });

  it("is due soon while a certificate expires within 14 days", async () => {
    const org = await organization(t);
    const api = await endpoint(org, { host: "soon.example.com", port: 443 });
    await backdateEndpoint(org, api.id, 30);
    await storedProbe(org, api.id, { daysAgo: 1, certificateDays: 11 });
    const soon = await tlsOf(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.message).toBe("1 certificate expires within 14 days.");
    expect(soon.offenders[0]).toMatchObject({
      kind: "endpoint",
      state: "due_soon",
      label: "soon.example.com:443",
    });
    expect(soon.offenders[0]?.action).toMatch(
      /^The certificate of soon\.example\.com:443 expires on /,
    );
    expect(soon.offenders[0]?.dueAt).toBeTruthy();
  });

  it("fails an internet-facing system with no endpoint registered, until one is", async () => {
    const org = await organization(t);
    const site = await system(org, { name: "Marketing site", internetFacing: true });
    const failing = await tlsOf(org);
    expect(failing.state).toBe("failing");
    expect(failing.offenders).toEqual([
      expect.objectContaining({
        kind: "system",
        id: site.id,
        link: `/systems/${site.id}`,
        action: "Marketing site is marked internet-facing: register its endpoints.",
      }),
    ]);
    const www = await endpoint(org, { host: "www.example.com", port: 443, systemId: site.id });
    await storedProbe(org, www.id, { daysAgo: 0 });
    expect((await tlsOf(org)).state).toBe("passing");
  });

  it("stops counting an archived endpoint, which still counts for the days before", async () => {
    const org = await organization(t);
    const api = await endpoint(org, { host: "gone.example.com", port: 443 });
    await backdateEndpoint(org, api.id, 30);
    await storedProbe(org, api.id, { daysAgo: 2 });
    const archived = await org.owner.client.post(`/api/v1/endpoints/${api.id}/archive`, {});
    expect(archived.status).toBe(200);
    expect((await tlsOf(org)).state).toBe("not_applicable");
    expect((await tlsOf(org, dayAgo(1))).state).toBe("passing");
  });
});
