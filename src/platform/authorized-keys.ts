import { BlobError, isSshKeyType, printableName, readKeyBlob } from "./ssh-key-blob.ts";

/**
 * OpenSSH's authorized_keys format (sshd(8), AUTHORIZED_KEYS FILE FORMAT): one key a line,
 * `[options] keytype base64-key [comment]`; blank lines and lines starting with # are ignored.
 * Options are comma-separated, a value double-quoted (`from="10.0.0.0/8,host"`, `command="echo
 * \"hi\""`). The key blob is decoded and checked as sshd checks it, and fingerprinted as
 * `ssh-keygen -l` prints it. A bad line is a problem with its line number, never an exception:
 * sshd ignores such a line, so it opens nothing and is not an entry.
 */

export interface AuthorizedKey {
  /** The file the line came from ("-" for standard input). */
  file: string;
  /** 1-based line number. */
  line: number;
  /** The options as written before the key, or null. */
  options: string | null;
  keyType: string;
  /** The key blob in base64, as in the file. */
  publicKey: string;
  comment: string | null;
  /** "SHA256:…", exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Bits as `ssh-keygen -lf` prints them (a certificate: its embedded key's). */
  bits: number;
}

export interface KeyProblem {
  file: string;
  line: number;
  message: string;
}

export interface AuthorizedKeys {
  entries: AuthorizedKey[];
  problems: KeyProblem[];
}

export type PublicKeyFields = Omit<AuthorizedKey, "file" | "line" | "options">;
export type ParsedPublicKey = { ok: true; key: PublicKeyFields } | { ok: false; message: string };

/** The options sshd knows (case-insensitive), and whether each takes a quoted value. */
const OPTIONS: Record<string, "flag" | "value"> = {
  "agent-forwarding": "flag",
  "cert-authority": "flag",
  "no-agent-forwarding": "flag",
  "no-port-forwarding": "flag",
  "no-pty": "flag",
  "no-user-rc": "flag",
  "no-x11-forwarding": "flag",
  "no-touch-required": "flag",
  "port-forwarding": "flag",
  pty: "flag",
  restrict: "flag",
  "user-rc": "flag",
  "verify-required": "flag",
  "x11-forwarding": "flag",
  command: "value",
  environment: "value",
  "expiry-time": "value",
  from: "value",
  permitlisten: "value",
  permitopen: "value",
  principals: "value",
  tunnel: "value",
};

class LineError extends Error {}

/** Parses the text of an authorized_keys file (LF or CRLF). */
export function parseAuthorizedKeys(text: string, file = "-"): AuthorizedKeys {
  const entries: AuthorizedKey[] = [];
  const problems: KeyProblem[] = [];
  const lines = text.split("\n");
  // A final newline ends the last line; it does not start another.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const rest = skipSpace(content, 0);
    if (rest === content.length || content[rest] === "#") return;
    try {
      entries.push({ file, line, ...parseKeyLine(content.slice(rest)) });
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push({ file, line, message: error.message });
    }
  });
  return { entries, problems };
}

/** One pasted public key (`keytype base64 [comment]`, no options). */
export function parsePublicKey(text: string): ParsedPublicKey {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "the public key is empty" };
  if (/[\r\n]/.test(trimmed)) return { ok: false, message: "paste one public key, on one line" };
  const type = trimmed.slice(0, tokenEnd(trimmed, 0));
  if (!isSshKeyType(type)) {
    return {
      ok: false,
      message: `"${printableName(type)}" is not an SSH key type (e.g. ssh-ed25519, ssh-rsa)`,
    };
  }
  try {
    const { options: _options, ...key } = parseKeyLine(trimmed);
    return { ok: true, key };
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    return { ok: false, message: error.message };
  }
}

/** A line with its leading space skipped; throws a LineError when it is not a usable key. */
function parseKeyLine(content: string): Omit<AuthorizedKey, "file" | "line"> {
  let at = 0;
  let options: string | null = null;
  const first = content.slice(0, tokenEnd(content, 0));
  if (!isSshKeyType(first)) {
    const end = optionsEnd(content);
    const next = skipSpace(content, end);
    const nextToken = content.slice(next, tokenEnd(content, next));
    if (next === content.length) {
      throw new LineError(
        looksLikeBase64(first) ? "the key has no type" : `"${printableName(first)}" is not a key`,
      );
    }
    const bareWord = !/[=,"]/.test(first) && !Object.hasOwn(OPTIONS, first.toLowerCase());
    if (bareWord && !isSshKeyType(nextToken)) {
      throw new LineError(
        looksLikeBase64(nextToken)
          ? `unknown key type "${printableName(first)}"`
          : `"${printableName(first)}" is neither a key type nor an option`,
      );
    }
    options = content.slice(0, end);
    checkOptions(options);
    at = next;
  }
  const typeEnd = tokenEnd(content, at);
  const keyType = content.slice(at, typeEnd);
  if (!isSshKeyType(keyType)) {
    throw new LineError(
      keyType.startsWith("AAAA")
        ? "the key has no type"
        : `unknown key type "${printableName(keyType)}"`,
    );
  }
  const blobStart = skipSpace(content, typeEnd);
  const blobEnd = tokenEnd(content, blobStart);
  const encoded = content.slice(blobStart, blobEnd);
  if (encoded === "") throw new LineError(`the ${keyType} key has no key data after its type`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new LineError(`the ${keyType} key data is not valid base64`);
  }
  const blob = Buffer.from(encoded, "base64");
  let info: ReturnType<typeof readKeyBlob>;
  try {
    info = readKeyBlob(blob);
  } catch (error) {
    if (error instanceof BlobError) throw new LineError(`invalid ${keyType} key: ${error.message}`);
    throw error;
  }
  if (info.keyType !== keyType) {
    throw new LineError(
      `the line says ${keyType} but its key data is ${printableName(info.keyType)}`,
    );
  }
  const comment = content.slice(skipSpace(content, blobEnd)).trimEnd();
  return {
    options,
    keyType,
    publicKey: blob.toString("base64"),
    comment: comment === "" ? null : comment,
    fingerprint: info.fingerprint,
    bits: info.bits,
  };
}

/** The end of the options: the first space or tab outside double quotes (sshd's rule). */
function optionsEnd(content: string): number {
  let quoted = false;
  let at = 0;
  for (; at < content.length; at += 1) {
    const char = content[at];
    if (!quoted && (char === " " || char === "\t")) break;
    if (char === "\\" && content[at + 1] === '"') at += 1;
    else if (char === '"') quoted = !quoted;
  }
  if (quoted) throw new LineError("the options have an unterminated quote");
  return at;
}

/** Each option known to sshd, a flag bare and a value double-quoted, as sshd requires. */
function checkOptions(options: string): void {
  let at = 0;
  while (at < options.length) {
    const nameMatch = /^[A-Za-z0-9-]*/.exec(options.slice(at));
    const name = nameMatch?.[0] ?? "";
    const kind = OPTIONS[name.toLowerCase()];
    if (name === "" || !kind) {
      const shown = options.slice(at).split(/[=,]/)[0] ?? "";
      throw new LineError(`unknown option "${printableName(shown)}"`);
    }
    at += name.length;
    if (kind === "value") {
      if (options[at] !== "=" || options[at + 1] !== '"') {
        throw new LineError(`the option ${name} needs a value in double quotes (${name}="…")`);
      }
      at += 2;
      while (at < options.length && options[at] !== '"')
        at += options[at] === "\\" && options[at + 1] === '"' ? 2 : 1;
      at += 1; // the closing quote (optionsEnd made sure there is one)
    } else if (options[at] === "=") {
      throw new LineError(`the option ${name} takes no value`);
    }
    if (at === options.length) return;
    if (options[at] !== ",") throw new LineError(`the options need a comma after ${name}`);
    at += 1;
    if (at === options.length) throw new LineError("the options end with a comma");
  }
}

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && (text[at] === " " || text[at] === "\t")) at += 1;
  return at;
}

function tokenEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && text[at] !== " " && text[at] !== "\t") at += 1;
  return at;
}

function looksLikeBase64(token: string): boolean {
  return token.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(token);
}

/** The text of an uploaded file: refuses NUL bytes and invalid UTF-8 (a binary file). */
export function decodeKeysText(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new Error("is not text (it holds NUL bytes)");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("is not UTF-8 text");
  }
}
