import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ArchiveErrorCode,
  type ArchiveSummary,
  createArchiveWriter,
  readArchive,
  verifyArchive,
} from "./backup-archive.ts";
import { encodeHeader, encodeRecord, RECORD, sealChunk } from "./backup-archive-format.ts";
import { encryptString } from "./crypto.ts";
import { Keyring } from "./keyring.ts";

const masterKey = randomBytes(32);
const keyring = Keyring.of(masterKey);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-backup-archive-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function tempFile(): string {
  files += 1;
  return path.join(dir, `a${files}.attest-backup`);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function writeArchive(
  entries: { name: string; data: Buffer; declare?: boolean }[],
  options: { chunkSize?: number; extras?: Record<string, unknown> } = {},
): Promise<{ file: string; summary: ArchiveSummary }> {
  const file = tempFile();
  const writer = createArchiveWriter(fs.createWriteStream(file), {
    keyring,
    chunkSize: options.chunkSize,
  });
  for (const entry of entries) {
    // Sources in pieces of varied sizes, so entries straddle chunk boundaries.
    const pieces: Buffer[] = [];
    for (let at = 0; at < entry.data.length; at += 777)
      pieces.push(entry.data.subarray(at, at + 777));
    const size = entry.declare === false ? undefined : entry.data.length;
    await writer.addEntry(entry.name, size, Readable.from(pieces));
  }
  return { file, summary: await writer.finish(options.extras) };
}

async function readAll(file: string) {
  const reader = readArchive(fs.createReadStream(file), { keyring });
  const read: { name: string; size: number | null; data: Buffer; sha256: string }[] = [];
  for await (const entry of reader) {
    const parts: Buffer[] = [];
    for await (const part of entry.stream) parts.push(part as Buffer);
    const done = await entry.done;
    read.push({
      name: entry.name,
      size: entry.size,
      data: Buffer.concat(parts),
      sha256: done.sha256,
    });
  }
  return { read, manifest: await reader.manifest() };
}

async function refusal(file: string, key = keyring) {
  const result = await verifyArchive(file, { keyring: key });
  if (result.ok) throw new Error("the archive was accepted");
  return result.error;
}

/** Byte offsets of an archive's parts (see backup-archive-format.ts). */
function layout(bytes: Buffer) {
  const keyLength = bytes.readUInt16BE(13);
  const headerEnd = 15 + keyLength + 32;
  const chunks: { start: number; end: number }[] = [];
  let at = headerEnd;
  for (;;) {
    const end = at + 5 + bytes.readUInt32BE(at + 1) + 16;
    chunks.push({ start: at, end });
    const last = bytes.readUInt8(at) === 1;
    at = end;
    if (last) break;
  }
  return { headerEnd, chunks, footer: at };
}

function tampered(file: string, change: (bytes: Buffer) => Buffer): string {
  const out = tempFile();
  fs.writeFileSync(out, change(Buffer.from(fs.readFileSync(file))));
  return out;
}

function flip(at: number) {
  return (bytes: Buffer) => {
    bytes[at] = (bytes[at] as number) ^ 0x01;
    return bytes;
  };
}

describe("backup archive: round trips", () => {
  it("should write and read back an archive without entries", async () => {
    const { file, summary } = await writeArchive([], { extras: { engine: "pglite" } });
    const { read, manifest } = await readAll(file);
    expect(read).toEqual([]);
    expect(manifest.entries).toEqual([]);
    expect(manifest.extras).toEqual({ engine: "pglite" });
    expect(summary.bytes).toBe(fs.statSync(file).size);
    expect(summary.sha256).toBe(sha256(fs.readFileSync(file)));
  });

  it("should give back small entries byte for byte, declared or counted, empty ones included", async () => {
    const entries = [
      { name: "db/dump.tar", data: randomBytes(5000) },
      { name: "empty", data: Buffer.alloc(0) },
      { name: "evidence/é résumé.pdf", data: Buffer.from("hello"), declare: false },
    ];
    const { file, summary } = await writeArchive(entries);
    const { read, manifest } = await readAll(file);
    expect(read.map((e) => [e.name, e.size, e.data.toString("hex"), e.sha256])).toEqual(
      entries.map((e) => [
        e.name,
        e.declare === false ? null : e.data.length,
        e.data.toString("hex"),
        sha256(e.data),
      ]),
    );
    expect(manifest.entries).toEqual(
      entries.map((e) => ({ name: e.name, size: e.data.length, sha256: sha256(e.data) })),
    );
    expect(summary.manifest).toEqual(manifest);
  });

  it("should hold many entries across many small chunks and encrypt them", async () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      name: `evidence/${i}.bin`,
      data: Buffer.alloc((i * 37) % 3000, i % 251),
    }));
    const { file } = await writeArchive(entries, { chunkSize: 1000 });
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from("evidence/1"))).toBe(false);
    expect(layout(bytes).chunks.length).toBeGreaterThan(400);
    const { read } = await readAll(file);
    expect(read.map((e) => e.sha256)).toEqual(entries.map((e) => sha256(e.data)));
  });

  it("should verify entries a reader skips without reading their streams", async () => {
    const entries = [
      { name: "a", data: randomBytes(200_000) },
      { name: "b", data: randomBytes(10) },
    ];
    const { file } = await writeArchive(entries);
    const reader = readArchive(fs.createReadStream(file), { keyring });
    const names: string[] = [];
    for await (const entry of reader) names.push(entry.name);
    expect(names).toEqual(["a", "b"]);
    expect((await reader.manifest()).entries.map((e) => e.sha256)).toEqual(
      entries.map((e) => sha256(e.data)),
    );
    const verified = await verifyArchive(file, { keyring });
    expect(verified.ok).toBe(true);
  });

  it("should refuse an entry whose source yields another size than declared", async () => {
    const writer = createArchiveWriter(fs.createWriteStream(tempFile()), { keyring });
    await expect(writer.addEntry("x", 10, Readable.from([Buffer.alloc(12)]))).rejects.toThrow(
      /gave 12 bytes, not 10/,
    );
    await expect(writer.finish()).rejects.toThrow(/failed/);
  });

  it("should stream a 64 MB entry through without holding it in memory", async () => {
    const size = 64 * 1024 * 1024;
    const block = randomBytes(64 * 1024);
    function generated(total: number) {
      let sent = 0;
      const hash = createHash("sha256");
      const stream = new Readable({
        read() {
          if (sent >= total) return this.push(null);
          // A different block each time: the counter in its first bytes.
          const piece = Buffer.from(block);
          piece.writeUInt32BE(sent / block.length, 0);
          sent += piece.length;
          hash.update(piece);
          this.push(piece);
        },
      });
      return { stream, digest: () => hash.digest("hex") };
    }
    async function roundTrip(total: number) {
      const file = tempFile();
      const source = generated(total);
      const writer = createArchiveWriter(fs.createWriteStream(file), { keyring });
      await writer.addEntry("db/data-dir.tar", total, source.stream);
      await writer.finish();
      const wrote = Date.now();
      const reader = readArchive(fs.createReadStream(file), { keyring });
      const readHash = createHash("sha256");
      for await (const entry of reader) {
        for await (const part of entry.stream) readHash.update(part as Buffer);
      }
      const manifest = await reader.manifest();
      expect(readHash.digest("hex")).toBe(source.digest());
      expect(manifest.entries[0]?.size).toBe(total);
      expect(fs.statSync(file).size).toBeGreaterThan(total);
      fs.rmSync(file);
      return wrote;
    }
    // The allocator and the garbage collector settle on their working size over the first tens
    // of megabytes whatever the entry's size (measured: +35 MB after 64 MB, +3 MB more after
    // 256 MB); a warm-up round trip takes most of that out of the figure, and an entry held in
    // memory would show as more than its own 64 MB.
    await roundTrip(32 * 1024 * 1024);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);

    const started = Date.now();
    const wroteAt = await roundTrip(size);
    clearInterval(sample);
    const growth = peak - baseline;
    console.info(
      `64 MB entry: wrote in ${wroteAt - started} ms, read in ${Date.now() - wroteAt} ms, ` +
        `peak RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB`,
    );
    expect(growth).toBeLessThan(size / 2);
  });
});

describe("backup archive: refusals", () => {
  const entries = [
    { name: "db/dump", data: randomBytes(20_000) },
    { name: "evidence/a.pdf", data: randomBytes(9_000) },
  ];
  const written = writeArchive(entries, { chunkSize: 4096 });
  async function original() {
    const { file } = await written;
    return { file, bytes: fs.readFileSync(file), parts: layout(fs.readFileSync(file)) };
  }

  async function expectRefused(file: string, code: ArchiveErrorCode, message?: RegExp) {
    const error = await refusal(file);
    expect(error.code, error.message).toBe(code);
    if (message) expect(error.message).toMatch(message);
    return error;
  }

  it("should refuse a file that is not an archive, or of an unknown version", async () => {
    const { file } = await original();
    await expectRefused(tampered(file, flip(0)), "not_an_archive", /not an Attest backup/);
    await expectRefused(tampered(file, flip(8)), "unknown_version", /version 0/);
    const notOne = tempFile();
    fs.writeFileSync(notOne, "hello, world\n");
    await expectRefused(notOne, "not_an_archive");
    const empty = tempFile();
    fs.writeFileSync(empty, "");
    await expectRefused(empty, "not_an_archive");
  });

  it("should refuse a flipped byte anywhere else in the header", async () => {
    const { file, parts } = await original();
    for (const at of [10, 20, parts.headerEnd - 40, parts.headerEnd - 1]) {
      await expectRefused(tampered(file, flip(at)), "corrupted", /header/);
    }
  });

  it("should name the chunk a flipped byte is in, in the middle and in the manifest", async () => {
    const { file, parts } = await original();
    const middle = parts.chunks[3] as { start: number; end: number };
    const error = await expectRefused(tampered(file, flip(middle.start + 100)), "corrupted");
    expect(error.chunk).toBe(3);
    expect(error.message).toMatch(/chunk 3 \(at byte \d+\)/);
    // the manifest is in the last chunk
    const last = parts.chunks.length - 1;
    const inManifest = parts.chunks[last] as { start: number; end: number };
    expect(
      (await expectRefused(tampered(file, flip(inManifest.end - 30)), "corrupted")).chunk,
    ).toBe(last);
    // a chunk's frame: its last flag and its length
    await expectRefused(tampered(file, flip(middle.start)), "corrupted");
    await expectRefused(tampered(file, flip(middle.start + 4)), "corrupted");
    await expectRefused(tampered(file, flip(parts.footer + 5)), "corrupted", /whole-file/);
  });

  it("should stop an entry's stream at a corrupted chunk, before handing its bytes out", async () => {
    const { file, parts } = await original();
    const bad = tampered(file, flip((parts.chunks[3] as { start: number }).start + 100));
    const reader = readArchive(fs.createReadStream(bad), { keyring });
    let received = 0;
    const reading = (async () => {
      for await (const entry of reader) {
        for await (const part of entry.stream) received += (part as Buffer).length;
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: "corrupted", chunk: 3 });
    expect(received).toBeLessThanOrEqual(3 * 4096);
  });

  it("should refuse a truncated file, cut anywhere, on a chunk boundary too", async () => {
    const { file, bytes, parts } = await original();
    const cuts = [
      10,
      parts.headerEnd - 3,
      parts.headerEnd,
      (parts.chunks[2] as { start: number }).start + 50,
      (parts.chunks[2] as { end: number }).end, // exactly on a chunk boundary
      (parts.chunks.at(-2) as { end: number }).end,
      parts.footer,
      parts.footer + 16,
      bytes.length - 1,
    ];
    for (const cut of cuts) {
      const error = await expectRefused(
        tampered(file, (b) => b.subarray(0, cut)),
        "truncated",
        /truncated/,
      );
      expect(error.message, `cut at ${cut}`).toMatch(/ends/);
    }
  });

  it("should refuse a dropped chunk and swapped chunks", async () => {
    const { file, bytes, parts } = await original();
    const [, , c2, c3] = parts.chunks as { start: number; end: number }[];
    if (!c2 || !c3) throw new Error("too few chunks");
    const dropped = tampered(file, () =>
      Buffer.concat([bytes.subarray(0, c2.start), bytes.subarray(c2.end)]),
    );
    expect((await expectRefused(dropped, "corrupted")).chunk).toBe(2);
    const swapped = tampered(file, () =>
      Buffer.concat([
        bytes.subarray(0, c2.start),
        bytes.subarray(c3.start, c3.end),
        bytes.subarray(c2.start, c2.end),
        bytes.subarray(c3.end),
      ]),
    );
    expect((await expectRefused(swapped, "corrupted")).chunk).toBe(2);
    // the last chunk dropped: the one before it does not say it is last
    const last = parts.chunks.at(-1) as { start: number; end: number };
    const noLast = tampered(file, () =>
      Buffer.concat([bytes.subarray(0, last.start), bytes.subarray(last.end)]),
    );
    expect(["corrupted", "truncated"]).toContain((await refusal(noLast)).code);
  });

  it("should refuse a chunk taken from another archive written with the same key", async () => {
    const { file, bytes, parts } = await original();
    const other = await writeArchive(entries, { chunkSize: 4096 });
    const otherBytes = fs.readFileSync(other.file);
    const c1 = parts.chunks[1] as { start: number; end: number };
    const spliced = tampered(file, () =>
      Buffer.concat([
        bytes.subarray(0, c1.start),
        otherBytes.subarray(c1.start, c1.end),
        bytes.subarray(c1.end),
      ]),
    );
    expect((await expectRefused(spliced, "corrupted")).chunk).toBe(1);
  });

  it("should refuse another master key", async () => {
    const { file } = await original();
    const error = await refusal(file, Keyring.of(randomBytes(32)));
    expect(error.code).toBe("wrong_key");
    expect(error.message).toMatch(/master key/);
  });

  it("should refuse bytes appended after the end", async () => {
    const { file, bytes } = await original();
    const error = await expectRefused(
      tampered(file, () => Buffer.concat([bytes, Buffer.from("garbage")])),
      "trailing_garbage",
    );
    expect(error.message).toContain(`from byte ${bytes.length}`);
  });

  it("should answer the first failure again to a reader that carries on past it", async () => {
    const { file, parts } = await original();
    const bad = tampered(file, flip((parts.chunks[1] as { start: number }).start + 100));
    const reader = readArchive(fs.createReadStream(bad), { keyring });
    const iterator = reader[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new Error("no entry");
    const ended = new Promise((resolve) => first.value.stream.on("error", resolve));
    first.value.stream.resume();
    expect(await ended).toMatchObject({ code: "corrupted", chunk: 1 });
    await expect(first.value.done).rejects.toMatchObject({ code: "corrupted", chunk: 1 });
    await expect(reader.manifest()).rejects.toMatchObject({ code: "corrupted", chunk: 1 });
  });

  /** An archive made by hand, as a faulty writer would: every chunk authentic. */
  function handMade(records: Buffer[]): string {
    const dataKey = randomBytes(32);
    const header = encodeHeader(1024, encryptString(masterKey, dataKey.toString("base64")));
    const body = Buffer.concat(records);
    const chunks: Buffer[] = [];
    for (let at = 0, index = 0; at < body.length; at += 1024, index++) {
      const last = at + 1024 >= body.length;
      chunks.push(
        sealChunk(dataKey, header.subarray(-32), index, last, body.subarray(at, at + 1024)),
      );
    }
    const content = Buffer.concat([header, ...chunks]);
    const file = tempFile();
    fs.writeFileSync(file, Buffer.concat([content, createHash("sha256").update(content).digest()]));
    return file;
  }
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it("should refuse an entry that does not match its recorded size or SHA-256", async () => {
    const data = randomBytes(3000);
    const entry = (size: number | null, trailer: { size: number; sha256: string }) => [
      encodeRecord(RECORD.entry, json({ name: "a", size })),
      encodeRecord(RECORD.data, data),
      encodeRecord(RECORD.trailer, json(trailer)),
      encodeRecord(
        RECORD.manifest,
        json({ formatVersion: 1, createdAt: "", entries: [{ name: "a", ...trailer }], extras: {} }),
      ),
    ];
    const good = { size: data.length, sha256: sha256(data) };
    expect((await verifyArchive(handMade(entry(data.length, good)), { keyring })).ok).toBe(true);
    const wrongSum = handMade(entry(null, { ...good, sha256: sha256(Buffer.from("x")) }));
    expect((await refusal(wrongSum)).message).toMatch(/Entry a does not match its SHA-256/);
    const wrongSize = handMade(entry(data.length + 1, good));
    expect(await refusal(wrongSize)).toMatchObject({ code: "checksum_mismatch" });
  });

  it("should refuse a manifest that disagrees with the entries, or data after it", async () => {
    const manifest = (entries: unknown[]) =>
      encodeRecord(RECORD.manifest, json({ formatVersion: 1, createdAt: "", entries, extras: {} }));
    const listsMore = handMade([manifest([{ name: "ghost", size: 1, sha256: "00" }])]);
    expect(await refusal(listsMore)).toMatchObject({ code: "checksum_mismatch" });
    const after = handMade([manifest([]), encodeRecord(RECORD.entry, json({ name: "late" }))]);
    expect((await refusal(after)).message).toMatch(/after its manifest/);
  });
});
