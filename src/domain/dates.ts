/**
 * Day arithmetic for deadlines and "as of" reads. Every day is a UTC day of exactly 24 hours:
 * a deadline "7 days after receipt" is the same instant wherever the server runs and whatever
 * daylight saving does to local clocks.
 */
export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** 'YYYY-MM-DD' of a moment, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first instant of a UTC day. */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** The last instant of a UTC day: "as of 2026-03-31" means at the end of that day. */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

/** Whole UTC days from one day to another ('YYYY-MM-DD' each); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/** Whether something dated `at` had happened by the moment `asOf` (at it counts). */
export function happenedBy(at: Date, asOf: Date): boolean {
  return at.getTime() <= asOf.getTime();
}

/**
 * A dated fact as it stood at a moment: its date if it had happened by then, otherwise null,
 * as if it had not happened yet. Reads "as of a past date" see the past this way.
 */
export function knownAsOf(at: Date | null, moment: Date): Date | null {
  return at !== null && happenedBy(at, moment) ? at : null;
}

/** A day as text, "2026-12-03", from a date column (a string) or a moment (UTC). */
export function dayText(value: string | Date): string;
export function dayText(value: string | Date | null): string | null;
export function dayText(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === "string" ? value.slice(0, 10) : isoDay(value);
}

/** A moment as people read it in messages and documents: "2026-12-03 14:05 UTC". */
export function minuteText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
