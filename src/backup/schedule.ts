import type { FastifyBaseLogger } from "fastify";
import { withSystem } from "../db/tenant.ts";
import type { Deps } from "../platform/deps.ts";
import { archivesIn, pruneArchives, takeBackup } from "./export.ts";
import { recordRestoreTest } from "./record.ts";
import { runRestoreTest } from "./restore-test.ts";

const HOUR_MS = 60 * 60_000;

/**
 * Claims a job in job_runs when its last run is older than `everyMs` (less a minute, so a
 * schedule that ticks every 15 minutes keeps to the hour): one node of several does it.
 */
async function claim(deps: Deps, name: string, now: Date, everyMs: number): Promise<boolean> {
  const before = new Date(now.getTime() - everyMs + 60_000);
  const claimed = await withSystem(deps.db, (tx) =>
    tx
      .insertInto("job_runs")
      .values({ name, last_run_at: now })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ last_run_at: now })
          .where("job_runs.last_run_at", "<", before),
      )
      .returning("name")
      .executeTakeFirst(),
  );
  return Boolean(claimed);
}

/**
 * Attest's own backups as the running server takes them (on the embedded database no other
 * process may open it): an archive every ATTEST_BACKUP_EVERY_HOURS into ATTEST_BACKUP_DIR,
 * the oldest beyond ATTEST_BACKUP_KEEP deleted after a successful one; and every
 * ATTEST_RESTORE_TEST_EVERY_DAYS a restore test of the newest archive, recorded as a restore
 * test of the "Attest" system. Each is claimed in job_runs, so one node does it. Answers what
 * it did.
 */
export async function scheduledBackup(
  deps: Deps,
  now: Date,
  log: FastifyBaseLogger,
): Promise<{ backup?: string; restoreTestPassed?: boolean }> {
  const { config } = deps;
  const done: { backup?: string; restoreTestPassed?: boolean } = {};
  const backupEvery = config.backupEveryHours * HOUR_MS;
  if (backupEvery > 0 && (await claim(deps, "attest-backup", now, backupEvery))) {
    const result = await takeBackup({
      db: deps.db,
      engine: deps.engine,
      dataDir: config.dataDir,
      keyring: deps.keyring,
      outDir: config.backupDir,
      now,
    });
    const removed = await pruneArchives(config.backupDir, config.backupKeep);
    log.info({ file: result.file, bytes: result.bytes, removed: removed.length }, "backup written");
    for (const problem of result.problems) log.warn({ problem }, "backup: stored file problem");
    done.backup = result.file;
  }
  const testEvery = config.restoreTestEveryDays * 24 * HOUR_MS;
  const newest = (await archivesIn(config.backupDir)).at(-1);
  if (newest && testEvery > 0 && (await claim(deps, "attest-restore-test", now, testEvery))) {
    const report = await runRestoreTest({ file: newest, keyring: deps.keyring });
    await recordRestoreTest(deps.db, report, "attest scheduled restore test");
    const message = report.passed ? "restore test passed" : "restore test failed";
    if (report.passed) log.info({ archive: report.archiveName }, message);
    else log.error({ archive: report.archiveName, checks: report.checks }, message);
    done.restoreTestPassed = report.passed;
  }
  return done;
}
