import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { withSystem } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { onChange } from "./changes.ts";
import { organizationIds, reevaluate } from "./evaluation.service.ts";
import { scheduledTasks, startTasks } from "./scheduled-tasks.ts";

/**
 * Keeps control results current: a change to data re-evaluates the controls that read it
 * before the request that made it answers; a scheduled run evaluates every organization (and
 * so writes the day's snapshot) and runs every area's scheduled jobs.
 */
export function watchChanges(deps: Deps, log: FastifyBaseLogger): () => void {
  const runs = new Map<string, { running: Promise<void>; queued: Queued | null }>();
  const run = async (organizationId: string, sources: string[]) => {
    try {
      await reevaluate(deps.db, organizationId, sources);
    } catch (error) {
      log.error({ err: error, organizationId, sources }, "re-evaluation after a change failed");
    }
  };
  const start = (organizationId: string, running: Promise<void>) => {
    runs.set(organizationId, { running, queued: null });
    void running.finally(() => {
      const state = runs.get(organizationId);
      if (state?.running !== running) return;
      if (state.queued) start(organizationId, state.queued.promise);
      else runs.delete(organizationId);
    });
  };
  // Concurrent changes of one organization share re-evaluations (a provider syncing thousands
  // of people at once would otherwise start as many runs, each locking the same results): a
  // change waits for the run that starts after the one in progress, which reads its committed
  // data and every source announced meanwhile.
  return onChange(deps.db, (organizationId, source) => {
    const state = runs.get(organizationId);
    if (!state) {
      const running = run(organizationId, [source]);
      start(organizationId, running);
      return running;
    }
    if (!state.queued) {
      const sources = new Set<string>();
      const promise = state.running.then(() => run(organizationId, [...sources]));
      state.queued = { sources, promise };
    }
    state.queued.sources.add(source);
    return state.queued.promise;
  });
}

interface Queued {
  sources: Set<string>;
  promise: Promise<void>;
}

export const EVALUATION_INTERVAL_MS = 15 * 60_000;
const JOB = "evaluate-all";

/**
 * One scheduled run. Several nodes may call it; the first to claim the job in job_runs does
 * the work, the others return at once. Returns whether this call ran it.
 */
export async function runScheduledEvaluation(
  deps: Deps,
  log: FastifyBaseLogger,
  now = new Date(),
): Promise<boolean> {
  const claimBefore = new Date(now.getTime() - EVALUATION_INTERVAL_MS + 30_000);
  const claimed = await withSystem(deps.db, (tx) =>
    tx
      .insertInto("job_runs")
      .values({ name: JOB, last_run_at: now })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ last_run_at: now })
          .where("job_runs.last_run_at", "<", claimBefore),
      )
      .returning("name")
      .executeTakeFirst(),
  );
  if (!claimed) return false;
  if (deps.engine === "pglite") {
    // PGlite runs no autovacuum: refresh the planner's statistics ourselves, or its estimates
    // for the row-level-security filters stay those of empty tables.
    await sql`analyze`
      .execute(deps.db)
      .catch((error: unknown) => log.warn({ err: error }, "analyze failed"));
  }
  for (const organizationId of await organizationIds(deps.db)) {
    try {
      await reevaluate(deps.db, organizationId);
    } catch (error) {
      log.error({ err: error, organizationId }, "scheduled evaluation failed");
    }
  }
  for (const [name, task] of scheduledTasks()) {
    try {
      await task(deps, now, log);
    } catch (error) {
      log.error({ err: error, task: name }, "scheduled task failed");
    }
  }
  return true;
}

/** The tasks that run once at start on this node (the sweep of files left by a crash). */
export async function runStartTasks(deps: Deps, log: FastifyBaseLogger, now = new Date()) {
  for (const [name, task] of startTasks()) {
    try {
      await task(deps, now, log);
    } catch (error) {
      log.error({ err: error, task: name }, "start task failed");
    }
  }
}

/**
 * Runs the start tasks, then the scheduled evaluation now and every EVALUATION_INTERVAL_MS,
 * until stopped.
 */
export function startSchedule(deps: Deps, log: FastifyBaseLogger): () => void {
  let running: Promise<unknown> = runStartTasks(deps, log);
  const tick = () => {
    running = running
      .then(() => runScheduledEvaluation(deps, log))
      .catch((error: unknown) => log.error({ err: error }, "scheduled run failed"));
  };
  tick();
  const timer = setInterval(tick, EVALUATION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
