import type { FastifyBaseLogger } from "fastify";
import type { Deps } from "../../platform/deps.ts";

/**
 * Work a module wants done on every scheduled run (reminders, deliveries, sweeps), after the
 * controls are evaluated. The scheduled run is claimed by one node, so a task runs once per
 * run across all nodes; a task must still be safe to run twice (claim what it sends).
 */
export type ScheduledTask = (deps: Deps, now: Date, log: FastifyBaseLogger) => Promise<void>;

const tasks = new Map<string, ScheduledTask>();
const atStart = new Set<string>();

/**
 * `atStart`: the task also runs once when the server starts, on every node and unclaimed (a
 * clean-up after a crash should not wait for the next run another node may have claimed).
 */
export function registerScheduledTask(
  name: string,
  task: ScheduledTask,
  options: { atStart?: boolean } = {},
): void {
  tasks.set(name, task);
  if (options.atStart) atStart.add(name);
}

export function startTasks(): [string, ScheduledTask][] {
  return [...tasks.entries()].filter(([name]) => atStart.has(name));
}

export function scheduledTasks(): [string, ScheduledTask][] {
  return [...tasks.entries()];
}
