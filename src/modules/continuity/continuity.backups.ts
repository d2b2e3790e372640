import { scheduledBackup } from "../../backup/schedule.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

/**
 * Attest's own backups and restore tests, taken by the running server on its schedule
 * (src/backup/schedule.ts; ATTEST_BACKUP_EVERY_HOURS, ATTEST_RESTORE_TEST_EVERY_DAYS).
 */
export const backupJobs: readonly ScheduledJob[] = [
  {
    name: "continuity.attest-backups",
    run: async (deps, now, log) => {
      await scheduledBackup(deps, now, log);
    },
  },
];
