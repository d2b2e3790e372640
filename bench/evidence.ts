import { randomBytes } from "node:crypto";
import {
  CompiledQuery,
  createQueryId,
  type Insertable,
  type Kysely,
  type KyselyPlugin,
  type RootOperationNode,
  SelectQueryNode,
} from "kysely";
import type { DatabaseHandle } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { withSystem, withTenant } from "../src/db/tenant.ts";
import type { Database, EvidenceTable } from "../src/db/types.ts";
import { type EvidenceFilter, listEvidence } from "../src/modules/evidence/evidence.queries.ts";
import { createOrganizationWithOwner } from "../src/modules/organizations/organizations.service.ts";
import { loadCatalog } from "../src/platform/catalog.ts";
import type { Context } from "../src/platform/context.ts";
import { freshDatabase, median } from "./lib.ts";

/**
 * The evidence library on a large organization: 50,000 items (and as many in a second
 * organization, which must not slow it down), listed through the service with each filter
 * the page offers. Prints the median time of a page of 50 (with the match count the first
 * page carries) and, with --explain, the PostgreSQL plan of each query.
 * Run: npm run bench -- --only evidence [--engine postgres|pglite] [--explain]
 */
const ITEMS = 50_000;
const RUNS = 15;
const UPLOADERS = 5;
const WORDS = ["backup", "restore", "scan", "access review", "policy", "ticket", "report"];

export async function evidenceBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
  explain: boolean;
}) {
  for (const engine of options.engines) {
    const { handle, cleanup } = await freshDatabase(engine, options.postgresUrl, {
      label: "evidence",
      poolSize: 4,
    });
    try {
      await migrateToLatest(handle.db);
      const started = performance.now();
      const a = await seedOrganization(handle.db, "Evidence Bench A");
      await seedOrganization(handle.db, "Evidence Bench B");
      await handle.db.executeQuery(CompiledQuery.raw("analyze"));
      console.log(
        `[${engine}] evidence: two organizations of ${ITEMS} items seeded in ${ms(performance.now() - started)}`,
      );
      await measure(engine, handle, a, options.explain);
    } finally {
      await cleanup();
    }
  }
}

interface Seeded {
  organizationId: string;
  userIds: string[];
}

async function seedOrganization(db: Kysely<Database>, name: string): Promise<Seeded> {
  const { organizationId, userId } = await withSystem(db, (tx) =>
    createOrganizationWithOwner(
      tx,
      {
        organizationName: name,
        name: `${name} owner`,
        email: `owner-${randomBytes(4).toString("hex")}@bench.test`,
        password: "unused password",
      },
      "unused-hash",
      null,
    ),
  );
  const others = await withTenant(db, organizationId, (tx) =>
    tx
      .insertInto("users")
      .values(
        Array.from({ length: UPLOADERS - 1 }, (_, i) => ({
          organization_id: organizationId,
          email: `editor-${i}-${randomBytes(4).toString("hex")}@bench.test`,
          name: `Editor ${i}`,
          role: "editor",
          status: "active",
        })),
      )
      .returning("id")
      .execute(),
  );
  const userIds = [userId, ...others.map((row) => row.id)];
  const controls = loadCatalog().categories.flatMap((category) => category.controls);
  const now = Date.now();
  const span = 2 * 365 * 86_400_000;
  for (let start = 0; start < ITEMS; start += 2000) {
    const rows: Insertable<EvidenceTable>[] = [];
    for (let i = start; i < Math.min(ITEMS, start + 2000); i++) {
      const control = controls[i % controls.length] as (typeof controls)[number];
      const createdAt = new Date(now - span + Math.floor((i * span) / ITEMS));
      const evidenceDate = new Date(createdAt.getTime() - (i % 20) * 86_400_000);
      const day = evidenceDate.toISOString().slice(0, 10);
      const file = i % 10 === 0;
      const word = WORDS[i % WORDS.length] as string;
      rows.push({
        organization_id: organizationId,
        control_key: control.key,
        test_key: i % 3 === 0 ? (control.tests[0]?.key ?? null) : null,
        kind: file ? "file" : "link",
        title: `${word} evidence ${i}`,
        description: i % 4 === 0 ? `Quarterly ${word} for ${control.title}` : null,
        url: file ? null : `https://tickets.example.com/${word.replace(" ", "-")}/${i}`,
        evidence_date: day,
        valid_until:
          i % 5 === 0
            ? new Date(evidenceDate.getTime() + 180 * 86_400_000).toISOString().slice(0, 10)
            : null,
        ...(file
          ? {
              storage_key: `bench-${organizationId}-${i}`,
              file_name: `${word.replace(" ", "-")}-${i}.pdf`,
              content_type: "application/pdf",
              size_bytes: 1000 + i,
              sha256: "0".repeat(64),
              wrapped_key: "x",
              iv: "x",
              auth_tag: "x",
            }
          : {}),
        uploaded_by: userIds[i % userIds.length] as string,
        created_at: createdAt,
        deleted_at: i % 50 === 7 ? new Date(createdAt.getTime() + 86_400_000) : null,
      });
    }
    await withTenant(db, organizationId, (tx) => tx.insertInto("evidence").values(rows).execute());
  }
  return { organizationId, userIds };
}

/** Keeps the select statements run through it, so that they can be explained. */
function capturing(db: Kysely<Database>) {
  const seen: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      if (SelectQueryNode.is(node)) seen.push(node);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), seen };
}

async function measure(engine: string, handle: DatabaseHandle, a: Seeded, explain: boolean) {
  const recorder = capturing(handle.db);
  const ctx: Context = {
    db: recorder.db,
    organizationId: a.organizationId,
    actor: { type: "system", name: "bench" },
    requestId: null,
  };
  const base: EvidenceFilter = { includeDeleted: false, limit: 50 };
  const firstPage = await listEvidence(ctx, base);
  const scenarios: [string, EvidenceFilter][] = [
    ["no filter, first page (with count)", base],
    ["no filter, next page (cursor)", { ...base, after: firstPage.next ?? undefined }],
    ["control", { ...base, controlKey: "encryption-at-rest" }],
    ["validity=valid", { ...base, validity: "valid" }],
    ["validity=expiring", { ...base, validity: "expiring" }],
    ["validity=expired", { ...base, validity: "expired" }],
    ["kind=file", { ...base, kind: "file" }],
    ["uploadedBy", { ...base, uploadedBy: a.userIds[2] }],
    ["evidence dated in one month", { ...base, from: dayAgo(100), to: dayAgo(70) }],
    ["search, common word", { ...base, q: "backup" }],
    ["search, no match", { ...base, q: "no-such-evidence" }],
    [
      "control + validity + kind",
      { ...base, controlKey: "encryption-at-rest", validity: "expired", kind: "link" },
    ],
  ];
  for (const [name, filter] of scenarios) {
    const times: number[] = [];
    let total: number | null = null;
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const page = await listEvidence(ctx, filter);
      times.push(performance.now() - t0);
      total = page.total;
    }
    console.log(
      `[${engine}] evidence list, ${name}: median ${ms(median(times))}, max ${ms(Math.max(...times))}` +
        (total === null ? "" : ` (${total} matching)`),
    );
    if (explain) await printPlans(handle, a.organizationId, recorder, filter);
  }
}

async function printPlans(
  handle: DatabaseHandle,
  organizationId: string,
  recorder: ReturnType<typeof capturing>,
  filter: EvidenceFilter,
) {
  recorder.seen.length = 0;
  const ctx: Context = {
    db: recorder.db,
    organizationId,
    actor: { type: "system", name: "bench" },
    requestId: null,
  };
  await listEvidence(ctx, filter);
  const queries = recorder.seen.splice(0);
  for (const node of queries) {
    const compiled = handle.db.getExecutor().compileQuery(node, createQueryId());
    const plan = await withTenant(handle.db, organizationId, (tx) =>
      tx.executeQuery<Record<string, string>>(
        CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]),
      ),
    );
    for (const row of plan.rows) console.log(`    ${Object.values(row)[0]}`);
    console.log("");
  }
}

function dayAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
