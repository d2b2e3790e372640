import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { accessBenchmarks } from "./access.ts";
import { auditExportBenchmarks } from "./audit-export.ts";
// issue 15: Attest's own backups
import { backupBenchmarks } from "./backup.ts";
// issue 15: customers
import { customerBenchmarks } from "./customers.ts";
// issue 15: endpoints
import { endpointBenchmarks } from "./endpoints.ts";
import { evidenceBenchmarks } from "./evidence.ts";
// issue 14: incidents
import { incidentBenchmarks } from "./incidents.ts";
import { fmt, freePort, loadInWorker, startAttest, stop, waitForReady } from "./lib.ts";
import { monitoringBenchmarks } from "./monitoring.ts";
// issue 16: SCIM provisioning
import { scimBenchmarks } from "./scim.ts";
import { startupBenchmarks } from "./startup.ts";
// issue 15: the TLS probe
import { tlsProbeBenchmarks } from "./tls-probe.ts";
import { trustCenterBenchmarks } from "./trust-center.ts";
// issue 13: scan imports
import { vulnerabilityBenchmarks } from "./vulnerabilities.ts";

/**
 * The foundation's figures: start-up times (bench/startup.ts) and sign-in throughput on PGlite
 * and on the PostgreSQL server; and the monitoring figures (bench/monitoring.ts).
 * Usage: npm run bench [-- --only foundation|startup|monitoring|trust-center|evidence|audit|access|vulnerabilities|incidents|customers|tls-probe|endpoints|backup|scim] [--explain] [--reseed] [--engine postgres,pglite] [--runs 3]
 *        [--postgres postgres://postgres@127.0.0.1:5432/test]
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const RUNS = Number(option("runs", "3"));
const POSTGRES = option(
  "postgres",
  process.env.ATTEST_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test",
);
const PASSWORD = "correct horse battery staple";

async function loginThroughput(engine: "pglite" | "postgres") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-"));
  const port = await freePort();
  const env: Record<string, string> = {
    ATTEST_DATA_DIR: dir,
    PORT: String(port),
    HOST: "127.0.0.1",
    ATTEST_LOGIN_RATE_LIMIT: "100000",
  };
  let dropDatabase = async () => {};
  if (engine === "postgres") {
    const name = `attest_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: POSTGRES });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const child = startAttest(env);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(`${base}/readyz`);
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        organizationName: "Bench",
        name: "Bench Owner",
        email: "owner@bench.test",
        password: PASSWORD,
      }),
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status}`);
    // One account per client: an account has at most five sign-ins checked at once.
    const bodies = await benchAccounts(base, setup, 8);
    const result = await loadInWorker(
      `const { url, bodies } = workerData;
      let next = 0;
      async function once() {
        const body = bodies[next++ % bodies.length];
        try {
          const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
          await response.arrayBuffer();
          return response.status === 200;
        } catch { return false; }
      }`,
      { url: `${base}/api/v1/auth/login`, bodies },
      { concurrency: 8, maxRequests: 2000, maxSeconds: 10 },
    );
    console.log(
      `login throughput (${engine}, 8 clients): ${result.perSecond.toFixed(1)}/s over ${result.requests} sign-ins, ` +
        `p50 ${fmt(result.p50)}, p95 ${fmt(result.p95)}, p99 ${fmt(result.p99)}, errors ${result.errors}`,
    );
  } finally {
    await stop(child);
    await dropDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The owner made at setup and `count - 1` invited members, as sign-in bodies. */
async function benchAccounts(base: string, setup: Response, count: number): Promise<string[]> {
  const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  const bodies = [JSON.stringify({ email: "owner@bench.test", password: PASSWORD })];
  for (let i = 1; i < count; i++) {
    const email = `member-${i}@bench.test`;
    const invited = await fetch(`${base}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
      body: JSON.stringify({ email, name: `Member ${i}`, role: "member" }),
    });
    if (invited.status !== 201) throw new Error(`invite failed: ${invited.status}`);
    const { inviteUrl } = (await invited.json()) as { inviteUrl: string };
    const token = new URL(inviteUrl).pathname.split("/").at(-1);
    const accepted = await fetch(`${base}/api/v1/invitations/${token}/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `Member ${i}`, password: PASSWORD }),
    });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status}`);
    bodies.push(JSON.stringify({ email, password: PASSWORD }));
  }
  return bodies;
}

// Build the web app first, so the timings measure starting, not building.
execFileSync(process.execPath, ["scripts/build-web-if-stale.js"], { stdio: "inherit" });
const only = option("only", "all");
const engines = option("engine", "postgres,pglite").split(",") as ("postgres" | "pglite")[];
console.log(`Attest benchmarks — ${os.cpus().length} cores, Node ${process.version}\n`);
if (only === "all" || only === "foundation" || only === "startup") {
  await startupBenchmarks({ runs: RUNS });
}
if (only === "all" || only === "foundation") {
  for (const engine of engines) await loginThroughput(engine);
}
if (only === "all" || only === "monitoring") {
  await monitoringBenchmarks({ engines, postgresUrl: POSTGRES });
}
if (only === "all" || only === "trust-center") {
  await trustCenterBenchmarks({
    engines,
    postgresUrl: POSTGRES,
    reseed: args.includes("--reseed"),
  });
}
if (only === "all" || only === "evidence") {
  await evidenceBenchmarks({ engines, postgresUrl: POSTGRES, explain: args.includes("--explain") });
}
if (only === "all" || only === "audit") {
  await auditExportBenchmarks({ engines, postgresUrl: POSTGRES });
}
if (only === "all" || only === "access") {
  await accessBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 13: scan imports
if (only === "all" || only === "vulnerabilities") {
  await vulnerabilityBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 14: incidents
if (only === "all" || only === "incidents") {
  await incidentBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 15: customers
if (only === "all" || only === "customers") {
  await customerBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 15: Attest's own backups
if (only === "all" || only === "backup") {
  await backupBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 15: the TLS probe
if (only === "all" || only === "tls-probe") {
  await tlsProbeBenchmarks({ runs: RUNS });
}
// issue 15: endpoints
if (only === "all" || only === "endpoints") {
  await endpointBenchmarks({ engines, postgresUrl: POSTGRES });
}
// issue 16: SCIM provisioning
if (only === "all" || only === "scim") {
  await scimBenchmarks({ engines, postgresUrl: POSTGRES });
}
