import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { BackupProgress } from "./backup/export.ts";
import type { RestoreTestReport } from "./backup/restore-test.ts";
import type { DatabaseHandle } from "./db/database.ts";
import type { Config } from "./platform/config.ts";
import type { Keyring } from "./platform/keyring.ts";

/** `attest backup`, `attest restore-test` and `attest restore` (docs/backups.md). */
export async function backupCommand(
  command: "backup" | "restore-test" | "restore",
  argv: string[],
  help: string,
): Promise<number> {
  let values: { out?: string; from?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: "boolean", short: "h" },
        out: { type: "string" },
        from: { type: "string" },
        force: { type: "boolean" },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    console.log(help);
    return 0;
  }
  const usage = (message: string) => {
    console.error(`${message}\n\n${help}`);
    return 2;
  };
  if (command === "backup" && (values.from || values.force))
    return usage("backup takes --out only");
  if (command === "restore-test" && (values.out || values.force)) {
    return usage("restore-test takes --from only");
  }
  if (command === "restore" && !values.from) return usage("restore needs --from FILE");
  if (command === "restore" && values.out) return usage("restore takes --from and --force only");

  const { loadConfig } = await import("./platform/config.ts");
  const config = loadConfig();
  const { openDatabase } = await import("./db/database.ts");
  const database = await openDatabase(config, { command: `attest ${command}` });
  try {
    const { loadKeyring } = await import("./platform/keyring.ts");
    const keyring = loadKeyring(config.masterKey, config.dataDir);
    if (command === "backup") return await backup(database, config, keyring, values.out);
    if (command === "restore-test")
      return await restoreTest(database, config, keyring, values.from);
    return await restore(database, config, keyring, values.from as string, Boolean(values.force));
  } catch (error) {
    const name = (error as Error).name;
    if (name === "RestoreRefusedError" || name === "ArchiveError") {
      console.error((error as Error).message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

async function backup(
  database: DatabaseHandle,
  config: Config,
  keyring: Keyring,
  out: string | undefined,
): Promise<number> {
  const { takeBackup, pruneArchives } = await import("./backup/export.ts");
  const outDir = path.resolve(out ?? config.backupDir);
  const report = throttled((p: BackupProgress) =>
    p.phase === "rows"
      ? `backup: ${p.rows} rows, ${megabytes(p.bytes)} (table ${p.table})`
      : `backup: ${p.files} files, ${megabytes(p.bytes)} in all`,
  );
  const result = await takeBackup({
    db: database.db,
    engine: database.engine,
    dataDir: config.dataDir,
    keyring,
    outDir,
    progress: report,
  });
  const rows = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
  console.log(`Backup written: ${result.file}`);
  console.log(
    `  ${Object.keys(result.rows).length} tables, ${rows} rows; ${result.files.count} files (${megabytes(result.files.bytes)}); archive ${megabytes(result.bytes)}, SHA-256 ${result.sha256}`,
  );
  if (!out) {
    for (const file of await pruneArchives(outDir, config.backupKeep)) {
      console.log(
        `  removed the older archive ${path.basename(file)} (ATTEST_BACKUP_KEEP=${config.backupKeep})`,
      );
    }
  }
  for (const problem of result.problems) console.error(`warning: ${problem}`);
  if (result.problems.length > 0) {
    console.error(
      `${result.problems.length} stored files are missing or do not match their records; they are in the archive as found.`,
    );
    return 1;
  }
  return 0;
}

async function restoreTest(
  database: DatabaseHandle,
  config: Config,
  keyring: Keyring,
  from: string | undefined,
): Promise<number> {
  const [{ archivesIn }, { runRestoreTest }, { recordRestoreTest }] = await Promise.all([
    import("./backup/export.ts"),
    import("./backup/restore-test.ts"),
    import("./backup/record.ts"),
  ]);
  const file = from ? path.resolve(from) : (await archivesIn(config.backupDir)).at(-1);
  if (!file || !fs.existsSync(file)) {
    console.error(
      from
        ? `No such archive: ${file}`
        : `No archive in ${config.backupDir} (ATTEST_BACKUP_DIR): take one with 'attest backup', or name one with --from`,
    );
    return 1;
  }
  // The result is recorded in the live database: at this Attest's schema (as 'serve' would).
  const { migrateIfNeeded } = await import("./db/migrate.ts");
  await migrateIfNeeded(database.db);
  const report = await runRestoreTest({
    file,
    keyring,
    progress: (message) => process.stderr.write(`restore-test: ${message}\n`),
  });
  printReport(report);
  await recordRestoreTest(database.db, report);
  console.log("Recorded as a restore test of the Attest system in every organization.");
  return report.passed ? 0 : 1;
}

function printReport(report: RestoreTestReport) {
  console.log(
    `Restore test of ${report.archiveName} (taken ${report.backupTakenAt.toISOString()})`,
  );
  console.log(`  SHA-256 ${report.archiveSha256}; restored into a ${report.restoredInto}`);
  for (const check of report.checks) {
    console.log(`  ${check.passed ? "ok    " : "FAILED"}  ${check.name}: ${check.detail}`);
  }
  const seconds = (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000;
  console.log(`${report.passed ? "PASSED" : "FAILED"} in ${seconds.toFixed(1)} s`);
}

async function restore(
  database: DatabaseHandle,
  config: Config,
  keyring: Keyring,
  from: string,
  force: boolean,
): Promise<number> {
  const [{ verifyArchive }, restoring, { migrateToLatest }] = await Promise.all([
    import("./platform/backup-archive.ts"),
    import("./backup/restore.ts"),
    import("./db/migrate.ts"),
  ]);
  const file = path.resolve(from);
  if (!fs.existsSync(file)) {
    console.error(`No such archive: ${file}`);
    return 1;
  }
  process.stderr.write("restore: verifying the archive…\n");
  const verified = await verifyArchive(file, { keyring });
  if (!verified.ok) {
    console.error(`${verified.error.message}. Nothing was restored.`);
    return 1;
  }
  const extras = restoring.extrasOf(verified.manifest);
  if (!force && (await restoring.organizationCount(database.db)) > 0) {
    console.error(
      "The database already holds organizations: restoring replaces everything in it. Run again with --force to replace it, or point Attest at an empty database. Nothing was restored.",
    );
    return 1;
  }
  await restoring.migrateToArchive(database.db, extras);
  const report = throttled(
    ({ rows, files }: { rows: number; files: number }) => `restore: ${rows} rows, ${files} files`,
  );
  const result = await restoring.loadArchive(database.db, file, {
    keyring,
    filesRoot: config.dataDir,
    force,
    progress: (rows, files) => report({ rows, files }),
  });
  const upgraded = (await migrateToLatest(database.db)).results ?? [];
  const rows = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
  console.log(`Restored ${path.basename(file)} (taken ${extras.takenAt}):`);
  console.log(
    `  ${Object.keys(result.rows).length} tables, ${rows} rows; ${result.files.count} files (${megabytes(result.files.bytes)})`,
  );
  if (upgraded.length > 0) console.log(`  then applied ${upgraded.length} newer migrations`);
  return 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A progress line on stderr at most every few seconds: only long runs print any. */
function throttled<T>(line: (progress: T) => string, everyMs = 3000): (progress: T) => void {
  let last = Date.now();
  return (progress) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    process.stderr.write(`${line(progress)}\n`);
  };
}
