import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import type { Deps } from "./deps.ts";
import { writeNewFile } from "./new-file.ts";

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
const PART_PATTERN = /^[A-Za-z0-9_-]{32}\.part$/;

/** The `.part` files this process is writing now (absolute paths): never swept. */
const writing = new Set<string>();

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
      writing.add(partial);
      try {
        // On failure writeNewFile has removed the file; a failed rename leaves it to remove.
        await writeNewFile(partial, data);
        await fs.promises.rename(partial, final).catch(async (error: unknown) => {
          await fs.promises.rm(partial, { force: true });
          throw error;
        });
        return key;
      } finally {
        writing.delete(partial);
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

/** Left alone by the sweep until this old: an upload's blob is written before its row. */
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;

/**
 * Removes what a crash can leave in a blob directory: `.part` files no upload of this process
 * is writing, and complete blobs whose key `referenced` does not answer (the process died
 * between the file and its row). Only files unchanged for `minAgeMs` go, so an upload still
 * running on another node, or whose row is being written, keeps its file. Answers the names
 * removed; other files, and a directory not made yet, are left as they are.
 */
export async function sweepOrphanBlobs(
  directory: string,
  referenced: (keys: string[]) => Promise<Set<string>>,
  now = new Date(),
  minAgeMs = ORPHAN_MIN_AGE_MS,
): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const cutoff = now.getTime() - minAgeMs;
  const old: string[] = [];
  for (const name of names) {
    if (!KEY_PATTERN.test(name) && !PART_PATTERN.test(name)) continue;
    if (writing.has(path.join(directory, name))) continue;
    const stat = await fs.promises.stat(path.join(directory, name)).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) old.push(name);
  }
  const keys = old.filter((name) => KEY_PATTERN.test(name));
  const kept = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    for (const key of await referenced(keys.slice(i, i + 1000))) kept.add(key);
  }
  const removed = old.filter((name) => !kept.has(name));
  for (const name of removed) await fs.promises.rm(path.join(directory, name), { force: true });
  return removed;
}

/**
 * The sweep of one blob directory of the data directory, as a scheduled task: `referenced`
 * answers which of the keys a row still holds. Logs the names it removed.
 */
export function orphanSweep(
  subdirectory: string,
  referenced: (deps: Deps, keys: string[]) => Promise<Set<string>>,
) {
  return async (deps: Deps, now: Date, log: FastifyBaseLogger): Promise<string[]> => {
    const directory = path.join(deps.config.dataDir, subdirectory);
    const removed = await sweepOrphanBlobs(directory, (keys) => referenced(deps, keys), now);
    if (removed.length > 0) {
      log.info(
        { directory, count: removed.length, files: removed },
        `removed ${removed.length} orphan file${removed.length === 1 ? "" : "s"} from ${subdirectory}`,
      );
    }
    return removed;
  };
}
