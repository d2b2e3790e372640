import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline, Readable, Transform } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localBlobStore } from "./blob-store.ts";
import { writeNewFile } from "./new-file.ts";

let directory: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "attest-new-file-"));
});
afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** The paths under the test directory this process holds open (Linux: /proc/self/fd). */
function openFiles(): string[] {
  return fs
    .readdirSync("/proc/self/fd")
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    })
    .filter((target) => target.startsWith(directory));
}

/**
 * A stream that fails after `chunks` chunks of 1 KiB, as an upload over its size limit fails;
 * with 0 it has already failed when it is handed over.
 */
function failingStream(chunks: number): Readable {
  let sent = 0;
  const source = new Readable({
    read() {
      this.push(Buffer.alloc(1024, "a"));
    },
  });
  const limit = new Transform({
    transform(chunk, _encoding, callback) {
      sent += 1;
      if (sent > chunks) return callback(new Error("over the limit"));
      callback(null, chunk);
    },
  });
  return pipeline(source, limit, () => {});
}

describe("writeNewFile", () => {
  it("should write the stream through its transforms to a private file", async () => {
    const file = path.join(directory, "out");
    const upper = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        callback(null, chunk.toString().toUpperCase());
      },
    });
    await writeNewFile(file, Readable.from([Buffer.from("sealed "), Buffer.from("bytes")]), [
      upper,
    ]);
    expect(fs.readFileSync(file, "utf8")).toBe("SEALED BYTES");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(openFiles()).toEqual([]);
  });

  it("should have created the file before the source is first read", async () => {
    // A pipeline to fs.createWriteStream reads its source while the file is still being
    // opened (here, 12 times in 20); a failure then could remove the file before it exists.
    for (let i = 0; i < 20; i++) {
      const file = path.join(directory, `${i}.part`);
      let existed: boolean | undefined;
      const source = new Readable({
        read() {
          existed ??= fs.existsSync(file);
          this.push(null);
        },
      });
      await writeNewFile(file, source);
      expect({ i, existed }).toEqual({ i, existed: true });
    }
  });

  it("should leave no file and no open descriptor once a failed write settles", async () => {
    for (let i = 0; i < 20; i++) {
      const source = failingStream(i % 2 === 0 ? 0 : 40);
      // Let a stream that fails at once have failed before it is handed over.
      await new Promise((resolve) => setImmediate(resolve));
      await expect(writeNewFile(path.join(directory, `${i}.part`), source)).rejects.toThrow(
        "over the limit",
      );
      expect(openFiles()).toEqual([]);
      expect(fs.readdirSync(directory)).toEqual([]);
    }
  });

  it("should refuse a name already taken and leave that file alone, unless told to replace it", async () => {
    const file = path.join(directory, "taken");
    fs.writeFileSync(file, "kept");
    const source = Readable.from([Buffer.from("new")]);
    await expect(writeNewFile(file, source)).rejects.toMatchObject({ code: "EEXIST" });
    expect(source.destroyed).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe("kept");

    await writeNewFile(file, Readable.from([Buffer.from("new")]), [], { replace: true });
    expect(fs.readFileSync(file, "utf8")).toBe("new");
  });
});

describe("local blob store", () => {
  it("should keep a blob under a random key, read it back and delete it", async () => {
    const store = localBlobStore(path.join(directory, "blobs"));
    const key = await store.put(Readable.from([Buffer.from("sealed bytes")]));
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await text(await store.get(key))).toBe("sealed bytes");
    expect(fs.statSync(path.join(directory, "blobs")).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(directory, "blobs", key)).mode & 0o777).toBe(0o600);
    await store.delete(key);
    await expect(store.get(key)).rejects.toMatchObject({ code: "ENOENT" });
    await store.delete(key);
    await expect(store.get("../escape")).rejects.toThrow("Not a blob key");
  });

  it("should leave nothing behind when a write fails, once put has settled", async () => {
    const store = localBlobStore(directory);
    for (let i = 0; i < 10; i++) {
      const upload = failingStream(i % 2 === 0 ? 0 : 40);
      await new Promise((resolve) => setImmediate(resolve));
      await expect(store.put(upload)).rejects.toThrow("over the limit");
      expect(fs.readdirSync(directory)).toEqual([]);
    }
  });
});
