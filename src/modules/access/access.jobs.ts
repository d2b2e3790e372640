import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

/** The access area's scheduled work: mail to system owners about their open tasks. */
export const accessJobs: readonly ScheduledJob[] = [];
