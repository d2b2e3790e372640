import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openPglite } from "../../../src/db/database.ts";
import { withSystem } from "../../../src/db/tenant.ts";
import { generateTotpSecret } from "../../../src/domain/totp.ts";
import { solveChallenge } from "../../../src/modules/reporting/reporting.crypto.ts";
import { loadConfig } from "../../../src/platform/config.ts";
import { encryptString, randomToken, sha256Hex } from "../../../src/platform/crypto.ts";
import type { Deps } from "../../../src/platform/deps.ts";
import { loadKeyring, masterKeyFile } from "../../../src/platform/keyring.ts";
import { buildServer } from "../../../src/server.ts";
import type { Person, TestApp } from "../../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { dayFromToday, uploadText } from "../../helpers/evidence.ts";

/**
 * An installation as `attest serve` runs it, for the key tests: a data directory with the key
 * file (one key, the format of the single-key era) and the embedded database on disk (or a
 * PostgreSQL database), served in-process with the keyring read from that file, so that the
 * CLI can run as a real process on the same data.
 */
export interface Installation {
  dir: string;
  database: TestDatabase;
  /** The key the installation started with. */
  firstKey: Buffer;
  /** For the CLI: the data directory and the database. */
  env: Record<string, string>;
}

export async function createInstallation(): Promise<Installation> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-keys-"));
  const database = await createTestDatabase({ onDisk: path.join(dir, "pg") });
  const firstKey = randomBytes(32);
  fs.writeFileSync(masterKeyFile(dir), `${firstKey.toString("base64")}\n`, { mode: 0o600 });
  const env = { ...database.env, ATTEST_DATA_DIR: dir, ATTEST_LOG_LEVEL: "silent" };
  return { dir, database, firstKey, env };
}

/** Serves the installation (reopening the embedded database when it was closed). */
export async function serve(installation: Installation): Promise<TestApp> {
  const { database, dir } = installation;
  const handle =
    database.engine === "pglite" ? await openPglite({ dataDir: path.join(dir, "pg") }) : database;
  const deps: Deps = {
    db: handle.db,
    engine: handle.engine,
    config: {
      ...loadConfig({}),
      dataDir: dir,
      logLevel: "silent",
      loginRateLimit: 10_000,
      reportPowBits: 1,
    },
    keyring: loadKeyring(undefined, dir),
    mailer: null,
  };
  const app = await buildServer(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    database: { ...database, db: handle.db },
    // The embedded database closes with the server, so that the CLI may open it.
    close: async () => {
      await app.close();
      if (database.engine === "pglite") await handle.db.destroy();
    },
  };
}

export async function removeInstallation(installation: Installation): Promise<void> {
  if (installation.database.engine === "postgres") await installation.database.close();
  fs.rmSync(installation.dir, { recursive: true, force: true });
}

/** One secret of each kind, written the way Attest writes them; what to check them by. */
export interface Secrets {
  evidenceId: string;
  evidenceBytes: string;
  mfaSecret: string;
  followUpKey: string;
  unsubscribeToken: string;
  subscriberId: string;
}

let ip = 0;

export function publicPost(t: TestApp, url: string, json: unknown) {
  ip++;
  return t.app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/json" },
    remoteAddress: `192.0.2.${ip}`,
    payload: JSON.stringify(json),
  });
}

/**
 * An evidence file, a confidential report (through the public API), and, as an Attest of the
 * single-key era wrote them (`v1`), the owner's MFA secret and a notice subscriber's
 * unsubscribe token.
 */
export async function writeSecrets(t: TestApp, owner: Person, key: Buffer): Promise<Secrets> {
  const evidenceBytes = `volume settings ${randomToken(8)}\n`.repeat(50);
  const file = await uploadText(
    owner.client,
    { controlKey: "encryption-at-rest", title: "Volume settings", evidenceDate: dayFromToday(-1) },
    "volumes.txt",
    evidenceBytes,
  );
  if (file.status !== 201) throw new Error(`upload refused: ${JSON.stringify(file.body)}`);

  const challenge = await t.app.inject({ url: "/trust/reports/challenge" });
  const { challenge: powChallenge, bits } = challenge.json();
  const report = await publicPost(t, "/trust/reports", {
    category: "security",
    subject: "Shared admin password",
    details: "The admin password of the build server is on a sticky note.",
    powChallenge,
    powCounter: solveChallenge(powChallenge, bits),
  });
  if (report.statusCode !== 201) throw new Error(`report refused: ${report.body}`);

  const mfaSecret = generateTotpSecret();
  const unsubscribeToken = randomToken();
  const subscriberId = await withSystem(t.deps.db, async (tx) => {
    await tx
      .updateTable("users")
      .set({ mfa_secret_enc: encryptString(key, mfaSecret), mfa_enabled_at: new Date() })
      .where("id", "=", owner.id)
      .execute();
    const row = await tx
      .insertInto("notice_subscribers")
      .values({
        organization_id: owner.organizationId,
        email: `subscriber-${randomBytes(4).toString("hex")}@example.test`,
        status: "confirmed",
        confirm_token_hash: null,
        confirm_expires_at: null,
        unsubscribe_token_hash: sha256Hex(unsubscribeToken),
        unsubscribe_token_enc: encryptString(key, unsubscribeToken),
        confirmed_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
  return {
    evidenceId: file.body.id,
    evidenceBytes,
    mfaSecret,
    followUpKey: report.json().followUpKey,
    unsubscribeToken,
    subscriberId,
  };
}
