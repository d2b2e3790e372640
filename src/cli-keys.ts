import fs from "node:fs";
import { parseArgs } from "node:util";
import type { Kysely } from "kysely";
import { type DatabaseHandle, openDatabase } from "./db/database.ts";
import { isMigrated } from "./db/migrate.ts";
import type { Database } from "./db/types.ts";
import { recordAttestKeyRotation } from "./modules/encryption/encryption.attest.ts";
import { installAreas } from "./modules/index.ts";
import { type Config, loadConfig } from "./platform/config.ts";
import {
  Keyring,
  KeyringError,
  keyVariableValue,
  loadKeyring,
  type MasterKey,
  masterKeyFile,
  masterKeyOf,
  newMasterKey,
  parseKeys,
  STAT_INTERVAL_MS,
  writeKeyFile,
} from "./platform/keyring.ts";
import { keyUsage, type ResealResult, resealAll } from "./platform/keyring-rotation.ts";

/**
 * `attest keys rotate | reseal | retire | status`: Attest's master keys (docs/keys.md).
 * Rotation writes the new key first (the key file, atomically; or the value of
 * ATTEST_MASTER_KEY to set), re-seals every declared secret and wrapped data key under it
 * online, and records the rotation in every organization's key registry. Exit codes: 0 done,
 * 1 refused or some value could not be read (each is printed), 2 a usage error.
 */
export async function keys(argv: string[], help: string): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, "retire-old": { type: "boolean" } },
  });
  const [command] = positionals;
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (!command || !["rotate", "reseal", "retire", "status"].includes(command)) {
    console.error(help);
    return 2;
  }
  const config = loadConfig();
  if (command === "rotate" && config.masterKey && !process.env.ATTEST_NEW_MASTER_KEY) {
    const suggestion = newMasterKey().key.toString("base64");
    console.error(
      `The master keys come from ATTEST_MASTER_KEY: give the new key in ATTEST_NEW_MASTER_KEY, e.g.\n  ATTEST_NEW_MASTER_KEY=${suggestion} attest keys rotate`,
    );
    return 2;
  }
  const database = await openDatabase(config, { command: `attest keys ${command}` });
  try {
    if (!(await isMigrated(database.db))) {
      console.error("The database is not migrated to this version: run 'attest migrate' first.");
      return 1;
    }
    installAreas();
    switch (command) {
      case "rotate": {
        const code = await rotate(database, config);
        return code === 0 && values["retire-old"] ? await retire(database.db, config) : code;
      }
      case "reseal":
        return finish(await reseal(database.db, loadKeyring(config.masterKey, config.dataDir)));
      case "retire":
        return await retire(database.db, config);
      default:
        return await status(database.db, loadKeyring(config.masterKey, config.dataDir));
    }
  } finally {
    await database.close();
  }
}

const progress = (message: string) => process.stderr.write(`${message}\n`);

async function rotate(database: DatabaseHandle, config: Config): Promise<number> {
  let keyring: Keyring;
  let location: string;
  if (config.masterKey) {
    const parsed = parseKeys(
      [process.env.ATTEST_NEW_MASTER_KEY ?? ""],
      () => "ATTEST_NEW_MASTER_KEY",
    );
    const added = parsed.keys[0] as MasterKey;
    const old = loadKeyring(config.masterKey, config.dataDir);
    const others = old.keys.filter((k) => k.id !== added.id);
    keyring = new Keyring({ keys: [added, ...others], mac: old.macEntry });
    location = "environment variable ATTEST_MASTER_KEY";
  } else {
    const file = masterKeyFile(config.dataDir);
    if (!fs.existsSync(file)) {
      throw new KeyringError(`${file}: no key file, so nothing to rotate (has Attest run here?)`);
    }
    const old = loadKeyring(undefined, config.dataDir);
    writeKeyFile(file, [newMasterKey(), ...old.keys], old.macEntry);
    keyring = loadKeyring(undefined, config.dataDir);
    location = `key file ${file}`;
    progress(`New master key ${keyring.current.id} written first to ${file}; the old keys kept.`);
  }
  const result = await reseal(database.db, keyring);
  await recordAttestKeyRotation(database.db, {
    rotatedAt: new Date(),
    keyId: keyring.current.id,
    location,
  });
  console.log(`Rotated the master key: ${keyring.current.id} now seals every secret.`);
  if (config.masterKey) {
    console.log(
      `Set on every server and restart it (the new key first, the old ones kept):\n  ATTEST_MASTER_KEY=${keyVariableValue(keyring.keys, keyring.macEntry)}`,
    );
  }
  return finish(result);
}

async function reseal(db: Kysely<Database>, keyring: Keyring): Promise<ResealResult> {
  progress(`Re-sealing every secret and data key under ${keyring.current.id}…`);
  const result = await resealAll(db, keyring, progress);
  console.log(`${result.resealed} value(s) re-sealed in ${result.passes} pass(es).`);
  return result;
}

function finish(result: ResealResult): number {
  for (const u of result.unreadable) {
    console.log(`UNREADABLE  ${u.table}.${u.column} row ${u.id}: ${u.reason}`);
  }
  return result.unreadable.length > 0 ? 1 : 0;
}

/**
 * Removes every key but the current one, once no value uses them. The key of keyed hashes
 * stays as the `mac:` entry: follow-up keys and sign-in throttles were hashed with it.
 */
async function retire(db: Kysely<Database>, config: Config): Promise<number> {
  const keyring = loadKeyring(config.masterKey, config.dataDir);
  const current = keyring.current;
  if (keyring.keys.length === 1) {
    console.log(`Only ${current.id} is in the keyring: nothing to retire.`);
    return 0;
  }
  if (keyring.source.kind === "file") {
    // A server re-reads the key file within STAT_INTERVAL_MS: until then it may still seal
    // with the old key, so wait that out before looking.
    const age = Date.now() - fs.statSync(keyring.source.path).mtimeMs;
    const wait = 2 * STAT_INTERVAL_MS - age;
    if (wait > 0) {
      progress(`Waiting ${Math.ceil(wait / 1000)} s for running servers to take up the new key…`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      await resealAll(db, keyring, progress);
    }
  }
  const inUse = (await keyUsage(db)).filter(
    (u) => u.keyId !== current.id && u.keyId !== "unsealed",
  );
  if (inUse.length > 0) {
    for (const u of inUse) {
      const key = u.keyId === "v1" ? "an older key (v1 format)" : `key ${u.keyId}`;
      console.log(`IN USE  ${u.table}.${u.column}: ${u.count} value(s) under ${key}`);
    }
    console.log("Refused: run 'attest keys reseal', then retire again.");
    return 1;
  }
  const retired = keyring.keys.slice(1).map((k) => k.id);
  const mac = keyring.macEntry ?? keyring.macKey;
  const kept: MasterKey[] = [current];
  if (keyring.source.kind === "file") {
    writeKeyFile(keyring.source.path, kept, mac.equals(current.key) ? null : mac);
    console.log(`Retired ${retired.join(", ")} from ${keyring.source.path}.`);
  } else {
    console.log(
      `Nothing uses ${retired.join(", ")} any more. Set on every server and restart it:\n  ATTEST_MASTER_KEY=${keyVariableValue(kept, mac.equals(current.key) ? null : mac)}`,
    );
  }
  console.log("Backups taken before the rotation still need the retired keys: keep a copy.");
  return 0;
}

async function status(db: Kysely<Database>, keyring: Keyring): Promise<number> {
  const where = keyring.source.kind === "file" ? keyring.source.path : "ATTEST_MASTER_KEY";
  console.log(`Master keys (${where}), newest first:`);
  keyring.keys.forEach((k, i) => {
    console.log(`  ${k.id}  ${i === 0 ? "current: seals new values" : "older: opens only"}`);
  });
  if (keyring.macEntry)
    console.log(`  ${masterKeyOf(keyring.macEntry).id}  mac: keyed hashes only`);
  for (const u of await keyUsage(db)) {
    console.log(`${u.table}.${u.column}: ${u.count} under ${u.keyId}`);
  }
  return 0;
}
