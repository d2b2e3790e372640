import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { decryptString, encryptWith, openWith, sha256Hex } from "./crypto.ts";

/**
 * Attest's master keys, newest first: the newest seals every new secret and wraps every new
 * data key; every key opens. A sealed value names its key (`v2.<key id>.<iv>.<tag>.<body>`);
 * values of the single-key era (`v1.<iv>.<tag>.<body>`) are opened by trying the keys.
 *
 * Keys come from ATTEST_MASTER_KEY (base64 keys separated by commas, newest first) or from the
 * key file in the data directory (one key a line, newest first). One more entry may be marked
 * `mac:`: the key lookup hashes and challenges are keyed with (see `macKey`). A running server
 * picks up a rotation by re-reading the key file: when it meets a key id it does not know, and
 * when the file changed (checked at most every STAT_INTERVAL_MS, and on each scheduled run).
 * See docs/keys.md.
 */

export interface MasterKey {
  /** The first 16 hex digits of the key's SHA-256: named in sealed values, never secret. */
  id: string;
  key: Buffer;
}

export type KeySource =
  | { kind: "environment"; variable: string }
  | { kind: "file"; path: string }
  | { kind: "memory" };

interface KeyEntries {
  keys: MasterKey[];
  /** The `mac:` entry, if any. */
  mac: Buffer | null;
}

/** A key source that cannot be read as keys: the message names the place and the line. */
export class KeyringError extends Error {
  override name = "KeyringError";
}

export const STAT_INTERVAL_MS = 30_000;
const KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

export function keyIdOf(key: Buffer): string {
  return sha256Hex(key).slice(0, 16);
}

export function masterKeyOf(key: Buffer): MasterKey {
  return { id: keyIdOf(key), key };
}

/** A new random 32-byte master key. */
export function newMasterKey(): MasterKey {
  return masterKeyOf(randomBytes(32));
}

/** The key file generated in the data directory when ATTEST_MASTER_KEY is not set. */
export function masterKeyFile(dataDir: string): string {
  return path.join(dataDir, "master.key");
}

/**
 * Reads keys written one per entry, newest first (`where` names the source in errors). Blank
 * entries and `#` comments are skipped; anything else that is not a 32-byte base64 key is
 * refused, naming its place, rather than guessed at.
 */
export function parseKeys(entries: string[], where: (index: number) => string): KeyEntries {
  const keys: MasterKey[] = [];
  let mac: Buffer | null = null;
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === "" || entry.startsWith("#")) return;
    const isMac = entry.startsWith("mac:");
    const text = isMac ? entry.slice(4) : entry;
    if (!KEY_PATTERN.test(text)) {
      throw new KeyringError(
        `${where(index)}: not a master key (expected 32 bytes in base64, 44 characters${isMac ? ", after mac:" : ""}); the key source was left unused`,
      );
    }
    const key = Buffer.from(text, "base64");
    if (isMac) {
      if (mac) throw new KeyringError(`${where(index)}: a second mac: entry`);
      mac = key;
    } else if (keys.some((k) => k.key.equals(key))) {
      throw new KeyringError(`${where(index)}: the same key twice`);
    } else keys.push(masterKeyOf(key));
  });
  if (keys.length === 0) throw new KeyringError(`${where(-1)}: no master key`);
  return { keys, mac };
}

function readEntries(source: KeySource, value?: string): KeyEntries {
  if (source.kind === "environment") {
    const text = value ?? process.env[source.variable] ?? "";
    return parseKeys(text.split(","), (i) =>
      i < 0 ? source.variable : `${source.variable}, entry ${i + 1}`,
    );
  }
  if (source.kind === "file") {
    const text = fs.readFileSync(source.path, "utf8");
    return parseKeys(text.split("\n"), (i) =>
      i < 0 ? source.path : `${source.path}, line ${i + 1}`,
    );
  }
  throw new KeyringError("an in-memory keyring has no source to read");
}

export class Keyring {
  #entries: KeyEntries;
  #checkedAt = 0;
  #mtimeMs = 0;
  #unknownAt = 0;

  constructor(
    entries: KeyEntries,
    readonly source: KeySource = { kind: "memory" },
  ) {
    this.#entries = entries;
    this.#checkedAt = Date.now();
    if (source.kind === "file") this.#mtimeMs = fs.statSync(source.path).mtimeMs;
  }

  /** A keyring of the given keys, newest first (tests, and the CLI's new key). */
  static of(...keys: Buffer[]): Keyring {
    return new Keyring({ keys: keys.map(masterKeyOf), mac: null });
  }

  /** Every key, newest first. */
  get keys(): readonly MasterKey[] {
    return this.#entries.keys;
  }

  /** The key that seals new values. */
  get current(): MasterKey {
    this.#refreshIfChanged();
    return this.#entries.keys[0] as MasterKey;
  }

  /**
   * The key of keyed hashes and signed challenges (a report's follow-up key hash, sign-in
   * throttles, proof-of-work challenges). Such a hash cannot be recomputed without what was
   * hashed, so this key does not rotate: it is the `mac:` entry, else the oldest key.
   */
  get macKey(): Buffer {
    const { keys, mac } = this.#entries;
    return mac ?? (keys[keys.length - 1] as MasterKey).key;
  }

  /** The `mac:` entry, when the key source has one. */
  get macEntry(): Buffer | null {
    return this.#entries.mac;
  }

  find(id: string): MasterKey | undefined {
    return this.#entries.keys.find((k) => k.id === id);
  }

  /** Encrypts with the current key: `v2.<key id>.<iv>.<tag>.<body>`. */
  seal(plaintext: string): string {
    const { id, key } = this.current;
    return `v2.${id}.${encryptWith(key, plaintext)}`;
  }

  /** Decrypts a sealed value of either format; throws if no key of the ring opens it. */
  open(sealed: string): string {
    return openWith(this.keyOf(sealed).key, sealed);
  }

  /**
   * The key a sealed value is sealed with: named by a `v2` value (the source is re-read once
   * when the id is unknown: another process may have rotated), found by trying for `v1`.
   */
  keyOf(sealed: string): MasterKey {
    const kid = sealedKeyId(sealed);
    if (kid === "v1") {
      for (const k of this.keys) {
        try {
          decryptString(k.key, sealed);
          return k;
        } catch {}
      }
      throw new Error("No master key of the keyring opens this value");
    }
    if (kid === null) throw new Error("Unrecognised encrypted value");
    const found = this.find(kid) ?? (this.#refreshForUnknown() ? this.find(kid) : undefined);
    if (!found) throw new Error(`The master key ${kid} is not in the keyring`);
    return found;
  }

  /** The value sealed with the current key, or null when it already is. */
  reseal(sealed: string): string | null {
    if (sealedKeyId(sealed) === this.current.id) return null;
    return this.seal(this.open(sealed));
  }

  /** Re-reads the key source (file or environment); answers whether the keys changed. */
  refresh(): boolean {
    if (this.source.kind === "memory") return false;
    const before = this.#entries.keys.map((k) => k.id).join(",");
    try {
      if (this.source.kind === "file") this.#mtimeMs = fs.statSync(this.source.path).mtimeMs;
      this.#entries = readEntries(this.source);
    } catch {
      // A missing or garbled file mid-edit: keep the keys we have; the next look retries.
      return false;
    } finally {
      this.#checkedAt = Date.now();
    }
    return this.#entries.keys.map((k) => k.id).join(",") !== before;
  }

  /** A re-read for an unknown key id, at most once a second (a bad value read in a loop). */
  #refreshForUnknown(): boolean {
    if (Date.now() - this.#unknownAt < 1000) return false;
    this.#unknownAt = Date.now();
    return this.refresh();
  }

  #refreshIfChanged(): void {
    if (this.source.kind !== "file" || Date.now() - this.#checkedAt < STAT_INTERVAL_MS) return;
    this.#checkedAt = Date.now();
    try {
      if (fs.statSync(this.source.path).mtimeMs !== this.#mtimeMs) this.refresh();
    } catch {}
  }
}

/** "v1" for a value of the single-key format, its key id for a `v2` value, else null. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split(".");
  if (parts[0] === "v1" && parts.length === 4) return "v1";
  if (parts[0] === "v2" && parts.length === 5 && /^[0-9a-f]{16}$/.test(parts[1] ?? "")) {
    return parts[1] as string;
  }
  return null;
}

/** The key file's text: one key a line, newest first, then the `mac:` entry if any. */
export function keyFileText(keys: readonly MasterKey[], mac: Buffer | null): string {
  const lines = keys.map((k) => k.key.toString("base64"));
  if (mac) lines.push(`mac:${mac.toString("base64")}`);
  return `${lines.join("\n")}\n`;
}

/** The ATTEST_MASTER_KEY value for these keys: newest first, comma-separated. */
export function keyVariableValue(keys: readonly MasterKey[], mac: Buffer | null): string {
  return keyFileText(keys, mac).trim().split("\n").join(",");
}

/** Replaces the key file whole (a temporary file renamed over it, 0600), never half written. */
export function writeKeyFile(file: string, keys: readonly MasterKey[], mac: Buffer | null) {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, keyFileText(keys, mac), { mode: 0o600, flag: "wx" });
  const handle = fs.openSync(temporary, "r");
  try {
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(temporary, file);
}

/**
 * The keyring of this installation: ATTEST_MASTER_KEY when set (`configured`), else the key
 * file in the data directory, generated once (one new key, 0600) when there is none.
 */
export function loadKeyring(configured: string | undefined, dataDir: string): Keyring {
  if (configured) {
    const source: KeySource = { kind: "environment", variable: "ATTEST_MASTER_KEY" };
    return new Keyring(readEntries(source, configured), source);
  }
  const file = masterKeyFile(dataDir);
  const source: KeySource = { kind: "file", path: file };
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // "wx" fails if another process created the file meanwhile; then read theirs.
    try {
      fs.writeFileSync(file, keyFileText([newMasterKey()], null), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return new Keyring(readEntries(source), source);
}
