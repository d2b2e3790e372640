import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

export const incidentJobs: readonly ScheduledJob[] = [];
