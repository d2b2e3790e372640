import type { FastifyBaseLogger } from "fastify";
import type { Deps } from "../../platform/deps.ts";

/**
 * Work a module wants done on every scheduled run (reminders, deliveries, sweeps), after the
 * controls are evaluated. The scheduled run is claimed by one node, so a task runs once per
 * run across all nodes; a task must still be safe to run twice (claim what it sends).
 */
export type ScheduledTask = (deps: Deps, now: Date, log: FastifyBaseLogger) => Promise<void>;

const tasks = new Map<string, ScheduledTask>();

export function registerScheduledTask(name: string, task: ScheduledTask): void {
  tasks.set(name, task);
}

export function scheduledTasks(): [string, ScheduledTask][] {
  return [...tasks.entries()];
}
