import { randomBytes } from "node:crypto";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withTenant } from "../src/db/tenant.ts";
import { createApiToken } from "../src/modules/auth/tokens.service.ts";
import { seedDemoOrganization } from "../src/modules/demo.ts";
import { areas } from "../src/modules/index.ts";
import { notifyChange } from "../src/modules/monitoring/changes.ts";
import {
  backfillSnapshots,
  evaluateControls,
  reevaluate,
} from "../src/modules/monitoring/evaluation.service.ts";
import { testsReading } from "../src/modules/monitoring/registry.ts";
import { loadConfig } from "../src/platform/config.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { buildServer } from "../src/server.ts";
import { fmt, freshDatabase, loadFromWorker, median } from "./lib.ts";

/**
 * The monitoring figures on a large organization (10,000 people, every policy published and
 * mostly acknowledged, a year of daily snapshots, 1,000,000 audit events): full evaluation of
 * all controls, re-evaluation after one change, and the dashboard API under 20 concurrent
 * clients. Run: npm run bench -- --only monitoring [--engine postgres|pglite]
 */
export async function monitoringBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  for (const engine of options.engines) {
    const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
      label: "monitoring",
      poolSize: 10,
    });
    try {
      await migrateToLatest(handle.db);
      let started = performance.now();
      const demo = await seedDemoOrganization(handle.db, { size: "large", progress: () => {} });
      console.log(
        `[${engine}] seeded the large organization in ${fmt(performance.now() - started)}: ${JSON.stringify(demo.counts)}`,
      );
      started = performance.now();
      await reevaluate(handle.db, demo.organizationId);
      const backfilled = await backfillSnapshots(handle.db, demo.organizationId, 365);
      console.log(
        `[${engine}] wrote ${backfilled} days of history in ${fmt(performance.now() - started)}`,
      );

      const full: number[] = [];
      for (let run = 0; run < 5; run++) {
        const t0 = performance.now();
        await evaluateControls(handle.db, demo.organizationId, new Date());
        full.push(performance.now() - t0);
      }
      console.log(
        `[${engine}] full evaluation of all 29 controls: median ${fmt(median(full))} (runs: ${full.map(fmt).join(", ")})`,
      );

      // One change: a person changes job role; the checks reading people (the acknowledgement
      // check of each policy control) are re-evaluated and stored, as they are before the API
      // answers the change.
      const person = await withTenant(handle.db, demo.organizationId, (tx) =>
        tx.selectFrom("people").select(["id", "job_role"]).limit(1).executeTakeFirstOrThrow(),
      );
      const single: number[] = [];
      for (let run = 0; run < 10; run++) {
        await withTenant(handle.db, demo.organizationId, (tx) =>
          tx
            .updateTable("people")
            .set({ job_role: run % 2 ? "Engineer" : "Sales" })
            .where("id", "=", person.id)
            .execute(),
        );
        const t0 = performance.now();
        await notifyChange(handle.db, demo.organizationId, "people");
        await reevaluate(handle.db, demo.organizationId, ["people"]);
        single.push(performance.now() - t0);
      }
      console.log(
        `[${engine}] re-evaluation after one change (a person: the policy controls' acknowledgement check): median ${fmt(median(single))}, max ${fmt(Math.max(...single))}`,
      );

      const config = { ...loadConfig({}), logLevel: "silent", host: "127.0.0.1", port: 0 };
      const app = await buildServer(
        { db: handle.db, engine, config, keyring: Keyring.of(randomBytes(32)), mailer: null },
        { logger: false },
      );
      await app.listen({ port: 0, host: "127.0.0.1" });
      const port = (app.server.address() as { port: number }).port;
      const owner = await withTenant(handle.db, demo.organizationId, (tx) =>
        tx
          .selectFrom("users")
          .select(["id", "name"])
          .where("role", "=", "owner")
          .executeTakeFirstOrThrow(),
      );
      const { token } = await createApiToken(
        {
          db: handle.db,
          organizationId: demo.organizationId,
          actor: { type: "user", userId: owner.id, name: owner.name, role: "owner" },
          requestId: null,
        },
        "bench",
      );
      // A write to a source no check reads costs the announcement only, however many areas
      // add checks: announced as the API does, with the server's listener re-evaluating.
      const unread = areas
        .flatMap((a) => a.sources ?? [])
        // ("organization" and "settings" re-evaluate everything: not what this measures.)
        .find((s) => testsReading(s).length === 0 && s !== "organization" && s !== "settings");
      if (unread) {
        const quiet: number[] = [];
        for (let run = 0; run < 20; run++) {
          const t0 = performance.now();
          await notifyChange(handle.db, demo.organizationId, unread);
          quiet.push(performance.now() - t0);
        }
        console.log(
          `[${engine}] announcing a change to a source no check reads (${unread}): median ${(median(quiet)).toFixed(2)} ms, max ${Math.max(...quiet).toFixed(2)} ms`,
        );
      }
      const headers = { authorization: `Bearer ${token}` };
      const result = await loadFromWorker(
        { url: `http://127.0.0.1:${port}/api/v1/dashboard`, headers, expectStatus: 200 },
        { concurrency: 20, maxRequests: 6000, maxSeconds: 20 },
      );
      console.log(
        `[${engine}] dashboard API, 20 clients: ${result.perSecond.toFixed(0)} req/s, p50 ${fmt(result.p50)}, p95 ${fmt(result.p95)}, p99 ${fmt(result.p99)}, errors ${result.errors}`,
      );
      await app.close();
    } finally {
      await cleanup();
    }
  }
}
