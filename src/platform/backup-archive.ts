import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import {
  type ArchiveManifest,
  type ArchiveManifestEntry,
  DEFAULT_CHUNK_SIZE,
  encodeHeader,
  encodeRecord,
  FORMAT_VERSION,
  MAX_CHUNK_SIZE,
  RECORD,
  sealChunk,
} from "./backup-archive-format.ts";
import type { Keyring } from "./keyring.ts";

/**
 * One backup archive: named entries streamed through AES-256-GCM in fixed-size chunks under a
 * random data key wrapped by the master key (as evidence files are, envelope.ts), with a
 * manifest of every entry's size and SHA-256 at the end. Neither side holds an entry in memory:
 * at most a chunk or two. The byte layout is described in backup-archive-format.ts.
 */
export {
  ArchiveError,
  type ArchiveErrorCode,
  type ArchiveManifest,
  type ArchiveManifestEntry,
} from "./backup-archive-format.ts";
export {
  type ArchiveEntry,
  type ArchiveReader,
  type ArchiveVerification,
  readArchive,
  verifyArchive,
} from "./backup-archive-reader.ts";

export interface ArchiveSummary {
  manifest: ArchiveManifest;
  /** Bytes written. */
  bytes: number;
  /** SHA-256 of the whole file, footer included: what `sha256sum` prints for it. */
  sha256: string;
}

/** On a failure the output is destroyed and the writer refuses more: the caller removes the file. */
export interface ArchiveWriter {
  /** Streams one entry in; `size`, when given, must be what the source yields. One at a time. */
  addEntry(name: string, size: number | undefined, source: Readable): Promise<void>;
  /** Writes the manifest and the footer and ends the output. */
  finish(extras?: Record<string, unknown>): Promise<ArchiveSummary>;
}

export function createArchiveWriter(
  output: Writable,
  options: { keyring: Keyring; chunkSize?: number },
): ArchiveWriter {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new Error(`chunk size must be between 1 and ${MAX_CHUNK_SIZE} bytes`);
  }
  const dataKey = randomBytes(32);
  const header = encodeHeader(chunkSize, options.keyring.seal(dataKey.toString("base64")));
  const headerHash = header.subarray(header.length - 32);
  const fileHash = createHash("sha256");
  const entries: ArchiveManifestEntry[] = [];
  const plain = Buffer.alloc(chunkSize);
  let used = 0;
  let chunkIndex = 0;
  let bytes = 0;
  let headerWritten = false;
  let state: "open" | "busy" | "finished" | "failed" = "open";
  let outputError: Error | undefined;
  output.on("error", (error) => {
    outputError ??= error;
  });

  async function write(data: Buffer): Promise<void> {
    if (outputError) throw outputError;
    fileHash.update(data);
    bytes += data.length;
    if (!output.write(data)) await once(output, "drain");
  }

  async function emitChunk(last: boolean): Promise<void> {
    if (!headerWritten) {
      headerWritten = true;
      await write(header);
    }
    await write(sealChunk(dataKey, headerHash, chunkIndex, last, plain.subarray(0, used)));
    chunkIndex += 1;
    used = 0;
  }

  /** Only a full chunk followed by more bytes is sealed here: the last one waits for `finish`. */
  async function push(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      if (used === chunkSize) await emitChunk(false);
      const n = Math.min(chunkSize - used, data.length - offset);
      data.copy(plain, used, offset, offset + n);
      used += n;
      offset += n;
    }
  }

  function json(value: unknown): Buffer {
    return Buffer.from(JSON.stringify(value), "utf8");
  }

  async function guarded<T>(work: () => Promise<T>, next: "open" | "finished"): Promise<T> {
    if (state !== "open") throw new Error(`The archive writer is ${state}`);
    state = "busy";
    try {
      const result = await work();
      state = next;
      return result;
    } catch (error) {
      state = "failed";
      dataKey.fill(0);
      output.destroy();
      throw error;
    }
  }

  return {
    addEntry(name, size, source) {
      return guarded(async () => {
        if (!name) throw new Error("An archive entry needs a name");
        await push(encodeRecord(RECORD.entry, json({ name, size: size ?? null })));
        const hash = createHash("sha256");
        let counted = 0;
        for await (const piece of source) {
          const buffer: Buffer = typeof piece === "string" ? Buffer.from(piece) : piece;
          for (let at = 0; at < buffer.length; at += chunkSize) {
            const part = buffer.subarray(at, at + chunkSize);
            hash.update(part);
            counted += part.length;
            await push(encodeRecord(RECORD.data, part));
          }
        }
        if (size !== undefined && counted !== size) {
          throw new Error(`Entry ${name}: the source gave ${counted} bytes, not ${size}`);
        }
        const entry = { name, size: counted, sha256: hash.digest("hex") };
        await push(encodeRecord(RECORD.trailer, json({ size: entry.size, sha256: entry.sha256 })));
        entries.push(entry);
      }, "open");
    },

    finish(extras = {}) {
      return guarded(async () => {
        const manifest: ArchiveManifest = {
          formatVersion: FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          entries,
          extras,
        };
        await push(encodeRecord(RECORD.manifest, json(manifest)));
        await emitChunk(true);
        dataKey.fill(0);
        await write(fileHash.copy().digest()); // the footer: SHA-256 of everything before it
        output.end();
        await finished(output);
        return { manifest, bytes, sha256: fileHash.digest("hex") };
      }, "finished");
    },
  };
}
