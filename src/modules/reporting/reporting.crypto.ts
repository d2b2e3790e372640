import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { base32Encode } from "../../domain/totp.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import type { Keyring } from "../../platform/keyring.ts";

/**
 * The reporting channel's cryptography, all derived from the master key:
 *
 * - Texts (subject, body, contact details, outcome, every message) are sealed with
 *   `encryptString` under the master key: AES-256-GCM with a fresh random IV per value. An
 *   envelope per report (a data key wrapped by the master key, as evidence files do) would only
 *   pay off for large blobs or per-report key destruction; reports are small texts, and one
 *   key scheme shared with the MFA secrets keeps rotation to one procedure.
 * - The follow-up key is 160 random bits, shown once in base32 groups, stored only as an
 *   HMAC-SHA-256 under a key derived for that purpose. A fast keyed hash is enough: the key is
 *   high-entropy, so there is nothing to brute-force, and the HMAC key keeps a stolen database
 *   from confirming guesses.
 * - Proof-of-work challenges are stateless: random bytes, an expiry and a difficulty, signed
 *   with an HMAC under another derived key. Only a spent challenge's hash is stored, until it
 *   expires, to refuse replays.
 */

function derivedKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", masterKey, Buffer.alloc(0), `attest:reporting:${purpose}`, 32),
  );
}

export function seal(keyring: Keyring, plaintext: string): string {
  return keyring.seal(plaintext);
}

export function unseal(keyring: Keyring, sealed: string): string {
  return keyring.open(sealed);
}

// Keys are RFC 4648 base32 (as TOTP secrets are): no 0/1/8/9, so O, I, B typed as digits can
// be mapped back.
const KEY_BYTES = 20; // 160 bits: 32 base32 characters.
const KEY_LENGTH = 32;

/** A new follow-up key, formatted for people: eight groups of four, e.g. "ABCD-EFGH-…". */
export function newFollowUpKey(): string {
  const text = base32Encode(randomBytes(KEY_BYTES));
  return text.match(/.{4}/g)?.join("-") ?? text;
}

/**
 * The key as typed, reduced to its 32 characters: case, spaces and dashes ignored, and the
 * digits people type for look-alike letters (0 for O, 1 for I, 8 for B) mapped back. Null
 * when what remains cannot be a key.
 */
export function normalizeFollowUpKey(typed: string): string | null {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/0/g, "O")
    .replace(/1/g, "I")
    .replace(/8/g, "B");
  return cleaned.length === KEY_LENGTH && /^[A-Z2-7]+$/.test(cleaned) ? cleaned : null;
}

export function followUpKeyHash(masterKey: Buffer, normalizedKey: string): string {
  return createHmac("sha256", derivedKey(masterKey, "follow-up-key"))
    .update(normalizedKey)
    .digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const CHALLENGE_TTL_MS = 10 * 60_000;

export interface Challenge {
  /** What the client hashes with its counter: "<random>.<expires>.<bits>.<signature>". */
  challenge: string;
  bits: number;
  expiresAt: Date;
}

function signature(masterKey: Buffer, payload: string): string {
  return createHmac("sha256", derivedKey(masterKey, "pow-challenge"))
    .update(payload)
    .digest("base64url");
}

export function issueChallenge(masterKey: Buffer, bits: number, now = new Date()): Challenge {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const payload = `${randomBytes(16).toString("base64url")}.${Math.floor(expiresAt.getTime() / 1000)}.${bits}`;
  return { challenge: `${payload}.${signature(masterKey, payload)}`, bits, expiresAt };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let count = 0;
  for (const byte of digest) {
    if (byte === 0) {
      count += 8;
      continue;
    }
    return count + Math.clz32(byte) - 24;
  }
  return count;
}

export type ChallengeProblem = "malformed" | "forged" | "expired" | "insufficient";

/**
 * Checks a solved challenge: our signature, not expired, and SHA-256(challenge + ":" + counter)
 * starting with the challenge's number of zero bits. Single use is the caller's (the spent
 * table). Returns the expiry on success.
 */
export function verifyChallenge(
  masterKey: Buffer,
  challenge: string,
  counter: string,
  now = new Date(),
): { ok: true; expiresAt: Date } | { ok: false; problem: ChallengeProblem } {
  const parts = challenge.split(".");
  if (parts.length !== 4 || !/^\d{1,12}$/.test(counter)) return { ok: false, problem: "malformed" };
  const [random, expires, bits, sent] = parts as [string, string, string, string];
  if (!/^\d{1,12}$/.test(expires) || !/^\d{1,2}$/.test(bits) || random.length < 16) {
    return { ok: false, problem: "malformed" };
  }
  const expected = signature(masterKey, `${random}.${expires}.${bits}`);
  if (!sameHash(expected, sent)) return { ok: false, problem: "forged" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  const digest = createHash("sha256").update(`${challenge}:${counter}`).digest();
  if (leadingZeroBits(digest) < Number(bits)) return { ok: false, problem: "insufficient" };
  return { ok: true, expiresAt };
}

/** Solves a challenge by brute force (tests and tools; the browser runs pow.js). */
export function solveChallenge(challenge: string, bits: number, maxTries = 50_000_000): string {
  for (let counter = 0; counter < maxTries; counter++) {
    const digest = createHash("sha256").update(`${challenge}:${counter}`).digest();
    if (leadingZeroBits(digest) >= bits) return String(counter);
  }
  throw new Error("no solution found within the bound");
}

export function challengeHash(challenge: string): string {
  return sha256Hex(challenge);
}

/**
 * The no-JavaScript fallback: the form page embeds a page challenge, "<random>.<issued>.<sig>"
 * (issued in milliseconds since the epoch, signed under its own derived key so it can never
 * pass for a proof-of-work challenge). A form sent without a proof of work is taken only with
 * a page challenge issued at least the wait ago and not expired (the proof-of-work expiry);
 * single use is the caller's (the spent table). Stateless, and tied to nothing about the
 * client: the cost for a spammer is time per submission instead of CPU, and the per-address
 * rate limit still applies.
 */
export const NOSCRIPT_WAIT_MS = 15_000;

/** The wait for a form sent without JavaScript: none when the proof-of-work is off (0 bits). */
export function noScriptWaitMs(powBits: number): number {
  return powBits > 0 ? NOSCRIPT_WAIT_MS : 0;
}

function pageSignature(masterKey: Buffer, payload: string): string {
  return createHmac("sha256", derivedKey(masterKey, "page-challenge"))
    .update(payload)
    .digest("base64url");
}

/** A page challenge issued at `now` (tests pass an earlier time instead of sleeping). */
export function issuePageChallenge(masterKey: Buffer, now = new Date()): string {
  const payload = `${randomBytes(16).toString("base64url")}.${now.getTime()}`;
  return `${payload}.${pageSignature(masterKey, payload)}`;
}

export type PageChallengeVerdict =
  | { ok: true; expiresAt: Date }
  | { ok: false; problem: "malformed" | "forged" | "expired" }
  | { ok: false; problem: "early"; readyAt: Date };

/** Checks a page challenge: our signature, not expired, and issued at least `waitMs` ago. */
export function verifyPageChallenge(
  masterKey: Buffer,
  challenge: string,
  waitMs: number,
  now = new Date(),
): PageChallengeVerdict {
  const parts = challenge.split(".");
  if (parts.length !== 3) return { ok: false, problem: "malformed" };
  const [random, issued, sent] = parts as [string, string, string];
  if (!/^\d{1,15}$/.test(issued) || random.length < 16) return { ok: false, problem: "malformed" };
  if (!sameHash(pageSignature(masterKey, `${random}.${issued}`), sent)) {
    return { ok: false, problem: "forged" };
  }
  const issuedAt = Number(issued);
  const expiresAt = new Date(issuedAt + CHALLENGE_TTL_MS);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  const readyAt = new Date(issuedAt + waitMs);
  if (readyAt.getTime() > now.getTime()) return { ok: false, problem: "early", readyAt };
  return { ok: true, expiresAt };
}
