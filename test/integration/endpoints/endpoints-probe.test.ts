import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config.ts";
import { endpoint, type Org, organization } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";
import {
  closeTlsFixtures,
  makeTlsFixtures,
  serve,
  type TlsFixtures,
} from "../../helpers/tls-servers.ts";
import { testOf } from "../access/checks-helpers.ts";

/**
 * Live probes through the API against real TLS servers on 127.0.0.1 (test/helpers/
 * tls-servers.ts), loopback allowed and the test CA trusted by configuration: each probe is a
 * stored row with its judged outcome and its whole result filed as evidence; a good endpoint
 * passes, a self-signed, expired or wrong-host certificate and a plain HTTP port that does not
 * redirect fail, each saying why. The owners and admins are mailed once per failing episode.
 */
let t: TestApp;
let fixtures: TlsFixtures;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  fixtures = makeTlsFixtures();
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    probe: {
      ...loadConfig({}).probe,
      allowLoopback: true,
      caFile: fixtures.caFile,
      timeoutMs: 3_000,
    },
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await closeTlsFixtures();
});

async function probeOf(org: Org, leaf: string, redirect = true) {
  const server = await serve(leaf, { redirect, hsts: "max-age=31536000" });
  const registered = await endpoint(org, {
    host: "localhost",
    port: server.port,
    httpPort: server.httpPort,
  });
  const reply = await org.owner.client.post(`/api/v1/endpoints/${registered.id}/probe`);
  expect(reply.status).toBe(201);
  return { id: registered.id as string, port: server.port, probe: reply.body };
}

describe("probing an endpoint now", () => {
  it("passes a good endpoint and stores the probe with its evidence", async () => {
    const org = await organization(t);
    const { id, port, probe } = await probeOf(org, "good");
    expect(probe).toMatchObject({
      trigger: "manual",
      passed: true,
      state: "passing",
      reasons: [],
      address: "127.0.0.1",
      tlsVersions: ["TLSv1.2", "TLSv1.3"],
      chainValid: true,
      hostnameValid: true,
      httpRedirectsToHttps: true,
      hstsMaxAge: 31536000,
      certificateSubject: "CN=localhost",
      certificateIssuer: "CN=Attest Test CA",
      errors: [],
    });
    const listed = await org.owner.client.get("/api/v1/endpoints");
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, host: "localhost", port, status: "passing" }),
    ]);
    const history = await org.owner.client.get(`/api/v1/endpoints/${id}/probes`);
    expect(history.body.items.map((p: { id: string }) => p.id)).toEqual([probe.id]);
    const evidence = await org.owner.client.get(`/api/v1/evidence/${probe.evidenceId}`);
    expect(evidence.body).toMatchObject({
      controlKey: "encryption-in-transit",
      testKey: "endpoints-tls",
      title: `TLS probe of localhost:${port}`,
      contentType: "application/json",
    });
    const file = await org.owner.client.get(`/api/v1/evidence/${probe.evidenceId}/download`);
    expect(file.status).toBe(200);
    const stored = typeof file.body === "string" ? JSON.parse(file.body) : file.body;
    expect(stored).toMatchObject({ host: "localhost", port, address: "127.0.0.1" });
    expect(stored.certificate.chainValid).toBe(true);
    expect((await testOf(org, "encryption-in-transit", "endpoints-tls")).state).toBe("passing");
  });

  it("fails a self-signed, an expired and a wrong-host certificate, and no redirect", async () => {
    const org = await organization(t);
    const self = await probeOf(org, "self");
    expect(self.probe.state).toBe("failing");
    expect(self.probe.reasons).toEqual([
      `localhost:${self.port}: the certificate chain does not validate: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    ]);
    const expired = await probeOf(org, "expired");
    expect(expired.probe.state).toBe("failing");
    expect(expired.probe.reasons).toContainEqual(
      expect.stringMatching(new RegExp(`^localhost:${expired.port}: the certificate expired on `)),
    );
    const other = await probeOf(org, "other");
    expect(other.probe).toMatchObject({ state: "failing", hostnameValid: false });
    expect(other.probe.reasons).toContain(
      `localhost:${other.port}: the certificate is not valid for localhost`,
    );
    const plain = await probeOf(org, "good", false);
    expect(plain.probe).toMatchObject({ state: "failing", httpRedirectsToHttps: false });
    expect(plain.probe.reasons).toEqual([
      `localhost:${plain.port}: plain HTTP does not redirect to HTTPS`,
    ]);
    const check = await testOf(org, "encryption-in-transit", "endpoints-tls");
    expect(check.state).toBe("failing");
    expect(check.offenderCount).toBe(4);
    const listed = await org.owner.client.get("/api/v1/endpoints");
    expect(listed.body.items.map((e: { status: string }) => e.status)).toEqual([
      "failing",
      "failing",
      "failing",
      "failing",
    ]);
  });

  it("is due soon for a certificate expiring within 14 days", async () => {
    const org = await organization(t);
    const soon = await probeOf(org, "soon");
    expect(soon.probe).toMatchObject({ passed: true, state: "due_soon" });
    expect((await testOf(org, "encryption-in-transit", "endpoints-tls")).state).toBe("due_soon");
  });

  it("mails the owners and admins once when an endpoint starts failing", async () => {
    const org = await organization(t);
    const before = smtp.messages.length;
    const self = await probeOf(org, "self");
    await org.owner.client.post(`/api/v1/endpoints/${self.id}/probe`);
    const mails = smtp.messages.slice(before);
    expect(mails.map((m) => m.subject)).toEqual([`Failing TLS probe: localhost:${self.port}`]);
    expect(mails[0]?.body).toContain("self-signed certificate");
    expect(mails[0]?.body).toContain(`/endpoints/${self.id}`);
  });

  it("answers 404 for an unknown endpoint and 409 for an archived one", async () => {
    const org = await organization(t);
    const unknown = await org.owner.client.post(
      "/api/v1/endpoints/00000000-0000-4000-8000-000000000000/probe",
    );
    expect(unknown.status).toBe(404);
    const gone = await endpoint(org);
    await org.owner.client.post(`/api/v1/endpoints/${gone.id}/archive`, {});
    expect((await org.owner.client.post(`/api/v1/endpoints/${gone.id}/probe`)).status).toBe(409);
  });
});

describe("registering an endpoint", () => {
  it("refuses a host with a scheme, a path or a port, naming the field", async () => {
    const org = await organization(t);
    for (const host of [
      "https://api.example.com",
      "api.example.com/login",
      "api.example.com:443",
      "a b",
      "",
    ]) {
      const reply = await org.owner.client.post("/api/v1/endpoints", { host });
      expect(reply.status, host).toBe(400);
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(["host"]);
    }
    const port = await org.owner.client.post("/api/v1/endpoints", { host: "x.example", port: 0 });
    expect(port.status).toBe(400);
    expect(port.body.errors[0].field).toBe("port");
    const system = await org.owner.client.post("/api/v1/endpoints", {
      host: "x.example",
      systemId: "00000000-0000-4000-8000-000000000000",
    });
    expect(system.status).toBe(400);
    expect(system.body.errors[0].field).toBe("systemId");
  });

  it("takes names and IP literals, lower-cased, port 443 by default; the same twice is a 409", async () => {
    const org = await organization(t);
    const named = await endpoint(org, { host: "API.Example.COM", port: undefined });
    expect(named).toMatchObject({ host: "api.example.com", port: 443, httpPort: 80 });
    const v6 = await endpoint(org, { host: "[2001:db8::1]", port: 8443 });
    expect(v6.host).toBe("2001:db8::1");
    const again = await org.owner.client.post("/api/v1/endpoints", { host: "api.example.com" });
    expect(again.status).toBe(409);
  });
});

describe("the outbound policy", () => {
  it("records a probe of a loopback address or of a name resolving to one as a refused, failed probe", async () => {
    const strict = await createTestApp();
    try {
      const org = await organization(strict);
      const server = await serve("good", { redirect: true });
      for (const host of ["localhost", "127.0.0.1"]) {
        const registered = await endpoint(org, { host, port: server.port });
        const reply = await org.owner.client.post(`/api/v1/endpoints/${registered.id}/probe`);
        expect(reply.status).toBe(201);
        expect(reply.body).toMatchObject({ passed: false, state: "failing", address: null });
        expect(reply.body.reasons[0]).toMatch(
          new RegExp(
            `^${host}:${server.port} was not probed: refused: .*127\\.0\\.0\\.1 \\(loopback\\)`,
          ),
        );
      }
      const check = await testOf(org, "encryption-in-transit", "endpoints-tls");
      expect(check.state).toBe("failing");
    } finally {
      await strict.close();
    }
  });
});
