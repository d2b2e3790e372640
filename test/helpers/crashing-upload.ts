/**
 * Run as a child process by the orphan sweep test: stores one file whole through the upload
 * path (as a request does just before it writes the file's row), starts a second, reports both
 * on stdout and waits, mid-upload, for the SIGKILL.
 *
 *   node bin/run-ts.js test/helpers/crashing-upload.ts <blob directory>
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { localBlobStore } from "../../src/platform/blob-store.ts";
import { storeEncrypted } from "../../src/platform/encrypted-files.ts";
import { Keyring } from "../../src/platform/keyring.ts";

const directory = process.argv[2];
if (!directory) throw new Error("usage: crashing-upload.ts <blob directory>");
const env = {
  store: localBlobStore(directory),
  keyring: Keyring.of(randomBytes(32)),
  maxBytes: 1 << 20,
};

const whole = await storeEncrypted(env, Readable.from([Buffer.from("a whole file, no row")]));
const before = new Set(fs.readdirSync(directory));
const source = new PassThrough();
void storeEncrypted(env, source);
source.write(randomBytes(64 * 1024));

// Until the half-written file is on disk with some bytes in it (bounded: 10 s).
let part: string | undefined;
for (let i = 0; i < 200 && !part; i++) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  part = fs
    .readdirSync(directory)
    .find(
      (name) =>
        name.endsWith(".part") && !before.has(name) && fs.statSync(`${directory}/${name}`).size > 0,
    );
}
if (!part) throw new Error("the upload never reached the disk");
process.stdout.write(`${JSON.stringify({ whole: whole.storageKey, part })}\n`);
setInterval(() => {}, 60_000);
