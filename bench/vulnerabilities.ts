import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { sql } from "kysely";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem, withTenant } from "../src/db/tenant.ts";
import { createApiToken } from "../src/modules/auth/tokens.service.ts";
import { evaluateControls } from "../src/modules/monitoring/evaluation.service.ts";
import { createOrganizationWithOwner } from "../src/modules/organizations/organizations.service.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Context } from "../src/platform/context.ts";
import { Keyring } from "../src/platform/keyring.ts";
import { hashPassword } from "../src/platform/passwords.ts";
import { buildServer } from "../src/server.ts";
import { writeSarifFile } from "../test/fixtures/scanners/generate.ts";
import { fmt, freshDatabase, median } from "./lib.ts";

/**
 * Issue 13's figures: importing a generated SARIF file of 100,000 results through the API
 * (wall time, and the peak resident memory of this process, which runs the server; targets
 * 5 s and 300 MB on PostgreSQL), the same file again (a duplicate), and a changed file (10%
 * gone, 10% new); then, on an organization with 500,000 findings bulk-inserted with
 * generate_series (most resolved, some open, a few overdue), the evaluation of every control
 * (target 1 s on PostgreSQL).
 * Run: npm run bench -- --only vulnerabilities [--engine postgres|pglite]
 */
const RESULTS = 100_000;
const MB = 1024 * 1024;

/** The peak RSS while `work` runs, sampled every 50 ms. */
async function measured<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, ms: performance.now() - t0, peakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The generated file without its first `drop` results (JSON stays valid: each is a line). */
async function withoutFirst(source: string, target: string, drop: number) {
  const out = fs.createWriteStream(target);
  let seen = 0;
  let inResults = false;
  for await (const line of readline.createInterface({ input: fs.createReadStream(source) })) {
    if (line.trim() === '"results": [') inResults = true;
    else if (inResults && line.startsWith("        {")) {
      seen++;
      if (seen <= drop) continue;
    } else if (inResults) inResults = false;
    if (!out.write(`${line}\n`))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function setUp(db: Context["db"]) {
  const created = await withSystem(db, async (tx) =>
    createOrganizationWithOwner(
      tx,
      {
        organizationName: "Bench Vulnerabilities",
        name: "Bench Owner",
        email: "owner@bench.test",
        password: "bench password bench",
      },
      await hashPassword("bench password bench"),
      null,
    ),
  );
  const ctx: Context = {
    db,
    organizationId: created.organizationId,
    actor: { type: "user", userId: created.userId, name: "Bench Owner", role: "owner" },
    requestId: null,
  };
  return ctx;
}

export async function vulnerabilityBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-scans-"));
  const base = path.join(dir, "base.sarif");
  const changed = path.join(dir, "changed.sarif");
  try {
    await writeSarifFile(base, RESULTS);
    const more = path.join(dir, "more.sarif");
    await writeSarifFile(more, RESULTS + RESULTS / 10);
    await withoutFirst(more, changed, RESULTS / 10);
    fs.rmSync(more);
    console.log(
      `generated SARIF files: ${(fs.statSync(base).size / MB).toFixed(1)} MiB (${RESULTS} results) and a changed one`,
    );
    for (const engine of options.engines) {
      await engineFigures(engine, options.postgresUrl, { base, changed });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function engineFigures(
  engine: "postgres" | "pglite",
  postgresUrl: string,
  files: { base: string; changed: string },
) {
  const { handle, cleanup } = await freshDatabase(engine, postgresUrl, {
    label: "vulnerabilities",
    poolSize: 10,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-scans-data-"));
  try {
    await migrateToLatest(handle.db);
    const ctx = await setUp(handle.db);
    const config = { ...loadConfig({}), dataDir, logLevel: "silent", host: "127.0.0.1", port: 0 };
    const app = await buildServer(
      { db: ctx.db, engine, config, keyring: Keyring.of(randomBytes(32)), mailer: null },
      { logger: false },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const { token } = await createApiToken(ctx, "bench");
      const systemId = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
        const row = await sql<{ id: string }>`
          INSERT INTO systems (organization_id, name, kind, classification, scanned)
          VALUES (${ctx.organizationId}, 'api-1', 'application', 'internal', true)
          RETURNING id`.execute(tx);
        return (row.rows[0] as { id: string }).id;
      });
      const post = async (file: string) => {
        const response = await fetch(`${url}/api/v1/finding-imports?systemId=${systemId}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/sarif+json" },
          body: fs.createReadStream(file) as unknown as RequestInit["body"],
          duplex: "half",
        } as RequestInit);
        const body = (await response.json()) as Record<string, unknown>;
        if (response.status >= 300)
          throw new Error(`import: ${response.status} ${JSON.stringify(body)}`);
        return body;
      };
      global.gc?.();
      const first = await measured(() => post(files.base));
      report(engine, "import of 100,000 results", first);
      const again = await measured(() => post(files.base));
      report(engine, "the same file again (duplicate)", again);
      const next = await measured(() => post(files.changed));
      report(engine, "a changed file (10% gone, 10% new)", next);
    } finally {
      await app.close();
    }
    if (engine === "postgres") await evaluationFigure(engine, ctx);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await cleanup();
  }
}

function report(
  engine: string,
  what: string,
  run: { result: Record<string, unknown>; ms: number; peakMb: number },
) {
  const r = run.result;
  console.log(
    `[${engine}] ${what}: ${fmt(run.ms)}, peak RSS ${run.peakMb.toFixed(0)} MB ` +
      `(results ${r.results}, created ${r.created}, unchanged ${r.unchanged}, resolved ${r.resolved}, reopened ${r.reopened}, duplicate ${r.duplicate})`,
  );
}

/** 500,000 findings over 50 scanned systems: 90% resolved, the rest open, 1% overdue. */
async function evaluationFigure(engine: string, ctx: Context) {
  const t0 = performance.now();
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const org = ctx.organizationId;
    await sql`
      INSERT INTO systems (organization_id, name, kind, classification, scanned, production)
      SELECT ${org}, 'bench-' || n, 'application', 'internal', true, n % 2 = 0
      FROM generate_series(1, 50) n`.execute(tx);
    await sql`
      INSERT INTO scan_imports (organization_id, system_id, tool, format, scanned_at, file_sha256,
        file_bytes, results)
      SELECT ${org}, s.id, 'Trivy', 'trivy', now() - interval '3 days', md5(s.id::text), 1000, 10000
      FROM systems s WHERE s.name LIKE 'bench-%'`.execute(tx);
    await sql`
      WITH sys AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM systems WHERE name LIKE 'bench-%')
      INSERT INTO findings (organization_id, system_id, source, tool, fingerprint, title, severity,
        first_detected_at, last_detected_at, status, status_changed_at, due_at, deadline_at,
        resolved_at)
      SELECT ${org}, sys.id, 'scan', 'Trivy', 'f' || n, 'CVE-2026-' || n,
        (ARRAY['critical','high','medium','low'])[1 + n % 4],
        d.first, d.first, d.status, d.first, d.first + interval '30 days',
        CASE WHEN d.status = 'open' THEN d.first + interval '30 days' END,
        CASE WHEN d.status = 'resolved' THEN d.first + interval '10 days' END
      FROM generate_series(0, 499999) n
      JOIN sys ON sys.k = n % 50
      CROSS JOIN LATERAL (SELECT
        CASE WHEN n % 100 = 0 THEN now() - interval '40 days' ELSE now() - interval '20 days' END AS first,
        CASE WHEN n % 10 = 0 THEN 'open' ELSE 'resolved' END AS status) d`.execute(tx);
    await sql`
      INSERT INTO finding_periods (organization_id, finding_id, status, severity, due_at,
        deadline_at, valid_from, valid_to)
      SELECT organization_id, id, 'open', severity, due_at, due_at, first_detected_at,
        CASE WHEN status = 'resolved' THEN resolved_at END
      FROM findings WHERE tool = 'Trivy'`.execute(tx);
    await sql`
      INSERT INTO finding_periods (organization_id, finding_id, status, severity, due_at,
        deadline_at, valid_from)
      SELECT organization_id, id, 'resolved', severity, due_at, NULL, resolved_at
      FROM findings WHERE tool = 'Trivy' AND status = 'resolved'`.execute(tx);
  });
  await sql`ANALYZE`.execute(ctx.db);
  console.log(
    `[${engine}] 500,000 findings and their periods inserted in ${fmt(performance.now() - t0)}`,
  );
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await evaluateControls(ctx.db, ctx.organizationId, new Date());
    runs.push(performance.now() - start);
  }
  console.log(
    `[${engine}] evaluation of all controls with 500,000 findings: median ${fmt(median(runs))} (runs: ${runs.map(fmt).join(", ")})`,
  );
}
