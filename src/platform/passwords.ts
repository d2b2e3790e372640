import argon2 from "argon2";

/** argon2id with OWASP's recommended minimum: 19 MiB memory, 2 iterations, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Test runs only: argon2's smallest cost (1 MiB, 1 iteration), so the hundreds of accounts the
 * suite creates do not spend its time hashing. Only `selectTestPasswordCost()` selects it, and it
 * refuses outside vitest; no setting or environment variable reaches it in production. Hashes
 * carry their own parameters, so verification is unchanged either way.
 */
const TEST_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
} as const;
let options: typeof OPTIONS | typeof TEST_OPTIONS = OPTIONS;

/** Called by the test setup (test/helpers/test-setup.ts); throws when not under vitest. */
export function selectTestPasswordCost(): void {
  if (process.env.VITEST !== "true" || process.env.NODE_ENV === "production") {
    throw new Error("The test password cost is for test runs only.");
  }
  options = TEST_OPTIONS;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

/**
 * Hashed once and verified against when the email is unknown, so a failed sign-in takes the
 * same time whether or not the account exists.
 */
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword("attest-decoy-password-never-valid");
  await verifyPassword(await decoy, password);
  return false;
}
