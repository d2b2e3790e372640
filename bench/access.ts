import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withTenant } from "../src/db/tenant.ts";
import { commitAccessImport, previewAccessImport } from "../src/modules/access/access.import.ts";
import { createApiToken } from "../src/modules/auth/tokens.service.ts";
import { seedDemoOrganization } from "../src/modules/demo.ts";
import { notifyChange } from "../src/modules/monitoring/changes.ts";
import { evaluateControls, reevaluate } from "../src/modules/monitoring/evaluation.service.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Context } from "../src/platform/context.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { buildServer } from "../src/server.ts";
import { accessReviewFigures } from "./access-reviews.ts";
import { fmt, freshDatabase, loadInWorker, median } from "./lib.ts";

/**
 * The access figures on the large organization (10,000 people, ~200 systems, ~200,000
 * grants): seeding it; full evaluation of all controls (targets: 1 s on PostgreSQL, 3 s on
 * PGlite); re-evaluation after one revocation (100 ms on PostgreSQL); import of a system's
 * user export of 100,000 grants (10 s); the person and system pages' API under 20 clients
 * (p95 50 ms). The page routes are probed first and only those present are loaded, so the
 * bench runs whichever of them this build has. Then issue 12's figures (bench/access-reviews.ts):
 * a campaign over 50,000 grants, a listing of 10,000 keys, and the evaluation with both in.
 * Run: npm run bench -- --only access [--engine postgres|pglite]
 */
export async function accessBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  for (const engine of options.engines) {
    const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
      label: "access",
      poolSize: 10,
    });
    const db = handle.db;
    try {
      await migrateToLatest(db);
      let t0 = performance.now();
      const demo = await seedDemoOrganization(db, { size: "large", progress: () => {} });
      console.log(
        `[${engine}] seeded the large organization in ${fmt(performance.now() - t0)}: ${JSON.stringify(demo.counts)}`,
      );
      const org = demo.organizationId;
      await reevaluate(db, org);

      const full: number[] = [];
      for (let run = 0; run < 5; run++) {
        t0 = performance.now();
        await evaluateControls(db, org, new Date());
        full.push(performance.now() - t0);
      }
      console.log(
        `[${engine}] full evaluation of all controls: median ${fmt(median(full))} (runs: ${full.map(fmt).join(", ")})`,
      );

      // One revocation, as the API makes it: the grant's row changes, "access" is announced
      // and the checks reading it are re-evaluated and stored.
      const grants = await withTenant(db, org, (tx) =>
        tx
          .selectFrom("access_grants")
          .select("id")
          .where("revoked_at", "is", null)
          .where("granted_at", "is not", null)
          .limit(10)
          .execute(),
      );
      const single: number[] = [];
      for (const grant of grants) {
        await withTenant(db, org, (tx) =>
          tx
            .updateTable("access_grants")
            .set({ revoked_at: new Date(), revoke_reason: "bench" })
            .where("id", "=", grant.id)
            .execute(),
        );
        t0 = performance.now();
        await notifyChange(db, org, "access");
        await reevaluate(db, org, ["access"]);
        single.push(performance.now() - t0);
      }
      console.log(
        `[${engine}] re-evaluation after one revocation: median ${fmt(median(single))}, max ${fmt(Math.max(...single))}`,
      );

      const { owner, people } = await withTenant(db, org, async (tx) => ({
        owner: await tx
          .selectFrom("users")
          .select(["id", "name"])
          .where("role", "=", "owner")
          .executeTakeFirstOrThrow(),
        people: await tx.selectFrom("people").select(["id", "email"]).orderBy("number").execute(),
      }));
      const ctx: Context = {
        db,
        organizationId: org,
        actor: { type: "user", userId: owner.id, name: owner.name, role: "owner" },
        requestId: null,
      };
      await importFigures(engine, ctx, people);
      await withServer(engine, ctx, async (api) => {
        await pageFigures(engine, ctx, people, api);
        await accessReviewFigures(engine, ctx, api);
      });
    } finally {
      await cleanup();
    }
  }
}

/** 100,000 grants: ten roles for each of the 10,000 people, one account per row. */
async function importFigures(engine: string, ctx: Context, people: { email: string }[]) {
  const systemId = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await sql<{ id: string }>`
      INSERT INTO systems (organization_id, name, kind, production, classification)
      VALUES (${ctx.organizationId}, 'Bench import target', 'saas', true, 'confidential')
      RETURNING id`.execute(tx);
    const id = row.rows[0]?.id as string;
    await sql`
      INSERT INTO system_versions (organization_id, system_id, valid_from, name, kind, production,
        classification, customer_data, backed_up, scanned, internet_facing, allowed_roles, admin_roles)
      VALUES (${ctx.organizationId}, ${id}, now(), 'Bench import target', 'saas', true,
        'confidential', false, false, false, false, '{}', '{}')`.execute(tx);
    return id;
  });
  const lines = ["username,email,role,admin,last_login"];
  for (let k = 0; lines.length <= 100_000; k++) {
    for (const person of people) {
      if (lines.length > 100_000) break;
      const local = person.email.split("@")[0];
      lines.push(
        `${local}.r${k},${person.email},role-${k},${k === 0 ? "yes" : "no"},2026-11-0${1 + (k % 9)}`,
      );
    }
  }
  const csv = `${lines.join("\n")}\n`;
  let t0 = performance.now();
  const preview = await previewAccessImport(ctx, systemId, { csv });
  const previewMs = performance.now() - t0;
  t0 = performance.now();
  const result = await commitAccessImport(ctx, systemId, { csv });
  const commitMs = performance.now() - t0;
  t0 = performance.now();
  const again = await commitAccessImport(ctx, systemId, { csv });
  const againMs = performance.now() - t0;
  console.log(
    `[${engine}] import of a 100,000-grant user export (${(csv.length / 1_048_576).toFixed(1)} MiB): preview ${fmt(previewMs)} (${preview.problems.length} problems), commit ${fmt(commitMs)} (${result.grants.created} grants, ${result.accounts.created} accounts), the same file again ${fmt(againMs)} (changed: ${again.changed})`,
  );
}

/** The API on a loopback port over the bench's database, with an owner's token. */
export interface BenchApi {
  base: string;
  headers: { authorization: string };
}

async function withServer(engine: string, ctx: Context, work: (api: BenchApi) => Promise<void>) {
  const config = { ...loadConfig({}), logLevel: "silent", host: "127.0.0.1", port: 0 };
  const app = await buildServer(
    {
      db: ctx.db,
      engine: engine as "postgres",
      config,
      keyring: Keyring.of(randomBytes(32)),
      mailer: null,
    },
    { logger: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const { token } = await createApiToken(ctx, "bench");
    await work({ base, headers: { authorization: `Bearer ${token}` } });
  } finally {
    await app.close();
  }
}

/** The person and system pages' API: every route of each page that answers here. */
async function pageFigures(
  engine: string,
  ctx: Context,
  people: { id: string }[],
  { base, headers }: BenchApi,
) {
  const systems = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx.selectFrom("systems").select("id").execute(),
  );
  const sample = <T>(items: T[], n: number) =>
    Array.from({ length: n }, (_, k) => items[(k * 7919) % items.length] as T);
  const pages = {
    person: {
      ids: sample(people, 200).map((p) => p.id),
      routes: [
        "/api/v1/people/:id",
        "/api/v1/access-grants?personId=:id",
        "/api/v1/accounts?personId=:id",
      ],
    },
    system: {
      ids: sample(systems, 100).map((s) => s.id),
      routes: [
        "/api/v1/systems/:id",
        "/api/v1/access-grants?systemId=:id",
        "/api/v1/accounts?systemId=:id",
        "/api/v1/access-tasks?systemId=:id",
      ],
    },
  };
  for (const [page, { ids, routes }] of Object.entries(pages)) {
    for (const route of routes) {
      const probe = await fetch(`${base}${route.replace(":id", ids[0] as string)}`, { headers });
      if (probe.status !== 200) {
        console.log(`[${engine}] ${page} page: ${route} answers ${probe.status} here; skipped`);
        continue;
      }
      const urls = ids.map((id) => `${base}${route.replace(":id", id)}`);
      const result = await loadInWorker(
        `const { urls, headers } = workerData;
          let next = 0;
          async function once() {
            try {
              const response = await fetch(urls[next++ % urls.length], { headers });
              await response.arrayBuffer();
              return response.status === 200;
            } catch { return false; }
          }`,
        { urls, headers },
        { concurrency: 20, maxRequests: 3000, maxSeconds: 10 },
      );
      console.log(
        `[${engine}] ${page} page ${route}, 20 clients: ${result.perSecond.toFixed(0)} req/s, p50 ${fmt(result.p50)}, p95 ${fmt(result.p95)}, p99 ${fmt(result.p99)}, errors ${result.errors}`,
      );
    }
  }
}
