import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import {
  ArchiveError,
  type ArchiveManifest,
  type ArchiveManifestEntry,
  ByteReader,
  FOOTER_BYTES,
  FORMAT_VERSION,
  FRAME_HEADER_BYTES,
  MAGIC,
  MAX_CHUNK_SIZE,
  MAX_DATA_RECORD_BYTES,
  MAX_RECORD_BYTES,
  openChunk,
  RECORD,
  TAG_BYTES,
} from "./backup-archive-format.ts";
import type { Keyring } from "./keyring.ts";

/**
 * Reading a backup archive (backup-archive.ts writes them): every chunk is authenticated before
 * a byte of it is handed out, every entry checked against its size and SHA-256 as it ends, the
 * manifest against the entries, the footer against the whole file.
 */
export interface ArchiveEntry {
  name: string;
  /** The size the writer declared, or null when it counted the bytes as they came. */
  size: number | null;
  /** The entry's bytes, each chunk authenticated before it is handed out. */
  stream: Readable;
  /**
   * Size and SHA-256 once the stream has ended and matched the entry's checksum; rejects with
   * the ArchiveError that stopped it.
   */
  done: Promise<ArchiveManifestEntry>;
}

export interface ArchiveReader extends AsyncIterable<ArchiveEntry> {
  /**
   * The manifest, after reading (and verifying) whatever entries the iteration did not: the
   * whole archive has been checked once it answers.
   */
  manifest(): Promise<ArchiveManifest>;
}

export function readArchive(input: Readable, options: { keyring: Keyring }): ArchiveReader {
  const bytes = new ByteReader(input[Symbol.asyncIterator]());
  const plaintext = chunksOf(bytes, options.keyring);
  // Decrypted bytes not parsed yet: `body` from `bodyAt` on.
  let body: Buffer = Buffer.alloc(0);
  let bodyAt = 0;
  let bodyEnded = false;
  const seen: ArchiveManifestEntry[] = [];
  let current: { drain(): Promise<void> } | undefined;
  let manifest: ArchiveManifest | undefined;
  let failure: unknown;

  /** The first failure ends the archive: every later read answers it again. */
  async function nextPlaintext(): Promise<IteratorResult<Buffer>> {
    if (failure) throw failure;
    try {
      return await plaintext.next();
    } catch (error) {
      failure = error;
      throw error;
    }
  }

  async function readBody(n: number): Promise<Buffer> {
    if (body.length - bodyAt >= n) {
      bodyAt += n;
      return body.subarray(bodyAt - n, bodyAt);
    }
    // Gathered once, not concatenated chunk by chunk: a manifest can span many chunks.
    const parts = [body.subarray(bodyAt)];
    let have = parts[0]?.length ?? 0;
    while (have < n && !bodyEnded) {
      const next = await nextPlaintext();
      if (next.done) bodyEnded = true;
      else {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    if (have < n) throw malformed("its contents end in the middle of a record");
    body = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, have);
    bodyAt = n;
    return body.subarray(0, n);
  }

  async function readRecord(): Promise<{ type: number; payload: Buffer }> {
    const head = await readBody(5);
    const type = head.readUInt8(0);
    const length = head.readUInt32BE(1);
    const limit = type === RECORD.data ? MAX_DATA_RECORD_BYTES : MAX_RECORD_BYTES;
    if (length > limit) throw malformed("a record is larger than any writer makes");
    return { type, payload: await readBody(length) };
  }

  function parse<T>(payload: Buffer): T {
    try {
      return JSON.parse(payload.toString("utf8")) as T;
    } catch {
      throw malformed("a record is not valid JSON");
    }
  }

  /** Data records up to the entry's trailer, checked against it. */
  function openEntry(name: string, declared: number | null): ArchiveEntry {
    const hash = createHash("sha256");
    let counted = 0;
    let finishedEntry: ArchiveManifestEntry | undefined;
    let resolve!: (entry: ArchiveManifestEntry) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<ArchiveManifestEntry>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    done.catch(() => {}); // an unobserved failure is also the iteration's

    async function nextPiece(): Promise<Buffer | null> {
      if (finishedEntry) return null;
      const record = await readRecord();
      if (record.type === RECORD.data) {
        hash.update(record.payload);
        counted += record.payload.length;
        return record.payload;
      }
      if (record.type !== RECORD.trailer) throw malformed(`entry ${name} has no end`);
      const trailer = parse<{ size: number; sha256: string }>(record.payload);
      const sha256 = hash.digest("hex");
      if (counted !== trailer.size || (declared !== null && declared !== counted)) {
        throw new ArchiveError(
          "checksum_mismatch",
          `Entry ${name} holds ${counted} bytes, not the ${declared ?? trailer.size} recorded`,
        );
      }
      if (sha256 !== trailer.sha256) {
        throw new ArchiveError("checksum_mismatch", `Entry ${name} does not match its SHA-256`);
      }
      finishedEntry = { name, size: counted, sha256 };
      seen.push(finishedEntry);
      resolve(finishedEntry);
      return null;
    }

    async function step(): Promise<Buffer | null> {
      if (failure) throw failure;
      try {
        return await nextPiece();
      } catch (error) {
        failure ??= error;
        throw error;
      }
    }

    // One read of the archive at a time: the stream's pulls and a drain share this queue.
    let queue: Promise<unknown> = Promise.resolve();
    function serial<T>(work: () => Promise<T>): Promise<T> {
      const run = queue.then(work);
      queue = run.catch(() => {});
      return run;
    }

    const stream = new Readable({
      read() {
        serial(step).then(
          (piece) => this.push(piece),
          (error) => {
            reject(error);
            this.destroy(error as Error);
          },
        );
      },
    });
    current = {
      async drain() {
        try {
          while ((await serial(step)) !== null) {}
        } catch (error) {
          reject(error);
          throw error;
        }
        if (!stream.readableEnded && !stream.destroyed) stream.destroy();
      },
    };
    return { name, size: declared, stream, done };
  }

  async function* iterate(): AsyncGenerator<ArchiveEntry> {
    if (failure) throw failure;
    try {
      for (;;) {
        await current?.drain();
        current = undefined;
        if (manifest) return;
        const record = await readRecord();
        if (record.type === RECORD.entry) {
          const head = parse<{ name: string; size: number | null }>(record.payload);
          yield openEntry(String(head.name), head.size ?? null);
        } else if (record.type === RECORD.manifest) {
          manifest = checkManifest(parse<ArchiveManifest>(record.payload), seen);
          if (body.length > bodyAt || !(await nextPlaintext()).done) {
            throw malformed("it holds data after its manifest");
          }
          return;
        } else {
          throw malformed(`unexpected record type ${record.type}`);
        }
      }
    } catch (error) {
      failure ??= error;
      throw error;
    } finally {
      // Refused, or left early: nothing more will be read.
      if (!manifest) input.destroy();
    }
  }

  let iteration: AsyncGenerator<ArchiveEntry> | undefined;
  return {
    [Symbol.asyncIterator]() {
      iteration ??= iterate();
      return iteration;
    },
    async manifest() {
      iteration ??= iterate();
      for (;;) {
        const next = await iteration.next();
        if (next.done) break;
      }
      if (!manifest) throw failure ?? malformed("it was not read to its end");
      return manifest;
    },
  };
}

export type ArchiveVerification =
  | { ok: true; manifest: ArchiveManifest }
  | { ok: false; error: ArchiveError };

/** Reads an archive file through, writing nothing: its manifest, or why it is refused. */
export async function verifyArchive(
  file: string,
  options: { keyring: Keyring },
): Promise<ArchiveVerification> {
  const input = fs.createReadStream(file);
  try {
    return { ok: true, manifest: await readArchive(input, options).manifest() };
  } catch (error) {
    if (error instanceof ArchiveError) return { ok: false, error };
    throw error; // the disk, not the archive
  } finally {
    input.destroy();
  }
}

function malformed(detail: string): ArchiveError {
  return new ArchiveError("corrupted", `The archive is corrupted: ${detail}`);
}

function checkManifest(manifest: ArchiveManifest, seen: ArchiveManifestEntry[]): ArchiveManifest {
  const listed = Array.isArray(manifest.entries) ? manifest.entries : [];
  const same =
    listed.length === seen.length &&
    listed.every(
      (entry, i) =>
        entry.name === seen[i]?.name &&
        entry.size === seen[i]?.size &&
        entry.sha256 === seen[i]?.sha256,
    );
  if (!same) {
    throw new ArchiveError("checksum_mismatch", "The manifest does not match the entries read");
  }
  return manifest;
}

/** The header, then every chunk's authenticated plaintext, then the footer and the end. */
async function* chunksOf(bytes: ByteReader, keyring: Keyring): AsyncGenerator<Buffer> {
  const magic = await bytes.read(MAGIC.length);
  if (!magic.equals(MAGIC)) {
    throw new ArchiveError("not_an_archive", "This file is not an Attest backup archive");
  }
  const fixed = await bytes.read(7);
  if (fixed.length >= 1 && fixed.readUInt8(0) !== FORMAT_VERSION) {
    throw new ArchiveError(
      "unknown_version",
      `The archive is of format version ${fixed.readUInt8(0)}; this Attest reads version ${FORMAT_VERSION}`,
    );
  }
  if (fixed.length < 7) throw truncated("in its header");
  const keyLength = fixed.readUInt16BE(5);
  const wrappedKey = await bytes.read(keyLength);
  if (wrappedKey.length < keyLength) throw truncated("in its header");
  const headerHash = bytes.hash.copy().digest();
  const recorded = await bytes.read(32);
  if (recorded.length < 32) throw truncated("in its header");
  if (!recorded.equals(headerHash)) {
    throw new ArchiveError("corrupted", "The archive is corrupted: its header was altered");
  }
  const chunkSize = fixed.readUInt32BE(1);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw malformed("its chunk size is invalid");

  let dataKey: Buffer;
  try {
    dataKey = Buffer.from(keyring.open(wrappedKey.toString("utf8")), "base64");
  } catch {
    throw new ArchiveError(
      "wrong_key",
      "The archive's data key opens with none of the master keys (another installation's key, or one retired since?)",
    );
  }
  if (dataKey.length !== 32) throw malformed("its data key is not 32 bytes");

  try {
    for (let index = 0; ; index++) {
      const at = bytes.offset;
      if (!(await bytes.has(1))) {
        throw truncated(`after chunk ${index - 1}, before its last chunk`, index);
      }
      const frame = await bytes.read(FRAME_HEADER_BYTES);
      if (frame.length < FRAME_HEADER_BYTES) throw truncated(`in chunk ${index}`, index);
      const flags = frame.readUInt8(0);
      const length = frame.readUInt32BE(1);
      const last = flags === 1;
      if ((flags !== 0 && !last) || length > chunkSize || (!last && length !== chunkSize)) {
        throw corruptedChunk(index, at);
      }
      const sealed = await bytes.read(length + TAG_BYTES);
      if (sealed.length < length + TAG_BYTES) throw truncated(`in chunk ${index}`, index);
      const opened = openChunk(dataKey, headerHash, index, flags, sealed);
      if (!opened) throw corruptedChunk(index, at);
      if (opened.length > 0) yield opened;
      if (last) break;
    }
  } finally {
    dataKey.fill(0);
  }

  const expected = bytes.hash.copy().digest();
  const footer = await bytes.read(FOOTER_BYTES, { hashed: false });
  if (footer.length < FOOTER_BYTES) throw truncated("in its footer");
  if (!footer.equals(expected)) {
    throw new ArchiveError("corrupted", "The archive is corrupted: its whole-file SHA-256 differs");
  }
  if (await bytes.has(1)) {
    throw new ArchiveError(
      "trailing_garbage",
      `The archive has unexpected bytes after its end (from byte ${bytes.offset})`,
    );
  }
}

function truncated(where: string, chunk?: number): ArchiveError {
  return new ArchiveError("truncated", `The archive is truncated: it ends ${where}`, chunk);
}

function corruptedChunk(index: number, offset: number): ArchiveError {
  return new ArchiveError(
    "corrupted",
    `The archive is corrupted: chunk ${index} (at byte ${offset}) fails authentication ` +
      "(altered, reordered or missing chunks)",
    index,
  );
}
