import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where evidence files are kept, already encrypted: the store sees only ciphertext. Keys are
 * random ids the store makes itself, never anything a user sent.
 */
export interface BlobStore {
  /** Writes the stream to a new blob and answers its key; on failure nothing is left behind. */
  put(data: Readable): Promise<string>;
  /** Reads a blob; fails with code ENOENT when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes a blob; a missing blob is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * Blobs as files in one directory (created 0700 on first write), each written to a temporary
 * name and renamed once complete, so a crash never leaves a half-written blob under a key.
 */
export function localBlobStore(directory: string): BlobStore {
  let ready: Promise<void> | undefined;
  const ensureDirectory = () => {
    ready ??= fs.promises.mkdir(directory, { recursive: true, mode: 0o700 }).then(() => {});
    return ready;
  };
  const fileOf = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error("Not a blob key");
    return path.join(directory, key);
  };

  return {
    async put(data) {
      await ensureDirectory();
      const key = randomBytes(24).toString("base64url");
      const final = fileOf(key);
      const partial = `${final}.part`;
      try {
        await pipeline(data, fs.createWriteStream(partial, { flags: "wx", mode: 0o600 }));
        await fs.promises.rename(partial, final);
        return key;
      } catch (error) {
        data.destroy();
        await fs.promises.rm(partial, { force: true });
        throw error;
      }
    },

    async get(key) {
      const handle = await fs.promises.open(fileOf(key), "r");
      return handle.createReadStream();
    },

    async delete(key) {
      await fs.promises.rm(fileOf(key), { force: true });
    },
  };
}
