import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type DatabaseHandle, openPglite, openPostgres } from "../src/db/database.ts";
import { installAreas } from "../src/modules/index.ts";

// The areas' checks, jobs and trust sections, as the server and the CLI install them.
installAreas();

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

/** The figures of a run of requests, from their latencies in milliseconds (sorted here). */
export function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
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

export interface LoadOptions {
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
}

/**
 * Runs a client from a worker thread, so that it runs on the other core instead of competing
 * with the server it measures: `options.concurrency` loops, bounded by a request count and a
 * time. `client` is JavaScript evaluated in the worker, where `workerData` is `data` plus
 * `options`; it defines `async function once()`, one request answering whether it succeeded,
 * and may define `function done()`, called once every loop has ended.
 */
export async function loadInWorker(
  client: string,
  data: Record<string, unknown>,
  options: LoadOptions,
): Promise<LoadResult & { latencies: number[] }> {
  const { Worker } = await import("node:worker_threads");
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { options } = workerData;
    const latencies = [];
    let errors = 0, issued = 0;
    const started = performance.now();
    const deadline = started + options.maxSeconds * 1000;
    ${client}
    async function loop() {
      while (issued < options.maxRequests && performance.now() < deadline) {
        issued++;
        const t0 = performance.now();
        if (!(await once())) errors++;
        latencies.push(performance.now() - t0);
      }
    }
    Promise.all(Array.from({ length: options.concurrency }, loop)).then(() => {
      if (typeof done === "function") done();
      parentPort.postMessage({ latencies, errors, seconds: (performance.now() - started) / 1000 });
    });`;
  const worker = new Worker(code, { eval: true, workerData: { ...data, options } });
  const { latencies, errors, seconds } = await new Promise<{
    latencies: number[];
    errors: number;
    seconds: number;
  }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return { ...summarize(latencies, errors, seconds), latencies };
}

/** Plain HTTP requests with fetch, from a worker thread (see loadInWorker). */
export async function loadFromWorker(
  request: {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    expectStatus: number;
  },
  options: LoadOptions,
): Promise<LoadResult> {
  const client = `
    const { request } = workerData;
    async function once() {
      try {
        const response = await fetch(request.url, { method: request.method ?? "GET", headers: request.headers, body: request.body });
        await response.arrayBuffer();
        return response.status === request.expectStatus;
      } catch { return false; }
    }`;
  return loadInWorker(client, { request }, options);
}

/** The URL of the database `name` on the server of `postgresUrl`. */
export function databaseUrl(postgresUrl: string, name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Closes a bench database, then removes it: its PGlite directory or its PostgreSQL database. */
export function disposeDatabase(
  handle: DatabaseHandle,
  where: { dir: string } | { postgresUrl: string; name: string },
): () => Promise<void> {
  return async () => {
    await handle.close();
    if ("dir" in where) {
      fs.rmSync(where.dir, { recursive: true, force: true });
      return;
    }
    const drop = new pg.Client({ connectionString: where.postgresUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${where.name} WITH (FORCE)`);
    await drop.end();
  };
}

/**
 * A bench database of its own, and how to remove it: a PGlite directory under the system's
 * temporary directory, or a PostgreSQL database named after `label` with a pool of `poolSize`.
 * Empty, or with `copyOf` a copy of a seed: that PGlite directory, or that PostgreSQL template.
 */
export async function freshDatabase(
  engine: "postgres" | "pglite",
  postgresUrl: string,
  options: { label: string; poolSize: number; copyOf?: { dir: string; template: string } },
): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (engine === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attest-bench-${options.label}-`));
    if (options.copyOf) fs.cpSync(options.copyOf.dir, path.join(dir, "pg"), { recursive: true });
    const handle = await openPglite({ dataDir: path.join(dir, "pg") });
    return { handle, cleanup: disposeDatabase(handle, { dir }) };
  }
  const name = `attest_bench_${options.label.replaceAll("-", "_")}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const template = options.copyOf ? ` TEMPLATE ${options.copyOf.template}` : "";
    await admin.query(`CREATE DATABASE ${name}${template}`);
  } finally {
    await admin.end();
  }
  const handle = openPostgres(databaseUrl(postgresUrl, name), options.poolSize);
  return { handle, cleanup: disposeDatabase(handle, { postgresUrl, name }) };
}
