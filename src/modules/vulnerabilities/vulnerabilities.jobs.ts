import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

/** Scheduled work: risk acceptances expiring, reminders (helper 4; stub). */
export const vulnerabilityJobs: readonly ScheduledJob[] = [];
