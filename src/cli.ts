import { parseArgs } from "node:util";
import type { DatabaseHandle } from "./db/database.ts";
import type { Config } from "./platform/config.ts";
import { printable } from "./platform/terminal-text.ts";

// Each command imports what it uses when it runs, so that `attest --help` starts at once.

const HELP: Record<string, string> = {
  main: `Usage: attest <command> [options]

Commands:
  serve          Serve Attest over HTTP(S) (migrates the database first)
  migrate        Apply database migrations (or roll back with --down)
  audit verify   Check every organization's audit hash chain
  demo           Load a sample organization (--size small or large)
  collect ssh-keys  Send a host's authorized_keys files to Attest (ATTEST_URL, ATTEST_TOKEN)
  import findings   Send a scanner file's findings to Attest (ATTEST_URL, ATTEST_TOKEN)
  keys rotate    Rotate the master key: re-seal every secret and data key under a new one
  backup         Write an encrypted archive of the database and the evidence files
  restore-test   Restore the newest archive into a scratch database and check it
  restore        Restore an archive into the configured database (--from FILE)

Run 'attest <command> --help' for a command's options. Configuration comes from environment
variables; see the README.`,
  serve: `Usage: attest serve

Serves the API, the web app and the docs at /api/docs on HOST:PORT (default localhost:3000),
on the embedded database in ATTEST_DATA_DIR or the PostgreSQL server in DATABASE_URL.
Applies pending migrations before listening. Stops cleanly on SIGINT or SIGTERM.
On the embedded database one process at a time may open the data directory: a second
'attest serve' (or another command) on it is refused while this one runs.`,
  migrate: `Usage: attest migrate [--down] [--status]

  (no option)  apply every pending migration
  --down       roll back the most recent migration
  --status     list migrations and whether each is applied

On the embedded database, stop 'attest serve' first (it migrates when it starts anyway).`,
  audit: `Usage: attest audit verify

Walks every organization's audit trail in order and recomputes its hash chain. Prints the
first broken event (its sequence number and id) and exits 1 when any chain is broken.
On the embedded database, stop 'attest serve' first: the data directory opens in one process
at a time. On a PostgreSQL server (DATABASE_URL) it runs beside the server.`,
  demo: `Usage: attest demo [--size small|large] [--email EMAIL] [--password PASSWORD]

Adds "Demo Co", a company a year into its security program, to the configured database:
people with their accounts, policies written, approved, reviewed and acknowledged over the
year, evidence, a published trust center with documents and notices, an open reporting
channel, and the audit trail and daily control history computed from those records. Most
controls pass; a few fail or come due for real reasons. Prints how to sign in and the URL.
  --size small   40 people, 2,000 audit events (default)
  --size large   10,000 people and 1,000,000 audit events (for benchmarks; takes minutes)
  --email        the owner's email (default: a new demo address)
  --password     the owner's password (default: "attest demo password")

On the embedded database, stop 'attest serve' first: the data directory opens in one process
at a time. On a PostgreSQL server (DATABASE_URL) it runs beside the server.`,
  collect: `Usage: attest collect ssh-keys --system NAME [--host HOST] [--url URL] [FILE...]

Reads authorized_keys files (OpenSSH's format; standard input when no FILE is given, or for
"-"), prints each malformed line as FILE:LINE: message on stderr (it is skipped, never fatal),
and posts the files to Attest, which fingerprints every key as 'ssh-keygen -l' does and keeps
the listing as dated evidence of what the host allowed. Prints the key count, the keys
registered to nobody, to departed people or to several people, and the listing's URL.
  --system NAME  the system of the inventory the host belongs to (required)
  --host HOST    the host's name (default: this machine's host name)
  --url URL      Attest's address, e.g. https://attest.example.com (default: ATTEST_URL)

The API token of an owner or admin is read from ATTEST_TOKEN (never a flag, which 'ps' would
show). Needs no database: it runs on the host. Exit codes: 0 posted, 1 the server refused
the listing or could not be reached (the reason is printed), 2 a usage error.

  ATTEST_URL=https://attest.example.com ATTEST_TOKEN=... \\
    attest collect ssh-keys --system "Payments API" /home/*/.ssh/authorized_keys`,
  // issue 13: scan imports
  import: `Usage: attest import findings FILE|- --system NAME [--format F] [--scanned-at ISO] [--dry-run]

Streams a scanner file (standard input for "-") to Attest, which reads its findings (SARIF,
Trivy JSON, Grype JSON, npm audit JSON, OSV-Scanner JSON or Attest's CSV) and merges them into
the system's: new findings opened, findings gone resolved, returning ones reopened with their
first deadline; the file is kept as evidence of the scan. The file is never held in memory;
a long upload prints its progress on stderr. Prints what the import changed.
  --system NAME      the system of the inventory that was scanned (required)
  --format F         auto (default: detected from the content), sarif, trivy, grype,
                     npm-audit, osv or csv
  --scanned-at ISO   when the scan ran, if the file does not say (default: now)
  --dry-run          check the file and print what importing it would change; write nothing
  --url URL          Attest's address (default: ATTEST_URL)

The API token of an owner, admin or editor is read from ATTEST_TOKEN (never a flag). Needs no
database. Exit codes: 0 imported (or checked), 1 the server refused the file or could not be
reached (each problem is printed), 2 a usage error.

  trivy image --format json -o scan.json registry.example.com/api:1.4
  ATTEST_URL=https://attest.example.com ATTEST_TOKEN=... \\
    attest import findings scan.json --system api-1`,
  keys: `Usage: attest keys rotate [--retire-old] | reseal | retire | status

  rotate   makes a new master key (or takes ATTEST_NEW_MASTER_KEY when the keys come from
           ATTEST_MASTER_KEY), writes it first to the key file with the old keys kept, then
           re-seals every secret and wraps every evidence file's data key under it, online,
           in batches, until no value under an old key is left; records the rotation in every
           organization's key registry. Files themselves are not rewritten.
           --retire-old  then retire the old keys (as 'retire')
  reseal   re-seals every value still under an older key (after an interrupted rotation)
  retire   removes the old keys from the key file, once nothing uses them (refused otherwise)
  status   lists the keys and how many values each seals

Backups taken before a rotation need the old key: keep a copy with them (docs/keys.md).
On a PostgreSQL server (DATABASE_URL) it runs beside the servers: they take up the new key
within seconds. On the embedded database, stop 'attest serve' first, rotate, start it again.`,
  // issue 15: Attest's own backups
  backup: `Usage: attest backup [--out DIR]

Writes one encrypted, checksummed archive of the whole database (every table, read in one
consistent snapshot) and the stored evidence and trust center files (as stored, encrypted,
each checked against its record) to DIR (default: ATTEST_BACKUP_DIR, <data dir>/backups),
then deletes the oldest archives beyond ATTEST_BACKUP_KEEP (only in the default directory).
The archive is sealed with the master key: keep the key too, apart from the archives.
Progress (rows, bytes) goes to stderr on long runs. Exit 0 written, 1 failed or written with
stored files missing or not matching their records (each is named).

On the embedded database the data directory opens in one process at a time: the running
'attest serve' takes the scheduled backups itself (ATTEST_BACKUP_EVERY_HOURS) and this
command works while it is stopped. On a PostgreSQL server (DATABASE_URL) it runs beside it.`,
  "restore-test": `Usage: attest restore-test [--from FILE]

Verifies an archive (default: the newest in ATTEST_BACKUP_DIR), restores it into a scratch
embedded database in a temporary directory, and compares the rows per table with the
manifest, every stored file's SHA-256 (decrypted with its envelope) with its record, and
every organization's audit chain. Prints each check, records the result as a restore test
of the "Attest" system in every organization, and removes the scratch directory. Refuses an
archive from a newer Attest. Exit 0 passed, 1 failed.
Like 'attest backup', on the embedded database it runs while 'attest serve' is stopped.`,
  restore: `Usage: attest restore --from FILE [--force]

Restores an archive into the configured database and data directory: verifies the whole
archive first (a corrupted, truncated or wrong-key archive is refused, nothing written),
then replaces every row in one transaction and writes the stored files. Refuses a database
that holds any organization unless --force (which replaces everything in it). An archive
of an older Attest is restored at its schema and then migrated. Needs the master key the
archive was taken with (ATTEST_MASTER_KEY or <data dir>/master.key). Stop 'attest serve'
first.`,
};

async function main(argv: string[]): Promise<number> {
  // `collect` runs on a host, far from any database; it parses its own options (exit 2 on a
  // usage error).
  if (argv[0] === "collect") {
    const { collect } = await import("./cli-collect.ts");
    return collect(argv.slice(1), HELP.collect as string);
  }
  if (argv[0] === "keys") {
    const { keys } = await import("./cli-keys.ts");
    return keys(argv.slice(1), HELP.keys as string);
  }
  if (argv[0] === "import") {
    const { importFindings } = await import("./cli-import.ts");
    return importFindings(argv.slice(1), HELP.import as string);
  }
  if (argv[0] === "backup" || argv[0] === "restore-test" || argv[0] === "restore") {
    const { backupCommand } = await import("./cli-backup.ts");
    return backupCommand(argv[0], argv.slice(1), HELP[argv[0]] as string);
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      down: { type: "boolean" },
      status: { type: "boolean" },
      size: { type: "string", default: "small" },
      email: { type: "string" },
      password: { type: "string" },
    },
  });
  const [command, sub] = positionals;
  if (!command || (values.help && !command)) {
    console.log(HELP.main);
    return command ? 0 : values.help ? 0 : 1;
  }
  if (values.help) {
    console.log(HELP[command] ?? HELP.main);
    return HELP[command] ? 0 : 1;
  }
  switch (command) {
    case "serve":
      return serve();
    case "migrate":
      return migrate(Boolean(values.down), Boolean(values.status));
    case "audit":
      if (sub !== "verify") {
        console.error(HELP.audit);
        return 1;
      }
      return auditVerify();
    case "demo":
      return demo(values.size ?? "small", values.email, values.password);
    default:
      console.error(`Unknown command: ${command}\n\n${HELP.main}`);
      return 1;
  }
}

async function serve(): Promise<number> {
  const { startServer } = await import("./server.ts");
  const app = await startServer(await config());
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.removeAllListeners(signal);
      process.once(signal, () => {
        app.log.info({ signal }, "shutting down");
        void app.close().then(resolve);
      });
    }
  });
  return 0;
}

async function migrate(down: boolean, status: boolean): Promise<number> {
  const { migrateDown, migrateToLatest, migrationNames, migrationState } = await import(
    "./db/migrate.ts"
  );
  return withDatabase("attest migrate", async (database) => {
    if (status) {
      const { pending, unknown } = await migrationState(database.db);
      for (const name of migrationNames()) {
        console.log(`${pending.includes(name) ? "pending" : "applied"}  ${name}`);
      }
      for (const name of unknown) {
        console.log(`unknown  ${printable(name)} (applied by a newer Attest)`);
      }
      return 0;
    }
    const result = down ? await migrateDown(database.db) : await migrateToLatest(database.db);
    const done = result.results ?? [];
    if (done.length === 0) console.log(down ? "Nothing to roll back." : "Already up to date.");
    for (const r of done)
      console.log(`${r.direction === "Up" ? "applied" : "rolled back"}  ${r.migrationName}`);
    return 0;
  });
}

async function auditVerify(): Promise<number> {
  const { verifyAuditChains } = await import("./modules/audit-log/audit-log.service.ts");
  return withDatabase("attest audit verify", async (database) => {
    const results = await verifyAuditChains(database.db);
    let broken = 0;
    for (const r of results) {
      if (r.firstBreak) {
        broken++;
        const b = r.firstBreak;
        const seq = b.kind === "sequence_gap" ? b.foundSeq : b.seq;
        console.log(
          `BROKEN  ${printable(r.organizationName)} (${r.organizationId}): event seq ${seq} id ${b.eventId}: ${describe(b.kind)}; ${r.eventsChecked} events before it verified`,
        );
      } else {
        console.log(
          `ok      ${printable(r.organizationName)} (${r.organizationId}): ${r.eventsChecked} events verified`,
        );
      }
    }
    if (results.length === 0) console.log("No organizations yet; nothing to verify.");
    return broken > 0 ? 1 : 0;
  });
}

async function demo(
  size: string,
  email: string | undefined,
  password: string | undefined,
): Promise<number> {
  if (size !== "small" && size !== "large") {
    console.error("--size must be small or large");
    return 1;
  }
  const [{ migrateToLatest }, { DEMO_SIZES, seedDemoOrganization }, evaluation, { installAreas }] =
    await Promise.all([
      import("./db/migrate.ts"),
      import("./modules/demo.ts"),
      import("./modules/monitoring/evaluation.service.ts"),
      import("./modules/index.ts"),
    ]);
  installAreas();
  return withDatabase("attest demo", async (database) => {
    await migrateToLatest(database.db);
    const started = Date.now();
    const result = await seedDemoOrganization(database.db, {
      size,
      ownerEmail: email,
      password,
      progress: (message) => console.log(message),
    });
    console.log("evaluating the controls and writing the daily history…");
    await evaluation.reevaluate(database.db, result.organizationId);
    await evaluation.backfillSnapshots(
      database.db,
      result.organizationId,
      DEMO_SIZES[size].historyDays,
    );
    console.log(
      `\nDemo Co is ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(result.counts)}`,
    );
    console.log(
      `Sign in as ${printable(result.ownerEmail)} with the password "${printable(result.password)}".`,
    );
    const { browserUrl } = await import("./platform/startup.ts");
    const url = browserUrl(await config());
    const running = database.engine === "postgres" ? "" : " once you start it with 'attest serve'";
    console.log(`Open ${url}${running}.`);
    return 0;
  });
}

async function config(): Promise<Config> {
  const { loadConfig } = await import("./platform/config.ts");
  return loadConfig();
}

/** Runs a command on the configured database (locking the embedded one to this process). */
async function withDatabase(
  command: string,
  work: (database: DatabaseHandle) => Promise<number>,
): Promise<number> {
  const { openDatabase } = await import("./db/database.ts");
  const database = await openDatabase(await config(), { command });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

function describe(kind: string): string {
  switch (kind) {
    case "sequence_gap":
      return "an event is missing before this one";
    case "previous_hash_mismatch":
      return "it does not link to the event before it";
    default:
      return "its contents do not match its hash (the event was altered)";
  }
}

/** Errors whose message says it all: printed as one line, without a stack. */
const EXPLAINED = new Set([
  "ConfigError",
  "DataDirInUseError",
  "StartupError",
  "KeyringError",
  "ArchiveError",
  "RestoreRefusedError",
]);

// Until a command sets its own, a signal ends the process through process.exit, which runs the
// exit handlers (the embedded database's lock is released there).
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (
      error instanceof Error &&
      (EXPLAINED.has(error.name) || code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
    )
      console.error(error.message);
    else console.error(error);
    process.exitCode = 1;
  },
);
