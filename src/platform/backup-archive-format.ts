import { createCipheriv, createDecipheriv, createHash, type Hash } from "node:crypto";

/**
 * The byte layout of a backup archive, shared by its writer (backup-archive.ts) and its reader
 * (backup-archive-reader.ts).
 *
 *   header   "ATTESTBK" · version u8 · chunk size u32 · wrapped key length u16 · wrapped key
 *            (the data key sealed by the master key, `encryptString`) · SHA-256 of the above
 *   chunks   flags u8 (1 = last) · length u32 · ciphertext · GCM tag (16); AES-256-GCM under the
 *            data key, nonce = 4 zero bytes · index u64, additional data = header SHA-256 ·
 *            index u64 · flags, so a chunk moved, dropped, cut short or taken from another
 *            archive fails authentication. Every chunk but the last holds exactly chunk size
 *            bytes of plaintext.
 *   footer   SHA-256 of every byte before it
 *
 * The plaintext the chunks carry is a sequence of records, type u8 · length u32 · payload:
 * per entry an "E" ({name, size}), its bytes in "D" records, a "T" ({size, sha256}); then one
 * "M", the manifest, and nothing after it.
 */
export const MAGIC = Buffer.from("ATTESTBK", "latin1");
export const FORMAT_VERSION = 1;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const TAG_BYTES = 16;
export const FRAME_HEADER_BYTES = 5;
export const FOOTER_BYTES = 32;
/** Entry data is written in records of one chunk at most; the manifest may be much larger. */
export const MAX_DATA_RECORD_BYTES = MAX_CHUNK_SIZE;
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export const RECORD = { entry: 0x45, data: 0x44, trailer: 0x54, manifest: 0x4d } as const;

export interface ArchiveManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface ArchiveManifest {
  formatVersion: number;
  createdAt: string;
  entries: ArchiveManifestEntry[];
  /** Whatever the caller passed to the writer's `finish` (engine, versions, counts…). */
  extras: Record<string, unknown>;
}

export type ArchiveErrorCode =
  | "not_an_archive"
  | "unknown_version"
  | "wrong_key"
  | "corrupted"
  | "truncated"
  | "checksum_mismatch"
  | "trailing_garbage";

/** Every way an archive can be refused; `chunk` names the chunk that failed, if one did. */
export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    readonly chunk?: number,
  ) {
    super(message);
    this.name = "ArchiveError";
  }
}

export function encodeHeader(chunkSize: number, wrappedKey: string): Buffer {
  const key = Buffer.from(wrappedKey, "utf8");
  const fixed = Buffer.alloc(MAGIC.length + 1 + 4 + 2);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt8(FORMAT_VERSION, MAGIC.length);
  fixed.writeUInt32BE(chunkSize, MAGIC.length + 1);
  fixed.writeUInt16BE(key.length, MAGIC.length + 5);
  const body = Buffer.concat([fixed, key]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

export function encodeRecord(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function additionalData(headerHash: Buffer, index: number, flags: number): Buffer {
  const aad = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), headerHash.length);
  aad.writeUInt8(flags, headerHash.length + 8);
  return aad;
}

/** One chunk as it is written: frame header, ciphertext, tag. */
export function sealChunk(
  dataKey: Buffer,
  headerHash: Buffer,
  index: number,
  last: boolean,
  plaintext: Buffer,
): Buffer {
  const flags = last ? 1 : 0;
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce(index));
  cipher.setAAD(additionalData(headerHash, index, flags));
  const frame = Buffer.alloc(FRAME_HEADER_BYTES);
  frame.writeUInt8(flags, 0);
  frame.writeUInt32BE(plaintext.length, 1);
  return Buffer.concat([frame, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext of a chunk, or undefined when it fails authentication. */
export function openChunk(
  dataKey: Buffer,
  headerHash: Buffer,
  index: number,
  flags: number,
  sealed: Buffer,
): Buffer | undefined {
  const decipher = createDecipheriv("aes-256-gcm", dataKey, nonce(index));
  decipher.setAAD(additionalData(headerHash, index, flags));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/**
 * Exact reads over an async source of buffers, hashing every byte it hands out (the footer's
 * whole-file checksum) and counting them (error messages give the offset).
 */
export class ByteReader {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  readonly hash: Hash = createHash("sha256");
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer | string>) {}

  /** True when at least n more bytes are there. */
  async has(n: number): Promise<boolean> {
    while (this.pendingBytes < n && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    return this.pendingBytes >= n;
  }

  /** n bytes, or fewer if the source ends first (the caller decides what that means). */
  async read(n: number, { hashed = true } = {}): Promise<Buffer> {
    await this.has(n);
    const take = Math.min(n, this.pendingBytes);
    const first = this.pending[0];
    let out: Buffer;
    if (first && first.length >= take) {
      out = first.subarray(0, take);
      if (first.length === take) this.pending.shift();
      else this.pending[0] = first.subarray(take);
    } else {
      out = Buffer.allocUnsafe(take);
      let filled = 0;
      while (filled < take) {
        const head = this.pending[0] as Buffer;
        const n2 = Math.min(head.length, take - filled);
        head.copy(out, filled, 0, n2);
        filled += n2;
        if (n2 === head.length) this.pending.shift();
        else this.pending[0] = head.subarray(n2);
      }
    }
    this.pendingBytes -= take;
    this.offset += take;
    if (hashed) this.hash.update(out);
    return out;
  }
}
