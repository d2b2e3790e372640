/**
 * Where an evidence item stands on a day, from the last day it counts (its "valid until"):
 * expired once that day has passed, expiring while it falls within the next 30 days (today
 * included), valid beyond. Days are 'YYYY-MM-DD' strings in UTC.
 */
export const EXPIRING_WITHIN_DAYS = 30;

export const VALIDITIES = ["valid", "expiring", "expired"] as const;
export type Validity = (typeof VALIDITIES)[number];

/** 'YYYY-MM-DD' `days` after (or before, when negative) a 'YYYY-MM-DD' day. */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function evidenceValidity(validUntil: string, today: string): Validity {
  if (validUntil < today) return "expired";
  if (validUntil <= shiftDay(today, EXPIRING_WITHIN_DAYS)) return "expiring";
  return "valid";
}
