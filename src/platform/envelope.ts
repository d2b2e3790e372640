import {
  createCipheriv,
  createDecipheriv,
  createHash,
  type Decipher,
  randomBytes,
} from "node:crypto";
import { type Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Keyring } from "./keyring.ts";

/**
 * Envelope encryption for files, streamed: every file gets its own random 32-byte data key and
 * 12-byte IV (AES-256-GCM); the data key is stored wrapped by the current master key
 * (`keyring.seal`), so rotating the master key re-wraps data keys and leaves files alone. Nothing here
 * holds a whole file in memory.
 */
export interface Envelope {
  /** The data key, sealed by a master key of the keyring (`Keyring.seal`). */
  wrappedKey: string;
  /** base64 */
  iv: string;
  /** base64: GCM's authentication tag over the ciphertext. */
  authTag: string;
}

export interface SealedFile extends Envelope {
  sizeBytes: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
}

export interface Sealer {
  /** Plaintext in, ciphertext out. Fails with `tooLarge()` once more than maxBytes went in. */
  stream: Transform;
  /** The envelope and checksum, once the stream has ended. */
  result(): SealedFile;
}

export function createSealer(
  keyring: Keyring,
  options: { maxBytes: number; tooLarge: () => Error },
): Sealer {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
  const hash = createHash("sha256");
  let sizeBytes = 0;
  let sealed: SealedFile | undefined;

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (sizeBytes > options.maxBytes) return callback(options.tooLarge());
      hash.update(chunk);
      callback(null, cipher.update(chunk));
    },
    flush(callback) {
      const last = cipher.final();
      sealed = {
        wrappedKey: keyring.seal(dataKey.toString("base64")),
        iv: iv.toString("base64"),
        authTag: cipher.getAuthTag().toString("base64"),
        sizeBytes,
        sha256: hash.digest("hex"),
      };
      dataKey.fill(0);
      callback(null, last);
    },
  });

  return {
    stream,
    result() {
      if (!sealed) throw new Error("The file has not been sealed yet");
      return sealed;
    },
  };
}

/** A transform that decrypts a sealed file; it fails at the end if the tag does not match. */
export function createOpener(keyring: Keyring, envelope: Envelope): Decipher {
  const dataKey = Buffer.from(keyring.open(envelope.wrappedKey), "base64");
  const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(envelope.iv, "base64"));
  decipher.setAuthTag(Buffer.from(envelope.authTag, "base64"));
  dataKey.fill(0);
  return decipher;
}

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: "key" | "tag" | "size" | "sha256"; detail: string };

/**
 * Reads a whole sealed file once, decrypting into a hash only, and checks the GCM tag, the size
 * and the SHA-256 recorded at upload. GCM authenticates only at the end of the stream, so a
 * caller that must not hand out tampered bytes verifies first and streams second.
 */
export async function verifySealed(
  keyring: Keyring,
  sealed: SealedFile,
  ciphertext: Readable,
): Promise<VerifyResult> {
  let opener: Decipher;
  try {
    opener = createOpener(keyring, sealed);
  } catch {
    ciphertext.destroy();
    return { ok: false, reason: "key", detail: "the data key could not be unwrapped" };
  }
  const hash = createHash("sha256");
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback();
    },
  });
  try {
    await pipeline(ciphertext, opener, sink);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall) throw error; // reading failed, not the tag
    return { ok: false, reason: "tag", detail: "the authentication tag does not match" };
  }
  if (size !== sealed.sizeBytes) {
    return { ok: false, reason: "size", detail: `${size} bytes instead of ${sealed.sizeBytes}` };
  }
  const sha256 = hash.digest("hex");
  if (sha256 !== sealed.sha256) {
    return { ok: false, reason: "sha256", detail: "the SHA-256 does not match" };
  }
  return { ok: true };
}
