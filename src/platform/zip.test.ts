import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createZip } from "./zip.ts";

describe("ZIP writer", () => {
  it("should write entries a reader can list and inflate", () => {
    const zip = createZip([
      { name: "a.txt", data: Buffer.from("hello ".repeat(100)) },
      { name: "dir/b.md", data: Buffer.from("# Title\n") },
    ]);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
    expect(zip.readUInt16LE(zip.length - 12)).toBe(2);
    const compressedSize = zip.readUInt32LE(18);
    const nameLength = zip.readUInt16LE(26);
    const first = inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + compressedSize));
    expect(first.toString()).toBe("hello ".repeat(100));
  });

  it("should be read by Info-ZIP's unzip (required on CI)", () => {
    const unzip = ["/usr/bin/unzip", "/bin/unzip"].find((p) => fs.existsSync(p));
    if (!unzip) {
      // Outside CI the byte-level test above still checks the format; CI installs unzip.
      expect(process.env.CI, "unzip is missing; .ci/run installs it").not.toBe("true");
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-zip-"));
    const file = path.join(dir, "t.zip");
    fs.writeFileSync(
      file,
      createZip([{ name: "policies/a.pdf", data: Buffer.from("x".repeat(5000)) }]),
    );
    expect(execFileSync(unzip, ["-t", file]).toString()).toMatch(/testing: policies\/a\.pdf\s+OK/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
