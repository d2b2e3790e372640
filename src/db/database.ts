import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { type LockOwner, lockDataDir } from "../platform/data-dir-lock.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./types.ts";

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/** Both engines hand back the same JavaScript types: bigint as number, date as 'YYYY-MM-DD'. */
const parsers = {
  [INT8_OID]: (value: string) => Number(value),
  [DATE_OID]: (value: string) => value,
};

export async function openPglite(options: {
  dataDir?: string;
  loadDataDir?: Blob;
}): Promise<DatabaseHandle> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers,
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const close = async () => {
    await db.destroy();
    // Kysely closes the driver only once a query has initialized it: an instance opened and
    // closed without a query would stay open and keep the process alive.
    if (!pglite.closed) await pglite.close();
  };
  return { db, engine: "pglite", close };
}

export function openPostgres(connectionString: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        const parser = parsers[oid as keyof typeof parsers];
        return parser ?? pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a terminated backend) is an 'error' event on
  // the pool; without a listener Node would end the process. The pool drops that connection and
  // opens another when next needed, so the error is only reported.
  pool.on("error", (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: "postgres", close: () => db.destroy() };
}

/**
 * Opens the configured database. The embedded one is locked to this process first (see
 * data-dir-lock.ts) and unlocked when closed; a PostgreSQL server takes many processes.
 */
export async function openDatabase(
  config: { databaseUrl: string | undefined; databasePoolSize: number; dataDir: string },
  owner: LockOwner = { command: "attest" },
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databasePoolSize);
  const lock = lockDataDir(config.dataDir, owner);
  let handle: DatabaseHandle;
  try {
    handle = await openPglite({ dataDir: `${config.dataDir}/pg` });
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    ...handle,
    close: async () => {
      try {
        await handle.close();
      } finally {
        lock.release();
      }
    },
  };
}
