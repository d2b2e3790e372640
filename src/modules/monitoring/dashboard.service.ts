import { withTenant } from "../../db/tenant.ts";
import { CONTROL_STATUSES, type ControlStatus, urgency } from "../../domain/control-status.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { loadCatalog } from "../../platform/catalog.ts";
import type { Context } from "../../platform/context.ts";
import { controlsChangedAt } from "../controls/controls.queries.ts";
import { listControls } from "../controls/controls.service.ts";
import { usersChangedAt } from "../users/users.queries.ts";
import { dashboardView } from "./monitoring.schema.ts";
import { cachedResult, cacheResult } from "./results-cache.ts";

type Counts = Record<ControlStatus, number>;

function emptyCounts(): Counts {
  return Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Counts;
}

function share(counts: Counts): { passing: number; total: number; percent: number } {
  const total = CONTROL_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  // Controls that do not apply are left out of the share, as auditors do.
  const applicable = total - counts.not_applicable;
  return {
    passing: counts.passing,
    total,
    percent: applicable === 0 ? 0 : Math.round((counts.passing / applicable) * 1000) / 10,
  };
}

/**
 * The home page: how much passes overall and per category, what changed since yesterday's
 * snapshot, what needs doing (most urgent first, with owners), and a year of daily history.
 */
export async function dashboardJson(ctx: Context, now = new Date()): Promise<string> {
  // Everything here derives from stored results, snapshots and control owners: while none of
  // them changed (one small query tells) the last answer stands. Keyed per database handle,
  // so nodes sharing a PostgreSQL server each notice the others' evaluations.
  const stamp = await freshnessStamp(ctx, now);
  const cached = cachedResult<string>(ctx.db, ctx.organizationId, stamp);
  if (cached) return cached;
  const json = JSON.stringify(dashboardView.encode(await computeDashboard(ctx, now)));
  cacheResult(ctx.db, ctx.organizationId, stamp, json);
  return json;
}

async function freshnessStamp(ctx: Context, now: Date): Promise<string> {
  const row = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("control_results")
      .select((eb) => [
        eb.fn.max("evaluated_at").as("evaluated"),
        eb.fn.countAll<string>().as("results"),
      ])
      .select(controlsChangedAt().as("controls"))
      .select(usersChangedAt().as("users"))
      .executeTakeFirstOrThrow(),
  );
  const time = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : "-");
  return [isoDay(now), time(row.evaluated), row.results, time(row.controls), time(row.users)].join(
    "|",
  );
}

async function computeDashboard(ctx: Context, now: Date) {
  const controls = await listControls(ctx, { offenderLimit: 3 });
  const overall = emptyCounts();
  const byCategory = new Map<string, Counts>();
  for (const category of loadCatalog().categories) byCategory.set(category.name, emptyCounts());
  for (const control of controls) {
    overall[control.status]++;
    const counts = byCategory.get(control.category) ?? emptyCounts();
    counts[control.status]++;
    byCategory.set(control.category, counts);
  }

  const yesterday = isoDay(addDays(now, -1));
  const previous = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("control_snapshots")
      .select(["control_key", "status"])
      .where("day", "=", yesterday)
      .execute(),
  );
  const before = new Map(previous.map((p) => [p.control_key, p.status as ControlStatus]));
  const changes = controls
    .filter((c) => before.has(c.key) && before.get(c.key) !== c.status)
    .map((c) => ({
      controlKey: c.key,
      title: c.title,
      from: before.get(c.key) as ControlStatus,
      to: c.status,
    }));

  const attention = controls
    .filter((c) => c.status === "failing" || c.status === "needs_attention")
    .map((c) => {
      const problems = c.tests.filter(
        (t) => t.state === "failing" || t.state === "error" || t.state === "due_soon",
      );
      const dueDates = problems.flatMap((t) =>
        t.offenders.map((o) => o.dueAt).filter((d): d is string => Boolean(d)),
      );
      return {
        controlKey: c.key,
        title: c.title,
        category: c.category,
        status: c.status,
        owner: c.owner,
        nextDueAt: dueDates.sort()[0] ?? null,
        // The same record can fail several tests (a missing policy fails all three): count it once.
        offenderCount: Math.max(
          new Set(problems.flatMap((t) => t.offenders.map((o) => `${o.kind}:${o.id}`))).size,
          ...problems.map((t) => t.offenderCount),
        ),
        tests: problems.map((t) => ({
          key: t.key,
          state: t.state,
          message: t.message,
          offenders: t.offenders.slice(0, 3),
          offenderCount: t.offenderCount,
        })),
      };
    })
    .sort(
      (a, b) =>
        urgency(a.status) - urgency(b.status) ||
        (a.nextDueAt ?? "9999").localeCompare(b.nextDueAt ?? "9999") ||
        b.offenderCount - a.offenderCount,
    );

  const from = isoDay(addDays(now, -365));
  const daily = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("control_snapshots")
      .select(["day", "status", (eb) => eb.fn.countAll<string>().as("count")])
      .where("day", ">=", from)
      .where("day", "<=", isoDay(now))
      .groupBy(["day", "status"])
      .orderBy("day")
      .execute(),
  );
  const history = new Map<string, Counts>();
  for (const row of daily) {
    const counts = history.get(row.day) ?? emptyCounts();
    counts[row.status as ControlStatus] += Number(row.count);
    history.set(row.day, counts);
  }

  return {
    generatedAt: now,
    overall: { ...share(overall), counts: overall },
    categories: [...byCategory].map(([name, counts]) => ({ name, ...share(counts), counts })),
    changes,
    attention,
    history: [...history].map(([day, counts]) => ({ day, ...counts })),
  };
}
