// Labels and formatting shared by pages. Pure functions, no React.
import type { ControlStatus, Role, StatusCounts } from "./schema";

export const CATEGORIES = [
  "Availability",
  "Confidentiality",
  "Vulnerability Management",
  "Incident Response",
  "Access Security",
  "Communications",
] as const;

export const ROLES: { value: Role; label: string; description: string }[] = [
  {
    value: "owner",
    label: "Owner",
    description: "Full control of the organization, including other owners and security settings.",
  },
  {
    value: "admin",
    label: "Admin",
    description: "Runs the program: manages users, settings and every record.",
  },
  {
    value: "editor",
    label: "Editor",
    description: "Records incidents, reviews access and imports scans; no user management.",
  },
  {
    value: "member",
    label: "Member",
    description: "Acknowledges policies and reports concerns; sees their own tasks.",
  },
  {
    value: "auditor",
    label: "Auditor",
    description: "Read-only access for a fixed audit period; access expires automatically.",
  },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** A yyyy-mm-dd value of <input type="date"> as the ISO instant of that local day's start. */
export function startOfDayIso(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

/** A yyyy-mm-dd value of <input type="date"> as the ISO instant of that local day's end. */
export function endOfDayIso(date: string): string {
  return new Date(`${date}T23:59:59.999`).toISOString();
}

/** An ISO instant as the yyyy-mm-dd value of <input type="date"> (local day). */
export function toDateInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function todayDateInput(): string {
  return toDateInput(new Date().toISOString());
}

/** Splits a base32 secret into groups of four for reading aloud or typing. */
export function groupsOfFour(secret: string): string[] {
  return secret.replace(/\s+/g, "").match(/.{1,4}/g) ?? [];
}

/** "CC6.1, cc6.2  A1.2" -> ["CC6.1", "CC6.2", "A1.2"] */
export function parseCriteria(text: string): string[] {
  const ids = text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(ids)];
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A calendar day "YYYY-MM-DD" (no time zone) for reading, e.g. "Mar 31, 2026". */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "—";
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return dateFormat.format(new Date(y, m - 1, d));
}

/** The UTC calendar day of a moment, as the API's snapshots and asOf count days. */
export function utcDay(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" moved by a number of days. */
export function addDaysToDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

/** Every day from `from` to `to`, both included ("YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDaysToDay(day, 1)) days.push(day);
  return days;
}

export function formatPercent(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Whether an instant lies in the past. */
export function isPast(iso: string, now: Date = new Date()): boolean {
  return new Date(iso).getTime() < now.getTime();
}

/** Control statuses in the order charts stack them, passing at the bottom. */
export const STATUS_ORDER: ControlStatus[] = [
  "passing",
  "needs_attention",
  "failing",
  "not_evaluated",
  "not_applicable",
];

/** Passing share of the applicable controls (not applicable ones left out), 0–100. */
export function passingShare(counts: StatusCounts): number {
  const total = STATUS_ORDER.reduce((sum, s) => sum + counts[s], 0);
  const applicable = total - counts.not_applicable;
  return applicable === 0 ? 0 : Math.round((counts.passing / applicable) * 1000) / 10;
}
