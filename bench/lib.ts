import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";

/** Small, bounded load and timing helpers for the benchmarks. Loopback only. */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function waitForReady(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

export function startAttest(
  env: Record<string, string>,
  command: "npm" | "node" = "node",
): ChildProcess {
  const args = command === "npm" ? ["start", "--silent"] : ["bin/attest.js", "serve"];
  return spawn(command === "npm" ? "npm" : process.execPath, args, {
    env: { ...process.env, ATTEST_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
    // Its own process group: `npm start` runs the server as a child, which must stop too.
    detached: true,
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (child.pid) process.kill(-child.pid, "SIGTERM");
  await exited;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

/**
 * Like load(), for plain HTTP requests, but from a worker thread: the clients then run on
 * the other core instead of competing with the server they measure.
 */
export async function loadFromWorker(
  request: {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    expectStatus: number;
  },
  options: { concurrency: number; maxRequests: number; maxSeconds: number },
): Promise<LoadResult> {
  const { Worker } = await import("node:worker_threads");
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { request, options } = workerData;
    const latencies = [];
    let errors = 0, issued = 0;
    const started = performance.now();
    const deadline = started + options.maxSeconds * 1000;
    async function loop() {
      while (issued < options.maxRequests && performance.now() < deadline) {
        issued++;
        const t0 = performance.now();
        try {
          const response = await fetch(request.url, { method: request.method ?? "GET", headers: request.headers, body: request.body });
          await response.arrayBuffer();
          if (response.status !== request.expectStatus) errors++;
        } catch { errors++; }
        latencies.push(performance.now() - t0);
      }
    }
    Promise.all(Array.from({ length: options.concurrency }, loop)).then(() => {
      parentPort.postMessage({ latencies, errors, seconds: (performance.now() - started) / 1000 });
    });`;
  const worker = new Worker(code, { eval: true, workerData: { request, options } });
  const { latencies, errors, seconds } = await new Promise<{
    latencies: number[];
    errors: number;
    seconds: number;
  }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
  };
}
