import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

/** Campaigns started by each system's review period, and reminders to reviewers. */
export const accessReviewJobs: readonly ScheduledJob[] = [];
