import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { judgeTlsProbe, probe, type TlsProbeResult } from "../src/platform/tls-probe.ts";
import { fmt, median, summarize } from "./lib.ts";

/**
 * Issue 15's figure: a probe of 100 endpoints on loopback (each an HTTPS server with a
 * certificate from a test CA, HSTS, and a plain HTTP server redirecting to it), 10 probes at a
 * time: the wall time of all 100 (median of the runs) and each probe's p50 and p95. The servers
 * run in a worker thread, so serving does not share the prober's event loop.
 * Run: npm run bench -- --only tls-probe
 */
const ENDPOINTS = 100;
const CONCURRENCY = 10;

export const SERVERS = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const https = require("node:https");
const servers = [];
const listen = (server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
(async () => {
  const endpoints = [];
  for (let i = 0; i < workerData.count; i++) {
    const secure = https.createServer({ key: workerData.key, cert: workerData.cert }, (_req, res) => {
      res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
      res.end("ok");
    });
    const port = await listen(secure);
    const plain = http.createServer((_req, res) =>
      res.writeHead(301, { location: "https://localhost:" + port + "/" }).end(),
    );
    const httpPort = await listen(plain);
    servers.push(secure, plain);
    endpoints.push({ port, httpPort });
  }
  parentPort.postMessage(endpoints);
  parentPort.once("message", () => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });
})();
`;

export function certificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const ec = (key: string) => [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key,
  ];
  run("req", "-x509", ...ec("ca.key"), "-out", "ca.pem", "-days", "2", "-subj", "/CN=Bench CA");
  run("req", "-new", ...ec("leaf.key"), "-out", "leaf.csr", "-subj", "/CN=localhost");
  fs.writeFileSync(path.join(dir, "leaf.ext"), "subjectAltName=DNS:localhost\n");
  run(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "30",
    "-extfile",
    "leaf.ext",
    "-out",
    "leaf.pem",
  );
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
  return { ca: read("ca.pem"), key: read("leaf.key"), cert: read("leaf.pem") };
}

export async function tlsProbeBenchmarks(options: { runs: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-tls-"));
  const { ca, key, cert } = certificates(dir);
  const worker = new Worker(SERVERS, { eval: true, workerData: { count: ENDPOINTS, key, cert } });
  try {
    const endpoints = await new Promise<{ port: number; httpPort: number }[]>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const lookup = async () => [{ address: "127.0.0.1", family: 4 }];
    console.log(`TLS probe: ${ENDPOINTS} endpoints on loopback, ${CONCURRENCY} at a time`);
    const walls: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const latencies: number[] = [];
      const results: TlsProbeResult[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < endpoints.length; i = next++) {
            const began = performance.now();
            const endpoint = endpoints[i] as { port: number; httpPort: number };
            results.push(
              await probe("localhost", { ...endpoint, ca: [ca], allowLoopback: true, lookup }),
            );
            latencies.push(performance.now() - began);
          }
        }),
      );
      const wall = performance.now() - started;
      walls.push(wall);
      const passing = results.filter((r) => judgeTlsProbe(r).state === "passing").length;
      const { p50, p95 } = summarize(latencies, 0, wall / 1000);
      console.log(
        `  run ${run + 1}: ${fmt(wall)} for ${results.length} probes (${passing} passing); ` +
          `per probe p50 ${fmt(p50)}, p95 ${fmt(p95)}`,
      );
    }
    console.log(`  median: ${fmt(median(walls))} for ${ENDPOINTS} endpoints\n`);
  } finally {
    worker.postMessage("stop");
    await worker.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
