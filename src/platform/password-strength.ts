import { type MatchExtended, ZxcvbnFactory, type ZxcvbnResult } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { AppError } from "./errors.ts";

/**
 * zxcvbn's score runs from 0 (guessed at once) to 4; 3 means about 10^10 guesses, beyond an
 * online attack and slow against an argon2id offline one. Common passwords, repeats, keyboard
 * walks and the person's own email, name or organization all score lower.
 */
const MIN_SCORE = 3;

/** What a password may be guessed from besides the dictionaries: the person and their company. */
export interface PasswordContext {
  email?: string | undefined;
  name?: string | undefined;
  organizationName?: string | undefined;
}

const HINT = "try three or four unrelated words, or a password from a password manager";

let estimator: ZxcvbnFactory | undefined;
/** Built on first use (about 0.3 s for the dictionaries), then shared; a check takes ~5–150 ms. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    // Bounds the work on long or l33t-heavy input (a 256-character one took seconds): the
    // first 64 characters decide, and few substitutions are tried.
    maxLength: 64,
    l33tMaxSubstitutions: 4,
  });
  return estimator;
}

/**
 * The whole value, its words and its words run together: "ada.lovelace@example.com" also
 * gives "ada", "lovelace" and "adalovelaceexamplecom", "Ada Lovelace" gives "adalovelace".
 */
function partsOf(value: string | undefined): string[] {
  if (!value) return [];
  const whole = value.trim().toLowerCase();
  const words = whole.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  const local = whole.includes("@") ? partsOf(whole.slice(0, whole.indexOf("@"))) : [];
  return [...new Set([whole, words.join(""), ...local, ...words.filter((w) => w.length >= 3)])];
}

/** Why a weak password is weak, in words a person can act on; null when it is strong enough. */
export function passwordWeakness(password: string, context: PasswordContext = {}): string | null {
  // A word found in several (a name in the email's domain) is called by the plainest.
  const labelled: Array<[string, string]> = [
    ...partsOf(context.name).map((p): [string, string] => [p, "contains your name"]),
    ...partsOf(context.organizationName).map((p): [string, string] => [
      p,
      "contains the organization's name",
    ]),
    ...partsOf(context.email).map((p): [string, string] => [p, "contains your email address"]),
  ];
  const result = zxcvbn().check(
    password,
    labelled.map(([part]) => part),
  );
  if (result.score >= MIN_SCORE) return null;
  return `${reasonOf(result, labelled)}; ${HINT}`;
}

function reasonOf(result: ZxcvbnResult, labelled: Array<[string, string]>): string {
  const dictionaryOf = (m: MatchExtended) =>
    "dictionaryName" in m ? String(m.dictionaryName) : "";
  const personal = result.sequence.find((m) => dictionaryOf(m) === "userInputs");
  if (personal && "matchedWord" in personal) {
    const word = String(personal.matchedWord).toLowerCase();
    return labelled.find(([part]) => part === word)?.[1] ?? "contains your own details";
  }
  if (result.sequence.some((m) => dictionaryOf(m).startsWith("passwords"))) return "is too common";
  const patterns = new Set(result.sequence.map((m) => m.pattern));
  if (patterns.has("repeat")) return "repeats characters";
  if (patterns.has("sequence")) return "is a predictable sequence";
  if (patterns.has("spatial")) return "is a keyboard pattern";
  if (patterns.has("date")) return "is mostly a date";
  if (patterns.has("dictionary")) return "is made of common words";
  return "is too easy to guess";
}

/** Refuses a weak new password with a 400 naming the field, before anything is hashed or written. */
export function assertStrongPassword(
  field: string,
  password: string,
  context: PasswordContext = {},
): void {
  const weakness = passwordWeakness(password, context);
  if (weakness) {
    throw new AppError("validation_failed", `${field}: ${weakness}.`, [
      { field, message: weakness },
    ]);
  }
}
