import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { loadKeyring } from "./keyring.ts";

/** A URL-safe random secret with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

/** AES-256-GCM with a fresh IV: `<iv>.<tag>.<ciphertext>` in base64url. */
export function encryptWith(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [iv, tag, body].map((p) => p.toString("base64url")).join(".");
}

/**
 * The single-key format, `v1.<iv>.<tag>.<ciphertext>`: values written before the keyring
 * (src/platform/keyring.ts) stay in it until `attest keys rotate` reseals them.
 */
export function encryptString(key: Buffer, plaintext: string): string {
  return `v1.${encryptWith(key, plaintext)}`;
}

export function decryptString(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) {
    throw new Error("Unrecognised encrypted value");
  }
  return decryptParts(key, iv, tag, body);
}

/** Decrypts a `v1` value or a `v2.<key id>.…` value with the given key. */
export function openWith(key: Buffer, sealed: string): string {
  const parts = sealed.split(".");
  if (parts[0] === "v1") return decryptString(key, sealed);
  const [version, , iv, tag, body] = parts;
  if (version !== "v2" || !iv || !tag || body === undefined || parts.length !== 5) {
    throw new Error("Unrecognised encrypted value");
  }
  return decryptParts(key, iv, tag, body);
}

function decryptParts(key: Buffer, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/**
 * The current master key as one Buffer, for code written before the keyring (backup archives
 * seal their data key with it). New code takes `deps.keyring` (src/platform/keyring.ts).
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  return loadKeyring(configured, dataDir).current.key;
}
