import { createHash } from "node:crypto";
import { pipeline, type Readable, type Transform, Writable } from "node:stream";
import { pipeline as pipelineAsync } from "node:stream/promises";
import type { BlobStore } from "./blob-store.ts";
import { createOpener, createSealer, type SealedFile, verifySealed } from "./envelope.ts";
import { AppError, errors } from "./errors.ts";
import type { Keyring } from "./keyring.ts";

/**
 * Uploaded files kept encrypted at rest (evidence, trust center documents): streamed through
 * the envelope sealer into a blob store, verified whole before they are served.
 */
export interface EncryptedFileEnv {
  store: BlobStore;
  keyring: Keyring;
  maxBytes: number;
}

/** The 413 of a file larger than the installation takes. */
export function tooLarge(maxBytes: number): AppError {
  const message = `must be at most ${maxBytes} bytes`;
  return new AppError("payload_too_large", `file: ${message}`, [{ field: "file", message }]);
}

export interface StoredBlob {
  storageKey: string;
  sealed: SealedFile;
}

/**
 * Streams an upload through encryption into the store (`through`, if given, sees the plaintext
 * on its way). Errors of the request become the `file` field's 400 or 413; an empty file is
 * refused and removed.
 */
export async function storeEncrypted(
  env: EncryptedFileEnv,
  source: Readable,
  through?: Transform,
): Promise<StoredBlob> {
  const sealer = createSealer(env.keyring, {
    maxBytes: env.maxBytes,
    tooLarge: () => tooLarge(env.maxBytes),
  });
  let storageKey: string;
  try {
    const sealed = through
      ? pipeline(source, through, sealer.stream, () => {})
      : pipeline(source, sealer.stream, () => {});
    storageKey = await env.store.put(sealed);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as NodeJS.ErrnoException).syscall) throw error; // the disk, not the request
    if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
      throw tooLarge(env.maxBytes);
    throw errors.validation("file", "the upload ended early or is malformed");
  }
  const sealed = sealer.result();
  if (sealed.sizeBytes === 0) {
    await env.store.delete(storageKey);
    throw errors.validation("file", "is empty");
  }
  return { storageKey, sealed };
}

/** An uploaded file once stored: its blob, envelope and the name and type it is served under. */
export interface StoredFile extends StoredBlob {
  fileName: string;
  contentType: string;
}

/** The columns a row keeps of its stored file (all null for a row without one). */
export function storedFileColumns(file: StoredFile | undefined) {
  return {
    storage_key: file?.storageKey ?? null,
    file_name: file?.fileName ?? null,
    content_type: file?.contentType ?? null,
    size_bytes: file?.sealed.sizeBytes ?? null,
    sha256: file?.sealed.sha256 ?? null,
    wrapped_key: file?.sealed.wrappedKey ?? null,
    iv: file?.sealed.iv ?? null,
    auth_tag: file?.sealed.authTag ?? null,
  };
}

/** The envelope columns of a stored file's row; null when the row has no file. */
export function sealedOfRow(row: {
  storage_key: string | null;
  wrapped_key: string | null;
  iv: string | null;
  auth_tag: string | null;
  size_bytes: number | null;
  sha256: string | null;
}): SealedFile | null {
  if (!row.storage_key || !row.wrapped_key || !row.iv || !row.auth_tag) return null;
  return {
    wrappedKey: row.wrapped_key,
    iv: row.iv,
    authTag: row.auth_tag,
    sizeBytes: Number(row.size_bytes ?? 0),
    sha256: row.sha256 ?? "",
  };
}

export type StoredVerdict =
  | { ok: true }
  | { ok: false; reason: "key" | "tag" | "size" | "sha256" | "missing"; detail: string };

/** Reads a stored file whole and checks its tag, size and SHA-256; a missing blob fails too. */
async function verifyStored(
  env: EncryptedFileEnv,
  storageKey: string,
  sealed: SealedFile,
): Promise<StoredVerdict> {
  try {
    return await verifySealed(env.keyring, sealed, await env.store.get(storageKey));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { ok: false, reason: "missing", detail: "the stored file is missing" };
  }
}

/**
 * A stored file's plaintext as a stream, once the whole file has been verified (GCM
 * authenticates only at the end, so nobody receives tampered bytes). A file that fails goes to
 * `failed`, which records it and throws; `verified` runs before the file is opened. A failure
 * mid-stream (the file changed since it was verified) destroys the stream.
 */
export async function openVerified(
  env: EncryptedFileEnv,
  storageKey: string,
  sealed: SealedFile,
  on: {
    failed(verdict: Extract<StoredVerdict, { ok: false }>): Promise<never>;
    verified?(): Promise<void>;
  },
): Promise<Readable> {
  const verdict = await verifyStored(env, storageKey, sealed);
  if (!verdict.ok) return on.failed(verdict);
  await on.verified?.();
  const ciphertext = await env.store.get(storageKey);
  return pipeline(ciphertext, createOpener(env.keyring, sealed), () => {});
}

/** A stored file's whole plaintext, checked against its tag, size and SHA-256. */
export async function readStored(
  env: EncryptedFileEnv,
  storageKey: string,
  sealed: SealedFile,
): Promise<{ ok: true; plaintext: Buffer } | { ok: false; detail: string }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  let detail: string | null = null;
  try {
    await pipelineAsync(await env.store.get(storageKey), createOpener(env.keyring, sealed), sink);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") detail = "the stored file is missing";
    else if ((error as NodeJS.ErrnoException).syscall) throw error;
    else detail = "the authentication tag does not match";
  }
  const plaintext = Buffer.concat(chunks);
  if (!detail && plaintext.length !== sealed.sizeBytes) detail = "the size does not match";
  if (!detail && createHash("sha256").update(plaintext).digest("hex") !== sealed.sha256) {
    detail = "the SHA-256 does not match";
  }
  return detail ? { ok: false, detail } : { ok: true, plaintext };
}
