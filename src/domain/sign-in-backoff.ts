/**
 * How long an account's sign-in waits after failed attempts: five are free, then each further
 * failure doubles the wait from one minute, never past fifteen. A day without an attempt
 * forgets the count, and a successful sign-in clears it.
 */
const FREE_ATTEMPTS = 5;
const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 24 * 3_600_000;

/** The wait that follows the `failures`-th failed attempt in a row; 0 while still free. */
export function lockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  const doublings = Math.min(failures - FREE_ATTEMPTS, 10);
  return Math.min(FIRST_DELAY_MS * 2 ** doublings, MAX_DELAY_MS);
}

/** The failures to count on from, given when the last attempt was. */
export function failuresToCountFrom(failures: number, lastAttemptAt: Date, now: Date): number {
  return now.getTime() - lastAttemptAt.getTime() > FORGET_AFTER_MS ? 0 : failures;
}
