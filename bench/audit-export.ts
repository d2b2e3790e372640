import { randomBytes, randomUUID } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import type { DatabaseHandle } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem } from "../src/db/tenant.ts";
import { appendBulkEvents } from "../src/modules/audit-log/audit-log.bulk.ts";
import { createApiToken } from "../src/modules/auth/tokens.service.ts";
import { createOrganizationWithOwner } from "../src/modules/organizations/organizations.service.ts";
import { loadConfig } from "../src/platform/config.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { buildServer } from "../src/server.ts";
import { fmt, freshDatabase } from "./lib.ts";

/**
 * Audit trail export throughput: an organization with a large trail (events of several kinds,
 * targets that resolve and targets that are gone), exported over HTTP as JSON lines and as
 * CSV, the body read and thrown away as it arrives. Reports events per second and the live
 * heap (measured after a garbage collection, once a second) above its level before the export,
 * at two trail sizes: a streamed export keeps that flat whatever the size.
 * Run: npm run bench -- --only audit [--engine pglite] (AUDIT_BENCH_SIZES=100000,300000)
 */
const SIZES = process.env.AUDIT_BENCH_SIZES
  ? process.env.AUDIT_BENCH_SIZES.split(",").map(Number)
  : [100_000, 300_000];

/** A garbage collection on demand, so the heap measured is what is live, not garbage. */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

const KINDS = [
  { action: "auth.login", targetType: "user" },
  { action: "control.updated", targetType: "control" },
  { action: "policy.published", targetType: "policy_version" },
  { action: "person.updated", targetType: "person" },
  { action: "notice.deleted", targetType: "notice" },
];

export async function auditExportBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  for (const engine of options.engines) {
    for (const size of SIZES) {
      const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
        label: "audit",
        poolSize: 10,
      });
      try {
        await migrateToLatest(handle.db);
        const started = performance.now();
        const org = await seedTrail(handle, size);
        console.log(
          `[${engine}] audit export: seeded ${size.toLocaleString("en")} events in ${fmt(performance.now() - started)}`,
        );
        await measure(engine, handle, org, size);
      } finally {
        await cleanup();
      }
    }
  }
}

async function seedTrail(handle: DatabaseHandle, total: number) {
  const created = await withSystem(handle.db, (tx) =>
    createOrganizationWithOwner(
      tx,
      {
        organizationName: "Export Bench",
        name: "Ada Lovelace",
        email: `owner-${randomUUID()}@bench.test`,
        password: "unused",
      },
      "unused-hash",
      null,
    ),
  );
  const organizationId = created.organizationId;
  const start = Date.now() - 365 * 86_400_000;
  await appendBulkEvents(handle.db, organizationId, total, (i) => {
    const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
    const targetId =
      kind.targetType === "user"
        ? created.userId
        : kind.targetType === "control"
          ? "bcdr-policy"
          : randomUUID();
    return {
      actorId: created.userId,
      actorName: "Ada Lovelace",
      action: kind.action,
      targetType: kind.targetType,
      targetId,
      before: { title: `Record ${i}`, status: "draft" },
      after: { title: `Record ${i}`, status: "published", currentVersion: 1 + (i % 7) },
      createdAt: new Date(start + i * 60_000),
    };
  });
  return { organizationId, userId: created.userId };
}

async function measure(
  engine: string,
  handle: DatabaseHandle,
  org: { organizationId: string; userId: string },
  size: number,
) {
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
  try {
    const port = (app.server.address() as { port: number }).port;
    const { token } = await createApiToken(
      {
        db: handle.db,
        organizationId: org.organizationId,
        actor: { type: "user", userId: org.userId, name: "Ada Lovelace", role: "owner" },
        requestId: null,
      },
      "bench",
    );
    for (const format of ["jsonl", "csv"] as const) {
      const gc = collector();
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peakHeap = baseline;
      const sampler = setInterval(() => {
        gc();
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }, 1000);
      const t0 = performance.now();
      const response = await fetch(
        `http://127.0.0.1:${port}/api/v1/audit-events/export.${format}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      if (response.status !== 200 || !response.body) throw new Error(`export: ${response.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of response.body) {
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
      }
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const events = format === "csv" ? lines - 1 : lines;
      if (events < size) throw new Error(`export held ${events} events, expected ${size}+`);
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      console.log(
        `[${engine}] export.${format}, ${size.toLocaleString("en")} events: ${(events / seconds).toFixed(0)} events/s ` +
          `(${seconds.toFixed(1)} s, ${mb(bytes)}, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s); ` +
          `live heap above the start: peak +${mb(peakHeap - baseline)}`,
      );
    }
  } finally {
    await app.close();
  }
}
