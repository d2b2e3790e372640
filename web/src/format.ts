// Labels and formatting shared by pages. Pure functions, no React.
import type { Role } from "./types";

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
