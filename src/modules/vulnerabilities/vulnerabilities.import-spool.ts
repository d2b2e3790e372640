import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { AppError, errors } from "../../platform/errors.ts";
import { writeNewFile } from "../../platform/new-file.ts";

/**
 * A scanner file as the import reads it: the request body streamed to a temporary file (never
 * held in memory), hashed and counted on the way. The file is read afterwards, as often as
 * needed (format detection, findings, the evidence copy), with no request pending.
 */
export interface Spooled {
  path: string;
  sha256: string;
  bytes: number;
}

/** The 413 of a scanner file over the installation's limit (ATTEST_SCAN_IMPORT_MAX_BYTES). */
export function scanFileTooLarge(maxBytes: number): AppError {
  const message = `must be at most ${maxBytes} bytes (ATTEST_SCAN_IMPORT_MAX_BYTES)`;
  return new AppError("payload_too_large", `file: ${message}`, [{ field: "file", message }]);
}

class TooLarge extends Error {}

/**
 * Streams `body` into a new private temporary directory, then hands the file to `use`; the
 * directory is removed afterwards, whatever happens. More than `maxBytes` is a 413; an empty
 * body a 400 naming `file`.
 */
export async function withSpooledFile<T>(
  body: Readable | undefined,
  maxBytes: number,
  use: (file: Spooled) => Promise<T>,
): Promise<T> {
  if (!body || typeof (body as Readable).pipe !== "function") {
    throw errors.validation("file", "is required: send the scanner file as the request body");
  }
  const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), "attest-scan-"));
  try {
    const file = path.join(directory, "scan");
    const hash = createHash("sha256");
    let bytes = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          callback(new TooLarge());
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await writeNewFile(file, body, [counting]);
    } catch (error) {
      if (error instanceof TooLarge) throw scanFileTooLarge(maxBytes);
      throw errors.validation("file", "the upload was interrupted before the file was complete");
    }
    if (bytes === 0) throw errors.validation("file", "is empty");
    return await use({ path: file, sha256: hash.digest("hex"), bytes });
  } finally {
    await fs.promises.rm(directory, { recursive: true, force: true });
  }
}
