import fs from "node:fs";
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Streams `source` (through `transforms`, if any) into a new file, private to this user (0600).
 * The file is created before anything flows, and on any failure it is closed and removed
 * before the promise settles: a pipeline rejects on its source's error while the file is still
 * open, or still being opened, so a caller that removed it then could see it created after.
 * `replace` allows a file of that name to be there already (it is truncated); otherwise an
 * existing file is an error and is left alone.
 */
export async function writeNewFile(
  file: string,
  source: Readable,
  transforms: Transform[] = [],
  options: { replace?: boolean } = {},
): Promise<void> {
  let output: fs.WriteStream;
  try {
    const handle = await fs.promises.open(file, options.replace ? "w" : "wx", 0o600);
    output = handle.createWriteStream();
  } catch (error) {
    source.destroy();
    throw error;
  }
  try {
    await pipeline([source, ...transforms, output]);
  } catch (error) {
    source.destroy();
    await closed(output);
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}

/** Resolves once the stream has closed its file, destroying it first if it is still open. */
function closed(output: fs.WriteStream): Promise<void> {
  if (output.closed) return Promise.resolve();
  return new Promise((resolve) => {
    output.once("close", () => resolve());
    output.destroy();
  });
}
