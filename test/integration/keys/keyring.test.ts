import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encryptString } from "../../../src/platform/crypto.ts";
import {
  Keyring,
  keyFileText,
  loadKeyring,
  masterKeyFile,
  masterKeyOf,
  sealedKeyId,
} from "../../../src/platform/keyring.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-keyring-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const b64 = (key: Buffer) => key.toString("base64");

describe("the master keyring", () => {
  it("should seal with the newest key, naming it, and open values of every key and of v1", () => {
    const [newer, older] = [randomBytes(32), randomBytes(32)];
    const ring = Keyring.of(newer, older);
    const sealed = ring.seal("totp secret");
    expect(sealedKeyId(sealed)).toBe(masterKeyOf(newer).id);
    expect(sealed.split(".")).toHaveLength(5);
    expect(ring.open(sealed)).toBe("totp secret");
    expect(ring.open(Keyring.of(older).seal("old"))).toBe("old");
    // Written before the keyring, under either key.
    expect(ring.open(encryptString(older, "legacy"))).toBe("legacy");
    expect(ring.keyOf(encryptString(older, "legacy")).id).toBe(masterKeyOf(older).id);
    expect(() => ring.open(encryptString(randomBytes(32), "x"))).toThrow(/No master key/);
    expect(() => ring.open(Keyring.of(randomBytes(32)).seal("x"))).toThrow(/not in the keyring/);
    // Keyed hashes keep the oldest key until a mac: entry says otherwise.
    expect(ring.macKey.equals(older)).toBe(true);
  });

  it("should read ATTEST_MASTER_KEY as several keys newest first, with a mac: entry", () => {
    const [a, b, m] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const ring = loadKeyring(`${b64(a)},${b64(b)},mac:${b64(m)}`, dir);
    expect(ring.keys.map((k) => k.id)).toEqual([masterKeyOf(a).id, masterKeyOf(b).id]);
    expect(ring.macKey.equals(m)).toBe(true);
    expect(() => loadKeyring(`${b64(a)},${b64(a)}`, dir)).toThrow(
      "ATTEST_MASTER_KEY, entry 2: the same key twice",
    );
    expect(() => loadKeyring(`mac:${b64(m)}`, dir)).toThrow("ATTEST_MASTER_KEY: no master key");
  });

  it("should refuse a key file with a garbled line, naming the file and the line", () => {
    const own = fs.mkdtempSync(path.join(dir, "garbled-"));
    const file = masterKeyFile(own);
    fs.writeFileSync(
      file,
      `${b64(randomBytes(32))}\n# kept for old backups\n${b64(randomBytes(16))}\n`,
    );
    expect(() => loadKeyring(undefined, own)).toThrow(
      `${file}, line 3: not a master key (expected 32 bytes in base64, 44 characters)`,
    );
  });

  it("should generate a one-line key file once, and pick up a rotation another process wrote", () => {
    const own = fs.mkdtempSync(path.join(dir, "fresh-"));
    const server = loadKeyring(undefined, own);
    const file = masterKeyFile(own);
    expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // `attest keys rotate` in another process: the new key first, the old one kept.
    const rotated = masterKeyOf(randomBytes(32));
    fs.writeFileSync(file, keyFileText([rotated, ...server.keys], null));
    const cli = loadKeyring(undefined, own);
    // The server meets a value under a key it does not know: it re-reads the file.
    expect(server.open(cli.seal("written by the new key"))).toBe("written by the new key");
    expect(server.current.id).toBe(rotated.id);
  });
});
