import { sql } from "kysely";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withTenant } from "../src/db/tenant.ts";
import { listCustomers } from "../src/modules/customers/customers.list.ts";
import { seedDemoOrganization } from "../src/modules/demo.ts";
import { findControlTest } from "../src/modules/monitoring/registry.ts";
import { organizationSettings } from "../src/modules/organizations/organizations.queries.ts";
import type { Context } from "../src/platform/context.ts";
import { fmt, freshDatabase, median } from "./lib.ts";

/**
 * Issue 15's figures: the small demo organization with 10,000 customers bulk-inserted (three
 * data stores each, two versions each; 4,000 contracts ended, their disposals recorded but for
 * one in a hundred), then each customer check now and 90 days ago, and a page of the customer
 * list (the status computed per row) filtered and not (median of 5 runs each).
 * Run: npm run bench -- --only customers [--engine postgres|pglite]
 */
const CUSTOMERS = 10_000;
const ENDED = 4_000;
const CHECKS = [
  ["customer-data-retention", "retention-agreed"],
  ["customer-data-retention", "disposal-on-time"],
] as const;

export async function customerBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  for (const engine of options.engines) {
    const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
      label: "customers",
      poolSize: 10,
    });
    try {
      await migrateToLatest(handle.db);
      const demo = await seedDemoOrganization(handle.db, { size: "small", progress: () => {} });
      const ctx = await ownerContext(handle.db, demo.organizationId);
      const t0 = performance.now();
      await bulkCustomers(ctx);
      await sql`ANALYZE`.execute(ctx.db);
      console.log(
        `[${engine}] ${CUSTOMERS.toLocaleString("en")} customers inserted in ${fmt(performance.now() - t0)}`,
      );
      await checkFigures(engine, ctx);
      await listFigures(engine, ctx);
    } finally {
      await cleanup();
    }
  }
}

async function ownerContext(db: Context["db"], organizationId: string): Promise<Context> {
  const owner = await withTenant(db, organizationId, (tx) =>
    tx
      .selectFrom("users")
      .select(["id", "name"])
      .where("role", "=", "owner")
      .executeTakeFirstOrThrow(),
  );
  return {
    db,
    organizationId,
    actor: { type: "user", userId: owner.id, name: owner.name, role: "owner" },
    requestId: null,
  };
}

/** Customers signed one a day-ish back from now, the oldest ENDED ended, disposed of but 1%. */
async function bulkCustomers(ctx: Context) {
  const org = ctx.organizationId;
  await withTenant(ctx.db, org, async (tx) => {
    const stores = (await sql<{ id: string }>`select id from systems limit 3`.execute(tx)).rows.map(
      (r) => r.id,
    );
    await sql`
      INSERT INTO customers (organization_id, name, reference, contract_start, contract_end,
        retention_days, retention_basis, system_ids, created_at, updated_at)
      SELECT ${org}, 'Bench customer ' || n, 'B-' || n, (now() - (n + 400) * interval '1 hour')::date,
        CASE WHEN n > ${CUSTOMERS - ENDED} THEN (now() - (n - ${CUSTOMERS - ENDED}) * interval '2 hours' - interval '1 day')::date END,
        30, 'agreed', ${stores}::uuid[], now() - (n + 400) * interval '1 hour', now()
      FROM generate_series(1, ${CUSTOMERS}) n`.execute(tx);
    await sql`
      INSERT INTO customer_versions (organization_id, customer_id, valid_from, valid_to, name,
        reference, contract_start, contract_end, retention_days, retention_basis, system_ids)
      SELECT organization_id, id, created_at, CASE WHEN contract_end IS NOT NULL THEN contract_end::timestamptz END,
        name, reference, contract_start, NULL, retention_days, retention_basis, system_ids
      FROM customers WHERE name LIKE 'Bench customer %'
      UNION ALL
      SELECT organization_id, id, contract_end::timestamptz, NULL, name, reference, contract_start,
        contract_end, retention_days, retention_basis, system_ids
      FROM customers WHERE name LIKE 'Bench customer %' AND contract_end IS NOT NULL`.execute(tx);
    const who = await sql<{ id: string }>`select id from people limit 1`.execute(tx);
    await sql`
      INSERT INTO customer_disposals (organization_id, customer_id, system_id, method,
        disposed_by, disposed_on, created_at)
      SELECT c.organization_id, c.id, s.id, 'deleted', ${who.rows[0]?.id}::uuid,
        c.contract_end + 10, (c.contract_end + 10)::timestamptz
      FROM customers c CROSS JOIN LATERAL unnest(c.system_ids) s(id)
      WHERE c.name LIKE 'Bench customer %' AND c.contract_end + 10 < now()::date
        AND right(c.reference, 2) <> '00'`.execute(tx);
  });
}

async function checkFigures(engine: string, ctx: Context) {
  const figures: string[] = [];
  for (const [controlKey, testKey] of CHECKS) {
    const test = findControlTest(controlKey, testKey);
    if (!test) continue;
    for (const [label, asOf] of [
      ["now", new Date()],
      ["90 days ago", new Date(Date.now() - 90 * 86_400_000)],
    ] as const) {
      const runs: number[] = [];
      let state = "";
      for (let run = 0; run < 5; run++) {
        await withTenant(ctx.db, ctx.organizationId, async (tx) => {
          const settings = await organizationSettings(tx, ctx.organizationId);
          const t0 = performance.now();
          const outcome = await test.run({
            tx,
            organizationId: ctx.organizationId,
            controlKey,
            asOf,
            settings,
            shared: (_key, compute) => compute(),
          });
          runs.push(performance.now() - t0);
          state = `${outcome.state}, ${outcome.offenderCount ?? outcome.offenders.length} offenders`;
        });
      }
      figures.push(`${testKey} (${label}) ${fmt(median(runs))} [${state}]`);
    }
  }
  console.log(`[${engine}] each check, median of 5: ${figures.join("; ")}`);
}

async function listFigures(engine: string, ctx: Context) {
  const figures: string[] = [];
  for (const status of [undefined, "disposal_overdue"] as const) {
    const runs: number[] = [];
    let count = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const page = await listCustomers(ctx, { limit: 50, ...(status ? { status } : {}) });
      runs.push(performance.now() - t0);
      count = page.items.length;
    }
    figures.push(`${status ?? "all"} ${fmt(median(runs))} (${count} rows)`);
  }
  console.log(`[${engine}] a page of customers, median of 5: ${figures.join("; ")}`);
}
