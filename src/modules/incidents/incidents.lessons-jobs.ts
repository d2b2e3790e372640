import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

export const lessonsJobs: readonly ScheduledJob[] = [];
