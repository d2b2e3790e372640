import type { FastifyBaseLogger } from "fastify";
import type { Deps } from "../../platform/deps.ts";

/**
 * Work an area wants done on every scheduled run (reminders, deliveries, sweeps), after the
 * controls are evaluated. The scheduled run is claimed by one node, so a task runs once per
 * run across all nodes; a task must still be safe to run twice (claim what it sends).
 */
export type ScheduledTask = (deps: Deps, now: Date, log: FastifyBaseLogger) => Promise<void>;

/** A scheduled task as an area's manifest declares it. */
export interface ScheduledJob {
  name: string;
  run: ScheduledTask;
  /**
   * The task also runs once when the server starts, on every node and unclaimed (a clean-up
   * after a crash should not wait for the next run another node may have claimed).
   */
  atStart?: boolean;
}

const jobs = new Map<string, ScheduledJob>();

/** Called for each job of the areas list (src/modules/index.ts); a name is registered once. */
export function registerScheduledJob(job: ScheduledJob): void {
  jobs.set(job.name, job);
}

export function startTasks(): [string, ScheduledTask][] {
  return [...jobs.values()].filter((job) => job.atStart).map((job) => [job.name, job.run]);
}

export function scheduledTasks(): [string, ScheduledTask][] {
  return [...jobs.values()].map((job) => [job.name, job.run]);
}
