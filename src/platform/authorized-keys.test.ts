import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthorizedKey, parseAuthorizedKeys, parsePublicKey } from "./authorized-keys.ts";
import { sshString } from "./ssh-key-blob.ts";

/**
 * Against the real ssh-keygen: keys it generates, an authorized_keys file of them with options,
 * comments, blank, # and broken lines, and its own `ssh-keygen -lf` listing of that file.
 */
const SSH_KEYGEN = "/usr/bin/ssh-keygen";
let dir = "";
const keys: Record<string, string> = {};

function keygen(args: string[]): string {
  return execFileSync(SSH_KEYGEN, args, {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function generate(name: string, type: string, bits: number | null, comment: string): void {
  keygen([
    "-q",
    "-t",
    type,
    ...(bits ? ["-b", String(bits)] : []),
    "-N",
    "",
    "-C",
    comment,
    "-f",
    name,
  ]);
  keys[name] = readFileSync(path.join(dir, `${name}.pub`), "utf8").trim();
}

function blobOf(line: string): Buffer {
  return Buffer.from(line.split(" ")[1] as string, "base64");
}

/** Fields of a blob in order (the type first). */
function fieldsOf(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    const length = blob.readUInt32BE(at);
    out.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "attest-keys-"));
  generate("rsa2048", "rsa", 2048, "alice@laptop");
  generate("rsa3072", "rsa", 3072, "bob with spaces in the comment");
  generate("ecdsa256", "ecdsa", 256, "carol@ci");
  generate("ecdsa384", "ecdsa", 384, "dave");
  generate("ecdsa521", "ecdsa", 521, "erin@host");
  generate("ed25519", "ed25519", null, "frank@desk");
  try {
    generate("dsa", "dsa", 1024, "old@legacy");
  } catch {
    // An ssh-keygen built without DSA: the other types still run.
  }
  generate("ca", "ed25519", null, "the CA");
  keygen(["-q", "-s", "ca", "-I", "alice-cert", "-n", "alice", "rsa2048.pub"]);
  keygen(["-q", "-s", "ca", "-I", "frank-cert", "-n", "frank,root", "ed25519.pub"]);
  keys.rsaCert = readFileSync(path.join(dir, "rsa2048-cert.pub"), "utf8").trim();
  keys.edCert = readFileSync(path.join(dir, "ed25519-cert.pub"), "utf8").trim();
  // Security keys need hardware to generate; their public blobs are built from real points.
  const ed = fieldsOf(blobOf(keys.ed25519 as string));
  const skEd = Buffer.concat([
    sshString("sk-ssh-ed25519@openssh.com"),
    sshString(ed[1] as Buffer),
    sshString("ssh:"),
  ]);
  keys.skEd = `sk-ssh-ed25519@openssh.com ${skEd.toString("base64")} yubikey`;
  const ec = fieldsOf(blobOf(keys.ecdsa256 as string));
  const skEc = Buffer.concat([
    sshString("sk-ecdsa-sha2-nistp256@openssh.com"),
    sshString("nistp256"),
    sshString(ec[2] as Buffer),
    sshString("ssh:"),
  ]);
  keys.skEc = `sk-ecdsa-sha2-nistp256@openssh.com ${skEc.toString("base64")} solokey`;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const KEYGEN_TYPES: Record<string, string> = {
  "ssh-rsa": "RSA",
  "ssh-dss": "DSA",
  "ecdsa-sha2-nistp256": "ECDSA",
  "ecdsa-sha2-nistp384": "ECDSA",
  "ecdsa-sha2-nistp521": "ECDSA",
  "ssh-ed25519": "ED25519",
  "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK",
  "sk-ssh-ed25519@openssh.com": "ED25519-SK",
  "ssh-rsa-cert-v01@openssh.com": "RSA-CERT",
  "ssh-ed25519-cert-v01@openssh.com": "ED25519-CERT",
};

/** What ssh-keygen -lf prints for an entry: with no comment, the options, else "no comment". */
function asKeygenPrints(entry: AuthorizedKey): string {
  const comment = entry.comment ?? entry.options ?? "no comment";
  return `${entry.bits} ${entry.fingerprint} ${comment} (${KEYGEN_TYPES[entry.keyType]})`;
}

function keygenListing(text: string): string[] {
  const file = path.join(dir, "authorized_keys");
  writeFileSync(file, text);
  return keygen(["-lf", file])
    .split("\n")
    .map((line) => line.replace(/\r/g, "").trimEnd())
    .filter((line) => line !== "");
}

function material(name: string): string {
  return (keys[name] as string).split(" ").slice(0, 2).join(" ");
}

describe("parseAuthorizedKeys", () => {
  it("should list every key as ssh-keygen -lf does: types, bits, fingerprints, comments and options", () => {
    const lines = [
      "# production bastion",
      "",
      "   ",
      keys.rsa2048,
      keys.rsa3072,
      `from="10.0.0.0/8,192.168.1.1",command="echo \\"hello, world\\"",no-port-forwarding ${keys.ecdsa256}`,
      `environment="PATH=/usr/bin:/bin",permitopen="db.internal:5432",no-pty\t${keys.ecdsa384}`,
      `restrict,pty ${material("ecdsa521")}`,
      `  \t${keys.ed25519}\r`,
      ...(keys.dsa ? [keys.dsa] : []),
      `cert-authority,principals="alice,frank" ${keys.ca}`,
      keys.rsaCert,
      `no-agent-forwarding ${keys.edCert}`,
      keys.skEd,
      `no-touch-required ${keys.skEc}`,
      "# broken lines follow",
      "this is not a key",
      `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBroken!! bad-base64`,
      `ssh-rsa ${blobOf(keys.ed25519 as string).toString("base64")} the wrong type`,
      `ssh-ed25519 ${blobOf(keys.ed25519 as string)
        .subarray(0, 30)
        .toString("base64")} truncated`,
      `command="unterminated ${keys.ed25519}`,
      "ssh-rsa",
    ];
    const text = `${lines.join("\n")}\n`;
    const parsed = parseAuthorizedKeys(text, "authorized_keys");
    const expected = keygenListing(text);
    expect(parsed.entries.map(asKeygenPrints)).toEqual(expected);
    expect(parsed.entries.length).toBe(keys.dsa ? 12 : 11);

    const byLine = new Map(parsed.entries.map((entry) => [entry.line, entry]));
    expect(byLine.get(6)?.options).toBe(
      'from="10.0.0.0/8,192.168.1.1",command="echo \\"hello, world\\"",no-port-forwarding',
    );
    expect(byLine.get(6)?.comment).toBe("carol@ci");
    expect(byLine.get(5)?.comment).toBe("bob with spaces in the comment");
    expect(byLine.get(8)).toMatchObject({ options: "restrict,pty", comment: null, bits: 521 });
    expect(byLine.get(9)).toMatchObject({
      keyType: "ssh-ed25519",
      comment: "frank@desk",
      bits: 256,
    });
    expect(byLine.get(4)?.publicKey).toBe((keys.rsa2048 as string).split(" ")[1]);
    for (const entry of parsed.entries) expect(entry.file).toBe("authorized_keys");

    const first = lines.indexOf("this is not a key") + 1;
    expect(parsed.problems).toEqual([
      {
        file: "authorized_keys",
        line: first,
        message: '"this" is neither a key type nor an option',
      },
      {
        file: "authorized_keys",
        line: first + 1,
        message: "the ssh-ed25519 key data is not valid base64",
      },
      {
        file: "authorized_keys",
        line: first + 2,
        message: "the line says ssh-rsa but its key data is ssh-ed25519",
      },
      {
        file: "authorized_keys",
        line: first + 3,
        message: "invalid ssh-ed25519 key: the key data ends before its Ed25519 public key",
      },
      {
        file: "authorized_keys",
        line: first + 4,
        message: "the options have an unterminated quote",
      },
      {
        file: "authorized_keys",
        line: first + 5,
        message: "the ssh-rsa key has no key data after its type",
      },
    ]);
  });

  it("should refuse options sshd refuses, which ssh-keygen -l does not check", () => {
    const key = material("ed25519");
    const { entries, problems } = parseAuthorizedKeys(
      [
        `no-such-option ${key}`,
        `command=echo ${key}`,
        `no-pty="x" ${key}`,
        `no-pty,,restrict ${key}`,
        `NO-PTY,Restrict ${key} upper case is fine`,
        `frobnicate AAAAC3NzaC1lZDI1NTE5AAAAIJ8 x`,
      ].join("\r\n"),
    );
    expect(entries.map((entry) => entry.line)).toEqual([5]);
    expect(problems.map((problem) => problem.message)).toEqual([
      'unknown option "no-such-option"',
      'the option command needs a value in double quotes (command="…")',
      "the option no-pty takes no value",
      'unknown option ""',
      'unknown key type "frobnicate"',
    ]);
  });

  it("should give line numbers counting blank and comment lines, with or without a final newline", () => {
    const text = `\n# a\n\n${keys.ed25519}\nbroken`;
    const { entries, problems } = parseAuthorizedKeys(text, "/home/deploy/.ssh/authorized_keys");
    expect(entries.map((entry) => entry.line)).toEqual([4]);
    expect(problems).toEqual([
      { file: "/home/deploy/.ssh/authorized_keys", line: 5, message: '"broken" is not a key' },
    ]);
    expect(parseAuthorizedKeys("")).toEqual({ entries: [], problems: [] });
  });

  it("should never throw on mangled lines, and accept only what ssh-keygen also reads", () => {
    const sources = [
      keys.rsa2048,
      keys.ecdsa256,
      keys.ed25519,
      keys.rsaCert,
      keys.skEc,
      `from="a,b",command="x \\" y" ${keys.ed25519}`,
    ] as string[];
    let seed = 12345;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const alphabet = 'AZaz09+/= \t",\\#\r\u0000é';
    const mangled: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let line = sources[random(sources.length)] as string;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(line.length + 1);
        const op = random(4);
        if (op === 0) line = line.slice(0, at) + line.slice(at + 1 + random(8));
        else if (op === 1)
          line = line.slice(0, at) + alphabet[random(alphabet.length)] + line.slice(at);
        else if (op === 2) line = line.slice(0, at);
        else
          line =
            line.slice(0, at) + line.slice(at).replace(/[A-Za-z]/, (c) => (c === "A" ? "B" : "A"));
      }
      mangled.push(line);
    }
    const text = mangled.join("\n");
    let parsed = parseAuthorizedKeys("");
    expect(() => {
      parsed = parseAuthorizedKeys(text, "fuzz");
    }).not.toThrow();
    const blankOrComment = mangled.filter((line) =>
      /^[ \t]*(#|$)/.test(line.replace(/\r$/, "")),
    ).length;
    expect(parsed.entries.length + parsed.problems.length + blankOrComment).toBe(mangled.length);
    for (const line of mangled) expect(() => parsePublicKey(line)).not.toThrow();

    // Whatever this parser accepts, ssh-keygen reads too, with the same fingerprint. Not
    // certificates: OpenSSH also verifies their CA's signature, which this parser leaves to sshd.
    const plain = parsed.entries.filter((entry) => !entry.keyType.includes("-cert-"));
    const accepted = plain.map((entry) => mangled[entry.line - 1] as string);
    const listed = new Set(
      keygenListing(`${accepted.join("\n")}\n`).map((line) => line.split(" ")[1]),
    );
    for (const entry of plain) expect(listed.has(entry.fingerprint)).toBe(true);
  });
});

describe("parsePublicKey", () => {
  it("should read one pasted key, as ssh-keygen -lf reads the .pub file", () => {
    for (const name of ["rsa2048", "ecdsa521", "ed25519", "rsaCert"]) {
      const pasted = `  ${keys[name]}\n`;
      const result = parsePublicKey(pasted);
      if (!result.ok) throw new Error(result.message);
      const printed = keygen([
        "-lf",
        name === "rsaCert" ? "rsa2048-cert.pub" : `${name}.pub`,
      ]).trim();
      expect(
        `${result.key.bits} ${result.key.fingerprint} ${result.key.comment} (${KEYGEN_TYPES[result.key.keyType]})`,
      ).toBe(printed);
    }
  });

  it("should say what is wrong with a paste that is not one public key", () => {
    expect(parsePublicKey("")).toEqual({ ok: false, message: "the public key is empty" });
    expect(parsePublicKey(`restrict ${keys.ed25519}`)).toEqual({
      ok: false,
      message: '"restrict" is not an SSH key type (e.g. ssh-ed25519, ssh-rsa)',
    });
    expect(parsePublicKey(`${keys.ed25519}\n${keys.rsa2048}`)).toEqual({
      ok: false,
      message: "paste one public key, on one line",
    });
    expect(parsePublicKey("ssh-ed25519 AAAA")).toMatchObject({ ok: false });
    expect(existsSync(dir)).toBe(true);
  });
});
