import type { Kysely } from "kysely";
import type { Engine } from "../db/database.ts";
import type { Database } from "../db/types.ts";
import type { Config } from "./config.ts";
import type { Keyring } from "./keyring.ts";
import type { Mailer } from "./mail.ts";

/** What the server hands to every module: built once at start, no hidden globals. */
export interface Deps {
  db: Kysely<Database>;
  engine: Engine;
  config: Config;
  /** Attest's master keys (src/platform/keyring.ts): seal secrets, wrap data keys. */
  keyring: Keyring;
  /** Null when no SMTP server is configured. */
  mailer: Mailer | null;
}
