import { withSystem } from "../../db/tenant.ts";
import { orphanSweep } from "../../platform/blob-store.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";

/**
 * Evidence files no row holds (a crash between the file and its row, or mid-upload), removed
 * at start and on every scheduled run once an hour old. A deleted item keeps its row, and so
 * its file.
 */
const sweepEvidenceFiles = orphanSweep("evidence", async (deps, keys) => {
  const rows = await withSystem(deps.db, (tx) =>
    tx.selectFrom("evidence").select("storage_key").where("storage_key", "in", keys).execute(),
  );
  return new Set(rows.map((row) => row.storage_key as string));
});

export const evidenceJobs: readonly ScheduledJob[] = [
  {
    name: "evidence.orphan-files",
    atStart: true,
    run: async (deps, now, log) => {
      await sweepEvidenceFiles(deps, now, log);
    },
  },
];
