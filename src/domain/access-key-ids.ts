/**
 * Whether a value given as an access key's id looks like a secret instead: the registry keeps
 * ids and fingerprints only, so a pasted secret is refused before it is stored anywhere.
 * Pure; the patterns are the well-known shapes of secrets, not proof of one.
 */

/** Prefixes of secret tokens (GitHub, GitLab, Slack, Stripe, OpenAI…); ids never carry them. */
const SECRET_PREFIXES = [
  "ghp_",
  "gho_",
  "ghu_",
  "ghs_",
  "ghr_",
  "github_pat_",
  "glpat-",
  "xoxb-",
  "xoxp-",
  "xoxa-",
  "xoxs-",
  "sk_live_",
  "sk_test_",
  "rk_live_",
  "rk_test_",
  "sk-",
  "AIza",
];

/** Why `value` looks like a secret, or null when it may be an id. */
export function secretLikeKeyId(value: string): string | null {
  const text = value.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || text.includes("PRIVATE KEY")) {
    return "is a private key: give the key's id, never the key itself";
  }
  for (const prefix of SECRET_PREFIXES) {
    if (text.startsWith(prefix)) {
      return `looks like a secret token (${prefix}…): give the key's id, never the secret`;
    }
  }
  // An AWS secret access key: 40 base64 characters. A GCP key id is 40 hex digits: allowed.
  if (/^[A-Za-z0-9/+=]{40}$/.test(text) && !/^[0-9a-fA-F]{40}$/.test(text)) {
    return "looks like a secret access key (40 base64 characters): give the access key id (AKIA…), never the secret";
  }
  // A long run of mixed-case letters and digits reads as a random secret, not an id.
  if (
    text.length > 40 &&
    /^[A-Za-z0-9/+=_-]+$/.test(text) &&
    /[a-z]/.test(text) &&
    /[A-Z]/.test(text) &&
    /[0-9]/.test(text) &&
    /[/+]/.test(text)
  ) {
    return "looks like a secret (a long random base64 string): give the key's id, never the secret";
  }
  return null;
}
