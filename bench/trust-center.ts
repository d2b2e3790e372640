import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import pg from "pg";
import { type DatabaseHandle, openPglite, openPostgres } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem, withTenant } from "../src/db/tenant.ts";
import { seedDemoOrganization } from "../src/modules/demo.ts";
import { reevaluate } from "../src/modules/monitoring/evaluation.service.ts";
import { DEFAULT_SETTINGS } from "../src/modules/trust-center/trust-center.schema.ts";
import { publish, updateDraft } from "../src/modules/trust-center/trust-center.service.ts";
import { renderHome } from "../src/modules/trust-center/trust-page.ts";
import { contentStamp } from "../src/modules/trust-center/trust-state.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Context } from "../src/platform/context.ts";
import { Keyring } from "../src/platform/keyring.ts";
import type { TrustSite } from "../src/public-site/site.ts";
import { buildServer } from "../src/server.ts";
import {
  databaseUrl,
  fmt,
  freshDatabase,
  type LoadOptions,
  type LoadResult,
  loadInWorker,
  median,
  summarize,
} from "./lib.ts";

/**
 * The trust center figures on the large demo organization: GET /trust at 50 concurrent
 * keep-alive connections on loopback, against a bare Fastify route returning the same bytes
 * from memory, measured in the same run; and the time to first byte of the page right after a
 * change (uncached). The seeded organization is cached between runs (a PGlite directory, a
 * PostgreSQL template database); --reseed seeds again.
 * Run: npm run bench -- --only trust-center [--engine postgres|pglite] [--reseed]
 */
const CONNECTIONS = 50;
/** Alternating rounds, so that both routes see the same machine (other load comes and goes). */
const ROUNDS = 4;
const LOAD = { concurrency: CONNECTIONS, maxRequests: 12_000, maxSeconds: 4 };
const WARM_UP = { concurrency: CONNECTIONS, maxRequests: 3_000, maxSeconds: 5 };
const TTFB_RUNS = 10;

export async function trustCenterBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
  reseed: boolean;
}) {
  for (const engine of options.engines) {
    const started = performance.now();
    const { handle, cleanup, organizationId, seeded } = await seededDatabase(
      engine,
      options.postgresUrl,
      options.reseed,
    );
    console.log(
      `[${engine}] trust center: large organization ${seeded ? "seeded" : "from the cached seed"} in ${fmt(performance.now() - started)}`,
    );
    try {
      await run(engine, handle, organizationId);
    } finally {
      await cleanup();
    }
  }
}

async function run(engine: string, handle: DatabaseHandle, organizationId: string) {
  const config = { ...loadConfig({}), logLevel: "silent", host: "127.0.0.1", port: 0 };
  const app = await buildServer(
    {
      db: handle.db,
      engine: handle.engine,
      config,
      keyring: Keyring.of(randomBytes(32)),
      mailer: null,
    },
    { logger: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  const ctx = await ownerContext(handle, organizationId);
  await updateDraft(ctx, {
    tagline: "Security and availability you can verify.",
    overview:
      "We run a continuously monitored security program.\n\n- SOC 2 controls\n- Live status",
    contactEmail: "security@demo.attest.test",
  });
  await publish(ctx);

  const url = `http://127.0.0.1:${port}/trust`;
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`GET /trust answered ${page.status}`);
  const body = Buffer.from(await page.arrayBuffer());
  const controls = (body.toString().match(/class="card control"/g) ?? []).length;
  console.log(
    `[${engine}] trust center page: ${(body.length / 1024).toFixed(1)} KiB, ${controls} controls`,
  );

  const site: TrustSite = { organizationId, companyName: "Demo Co", basePath: "/trust" };
  // Time to first byte of the page right after a change: the publication changes, the page's
  // freshness stamp with it, and the first request renders it again.
  const ttfb: number[] = [];
  for (let i = 0; i < TTFB_RUNS; i++) {
    await updateDraft(ctx, { tagline: `Security and availability you can verify (${i}).` });
    await publish(ctx);
    ttfb.push(await timeToFirstByte(url));
  }
  // Of which: the freshness stamp (one query plus the sections' stamps) and the rendering.
  const stampTimes: number[] = [];
  const renderTimes: number[] = [];
  for (let i = 0; i < TTFB_RUNS; i++) {
    let t0 = performance.now();
    await withTenant(handle.db, organizationId, contentStamp);
    stampTimes.push(performance.now() - t0);
    t0 = performance.now();
    await withTenant(handle.db, organizationId, (tx) =>
      renderHome(tx, site, DEFAULT_SETTINGS, () => {}),
    );
    renderTimes.push(performance.now() - t0);
  }
  console.log(
    `[${engine}] of which: freshness stamp median ${ms(median(stampTimes))}, rendering median ${ms(median(renderTimes))}`,
  );
  const cached: number[] = [];
  for (let i = 0; i < TTFB_RUNS; i++) cached.push(await timeToFirstByte(url));
  console.log(
    `[${engine}] time to first byte, first request after a change (uncached): median ${ms(median(ttfb))}, max ${ms(Math.max(...ttfb))}; cached: median ${ms(median(cached))}`,
  );

  // The bare route: the same bytes from memory, nothing else.
  const final = Buffer.from(await (await fetch(url)).arrayBuffer());
  const bare = Fastify({ logger: false });
  bare.get("/", (_request, reply) => {
    reply.type("text/html; charset=utf-8").send(final);
  });
  await bare.listen({ port: 0, host: "127.0.0.1" });
  const barePort = (bare.server.address() as { port: number }).port;
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  try {
    await loadHttp(bareUrl, WARM_UP);
    await loadHttp(url, WARM_UP);
    const bareRuns: Run[] = [];
    const trustRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await measured(bareUrl));
      trustRuns.push(await measured(url));
    }
    const bareResult = combine(bareRuns);
    const trustResult = combine(trustRuns);
    const ratio = trustResult.perSecond / bareResult.perSecond;
    console.log(
      `[${engine}] bare Fastify route, same bytes, ${CONNECTIONS} connections: ${line(bareResult)}`,
    );
    console.log(
      `[${engine}] GET /trust, ${CONNECTIONS} connections:                     ${line(trustResult)}`,
    );
    console.log(
      `[${engine}] GET /trust throughput is ${(ratio * 100).toFixed(0)}% of the bare route (target ≥ 70%); server event-loop time per request: /trust ${trustResult.busyMicros.toFixed(0)} µs, bare ${bareResult.busyMicros.toFixed(0)} µs`,
    );
  } finally {
    await bare.close();
    await app.close();
  }
}

/**
 * GET requests from a worker thread (the other core) over `concurrency` keep-alive connections
 * with node:http, which costs the client less per request than fetch, so that the server is
 * what is measured. Bounded by a request count and a time.
 */
export async function loadHttp(
  url: string,
  options: LoadOptions,
): Promise<LoadResult & { latencies: number[] }> {
  const client = `
    const http = require("node:http");
    const { url } = workerData;
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    const once = () => new Promise((resolve) => {
      const request = http.get(url, { agent }, (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve(response.statusCode === 200));
      });
      request.on("error", () => resolve(false));
    });
    function done() { agent.destroy(); }`;
  return loadInWorker(client, { url }, options);
}

interface Run {
  result: LoadResult & { latencies: number[] };
  /** Milliseconds the server's event loop was busy during the run. */
  busy: number;
}

/** One round of load, with the event-loop time the server (this thread) spent on it. */
async function measured(url: string): Promise<Run> {
  const before = performance.eventLoopUtilization();
  const result = await loadHttp(url, LOAD);
  return { result, busy: performance.eventLoopUtilization(before).active };
}

function combine(runs: Run[]): LoadResult & { busyMicros: number } {
  const latencies = runs.flatMap((r) => r.result.latencies);
  const errors = runs.reduce((sum, r) => sum + r.result.errors, 0);
  const seconds = runs.reduce((sum, r) => sum + r.result.seconds, 0);
  return {
    ...summarize(latencies, errors, seconds),
    busyMicros: (runs.reduce((sum, r) => sum + r.busy, 0) * 1000) / latencies.length,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function line(result: LoadResult) {
  return `${result.perSecond.toFixed(0)} req/s over ${result.requests} requests, p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}, errors ${result.errors}`;
}

/** Milliseconds from sending a GET to its response headers, on a new connection. */
function timeToFirstByte(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent: false }, (response) => {
      const elapsed = performance.now() - started;
      response.resume();
      response.on("end", () =>
        response.statusCode === 200
          ? resolve(elapsed)
          : reject(new Error(`GET ${url} answered ${response.statusCode}`)),
      );
    });
    request.on("error", reject);
    request.setTimeout(30_000, () => request.destroy(new Error("timeout")));
  });
}

async function ownerContext(handle: DatabaseHandle, organizationId: string): Promise<Context> {
  const owner = await withTenant(handle.db, organizationId, (tx) =>
    tx
      .selectFrom("users")
      .select(["id", "name"])
      .where("role", "=", "owner")
      .executeTakeFirstOrThrow(),
  );
  return {
    db: handle.db,
    organizationId,
    actor: { type: "user", userId: owner.id, name: owner.name, role: "owner" },
    requestId: null,
  };
}

async function firstOrganization(handle: DatabaseHandle): Promise<string> {
  const organization = await withSystem(handle.db, (tx) =>
    tx
      .selectFrom("organizations")
      .select("id")
      .orderBy("created_at")
      .orderBy("id")
      .executeTakeFirstOrThrow(),
  );
  return organization.id;
}

async function seed(handle: DatabaseHandle): Promise<string> {
  await migrateToLatest(handle.db);
  const demo = await seedDemoOrganization(handle.db, { size: "large", progress: () => {} });
  await reevaluate(handle.db, demo.organizationId);
  return demo.organizationId;
}

const CACHE_DIR = path.join(os.tmpdir(), "attest-bench-cache");
const PGLITE_SEED = path.join(CACHE_DIR, "large-pglite");
const PGLITE_MARKER = path.join(CACHE_DIR, "large-pglite.done");
const PG_SEED = "attest_bench_seed_large";

/**
 * A working copy of a database holding the large organization (the first organization, which
 * /trust serves): copied from the cached seed, or seeded now and cached. Migrations added
 * since the seed are applied to the copy.
 */
async function seededDatabase(
  engine: "postgres" | "pglite",
  postgresUrl: string,
  reseed: boolean,
): Promise<{
  handle: DatabaseHandle;
  cleanup: () => Promise<void>;
  organizationId: string;
  seeded: boolean;
}> {
  const seeded =
    engine === "pglite" ? await seedPglite(reseed) : await seedPostgres(postgresUrl, reseed);
  const copy = await freshDatabase(engine, postgresUrl, {
    label: "trust",
    poolSize: 10,
    copyOf: { dir: PGLITE_SEED, template: PG_SEED },
  });
  await migrateToLatest(copy.handle.db);
  return { ...copy, organizationId: await firstOrganization(copy.handle), seeded };
}

/** Seeds the cached PGlite directory unless a finished seed is there; whether it seeded. */
async function seedPglite(reseed: boolean): Promise<boolean> {
  if (!reseed && fs.existsSync(PGLITE_MARKER)) return false;
  fs.rmSync(PGLITE_SEED, { recursive: true, force: true });
  fs.rmSync(PGLITE_MARKER, { force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const seeding = await openPglite({ dataDir: PGLITE_SEED });
  await seed(seeding);
  await seeding.close();
  fs.writeFileSync(PGLITE_MARKER, new Date().toISOString());
  return true;
}

/** Seeds the PostgreSQL template unless a finished seed is there; whether it seeded. */
async function seedPostgres(postgresUrl: string, reseed: boolean): Promise<boolean> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    // A finished seed carries a comment; anything else is a seed that did not finish.
    const found = await admin.query(
      "select shobj_description(oid, 'pg_database') as note from pg_database where datname = $1",
      [PG_SEED],
    );
    if (!reseed && found.rows[0]?.note === "seeded") return false;
    await admin.query(`DROP DATABASE IF EXISTS ${PG_SEED} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_SEED}`);
    const seeding = openPostgres(databaseUrl(postgresUrl, PG_SEED), 10);
    await seed(seeding);
    await seeding.close();
    await admin.query(`COMMENT ON DATABASE ${PG_SEED} IS 'seeded'`);
    return true;
  } finally {
    await admin.end();
  }
}
