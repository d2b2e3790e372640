import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../../src/server.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

// A real TLS server on loopback with a certificate made for the test.
let dir: string;
let t: TestApp;
let server: Awaited<ReturnType<typeof buildServer>>;
let port: number;
let ca: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  ca = fs.readFileSync(cert);
  t = await createTestApp();
  server = await buildServer(
    { ...t.deps, config: { ...t.deps.config, tls: { certFile: cert, keyFile: key } } },
    { logger: false },
  );
  await server.listen({ port: 0, host: "127.0.0.1" });
  port = (server.server.address() as { port: number }).port;
});

afterAll(async () => {
  await server.close();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(urlPath: string, body?: unknown) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const request = https.request(
        {
          host: "127.0.0.1",
          port,
          path: urlPath,
          ca,
          method: body ? "POST" : "GET",
          headers: { "content-type": "application/json" },
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers }),
          );
        },
      );
      request.on("error", reject);
      request.end(body ? JSON.stringify(body) : undefined);
    },
  );
}

describe("serving over TLS", () => {
  it("should serve HTTPS with HSTS and Secure session cookies", async () => {
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(health.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");

    const setup = await get("/api/v1/setup", {
      organizationName: "TLS Co",
      name: "Tess",
      email: "tess@tls.test",
      password: "correct horse battery staple",
    });
    expect(setup.status).toBe(201);
    expect(String(setup.headers["set-cookie"])).toMatch(/; Secure/);
  });
});
