import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem, withTenant } from "../src/db/tenant.ts";
import { probeDueEndpoints } from "../src/modules/endpoints/endpoints.jobs.ts";
import { findControlTest } from "../src/modules/monitoring/registry.ts";
import { organizationSettings } from "../src/modules/organizations/organizations.queries.ts";
import { createOrganizationWithOwner } from "../src/modules/organizations/organizations.service.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Deps } from "../src/platform/deps.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { fmt, freshDatabase, median } from "./lib.ts";
import { certificates, SERVERS } from "./tls-probe.ts";

/**
 * Issue 15's figures for the endpoints area: (1) the scheduled prober's run over 100 endpoints
 * on loopback (each an HTTPS server with a test CA's certificate and a plain HTTP server
 * redirecting to it, served from a worker thread), the whole path of each probe: the probe,
 * its result sealed into the evidence store, the row, the audit events and the re-evaluation;
 * at the default concurrency (4) and at 10. (2) endpoints-tls with 1,000 endpoints and a year
 * of weekly probes each (52,000 rows): median of 5 evaluations, now and 90 days ago.
 * Run: npm run bench -- --only endpoints [--engine postgres|pglite]
 */
const LIVE = 100;
const STORED = 1_000;
const WEEKS = 52;
const DAY_MS = 86_400_000;

export async function endpointBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-endpoints-"));
  const { ca, key, cert } = certificates(dir);
  fs.writeFileSync(path.join(dir, "trusted.pem"), ca);
  const worker = new Worker(SERVERS, { eval: true, workerData: { count: LIVE, key, cert } });
  try {
    const servers = await new Promise<{ port: number; httpPort: number }[]>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    for (const engine of options.engines) {
      const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
        label: "endpoints",
        poolSize: 10,
      });
      try {
        await migrateToLatest(handle.db);
        const organizationId = await withSystem(handle.db, async (tx) => {
          const created = await createOrganizationWithOwner(
            tx,
            {
              organizationName: "Bench Co",
              name: "Bench Owner",
              email: `bench-${Date.now()}@bench.test`,
              password: "not used by the bench",
            },
            "not a password hash",
            null,
          );
          return created.organizationId;
        });
        const deps: Deps = {
          db: handle.db,
          engine,
          keyring: Keyring.of(randomBytes(32)),
          mailer: null,
          config: {
            ...loadConfig({}),
            dataDir: path.join(dir, `data-${engine}`),
            logLevel: "silent",
            probe: {
              ...loadConfig({}).probe,
              allowLoopback: true,
              caFile: path.join(dir, "trusted.pem"),
            },
          },
        };
        await liveFigures(engine, deps, organizationId, servers);
        await checkFigures(engine, deps, organizationId);
      } finally {
        await cleanup();
      }
    }
  } finally {
    worker.postMessage("stop");
    await worker.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function liveFigures(
  engine: string,
  deps: Deps,
  organizationId: string,
  servers: { port: number; httpPort: number }[],
) {
  await withTenant(deps.db, organizationId, (tx) =>
    tx
      .insertInto("endpoints")
      .values(
        servers.map((s) => ({
          organization_id: organizationId,
          host: "localhost",
          port: s.port,
          http_port: s.httpPort,
        })),
      )
      .execute(),
  );
  const figures: string[] = [];
  for (const concurrency of [4, 10]) {
    await withTenant(deps.db, organizationId, (tx) =>
      sql`update endpoints set last_probed_at = null, probe_claimed_at = null`.execute(tx),
    );
    const started = performance.now();
    const recorded = await probeDueEndpoints({
      ...deps,
      config: { ...deps.config, probe: { ...deps.config.probe, concurrency } },
    });
    const wall = performance.now() - started;
    const passed = await withTenant(deps.db, organizationId, async (tx) =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from endpoint_probes where passed`.execute(
            tx,
          )
        ).rows[0]?.n,
      ),
    );
    figures.push(
      `${fmt(wall)} at ${concurrency} at a time (${recorded} recorded, ${(wall / recorded).toFixed(0)} ms each; ${passed} passed so far)`,
    );
  }
  console.log(
    `[${engine}] scheduled run over ${LIVE} loopback endpoints (probe, evidence file, row, audit, re-evaluation): ${figures.join("; ")}`,
  );
  await withTenant(deps.db, organizationId, (tx) =>
    sql`update endpoints set archived_at = now()`.execute(tx),
  );
}

async function checkFigures(engine: string, deps: Deps, organizationId: string) {
  const now = Date.now();
  await withTenant(deps.db, organizationId, async (tx) => {
    const registered = new Date(now - (WEEKS * 7 + 3) * DAY_MS);
    const rows = await tx
      .insertInto("endpoints")
      .values(
        Array.from({ length: STORED }, (_, i) => ({
          organization_id: organizationId,
          host: `host-${i}.bench.example`,
          created_at: registered,
        })),
      )
      .returning("id")
      .execute();
    const probes = rows.flatMap((row, i) =>
      Array.from({ length: WEEKS }, (_, week) => {
        const at = new Date(now - week * 7 * DAY_MS - (i % 24) * 3_600_000);
        // One in fifty fails its newest probe; one in a hundred has a certificate due soon.
        const failing = week === 0 && i % 50 === 0;
        const expiry = new Date(at.getTime() + (i % 100 === 1 && week === 0 ? 10 : 60) * DAY_MS);
        return {
          organization_id: organizationId,
          endpoint_id: row.id,
          probed_at: at,
          trigger: "scheduled" as const,
          passed: !failing,
          failures: failing ? ["plain HTTP does not redirect to HTTPS"] : [],
          tls_versions: ["TLSv1.2", "TLSv1.3"],
          certificate_not_after: expiry,
          result: "{}",
          created_at: at,
        };
      }),
    );
    for (let i = 0; i < probes.length; i += 2_000) {
      await tx
        .insertInto("endpoint_probes")
        .values(probes.slice(i, i + 2_000))
        .execute();
    }
  });
  await sql`analyze endpoints, endpoint_probes`.execute(deps.db);
  const test = findControlTest("encryption-in-transit", "endpoints-tls");
  if (!test) throw new Error("endpoints-tls is not registered");
  const figures: string[] = [];
  for (const [label, asOf] of [
    ["now", new Date(now)],
    ["90 days ago", new Date(now - 90 * DAY_MS)],
  ] as const) {
    const runs: number[] = [];
    let state = "";
    for (let run = 0; run < 5; run++) {
      await withTenant(deps.db, organizationId, async (tx) => {
        const settings = await organizationSettings(tx, organizationId);
        const t0 = performance.now();
        const outcome = await test.run({
          tx,
          organizationId,
          controlKey: "encryption-in-transit",
          asOf,
          settings,
          shared: (_key, compute) => compute(),
        });
        runs.push(performance.now() - t0);
        state = `${outcome.state}, ${outcome.offenderCount ?? outcome.offenders.length} offenders`;
      });
    }
    figures.push(`${label} ${fmt(median(runs))} [${state}]`);
  }
  console.log(
    `[${engine}] endpoints-tls with ${STORED.toLocaleString("en")} endpoints and ${(STORED * WEEKS).toLocaleString("en")} probes, median of 5: ${figures.join("; ")}\n`,
  );
}
