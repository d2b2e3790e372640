/** The shared pieces of the audit sentences (src/domain/audit-sentences.ts): helpers and labels. */

export type Data = Record<string, unknown>;

export interface Parts {
  /** Who acted, in words ("Ada Lovelace", "Someone", "Attest"). */
  who: string;
  /** The target's name, or `fallback` when nothing names it. */
  target: (fallback: string) => string;
  /** Version N of <policy>, for policy version events. */
  version: () => string;
  before: Data;
  after: Data;
  self: boolean;
}

export interface ActionText {
  label: string;
  sentence: (p: Parts) => string;
}

export const ROLE_ARTICLE: Record<string, string> = {
  owner: "an owner",
  admin: "an admin",
  editor: "an editor",
  member: "a member",
  auditor: "an auditor",
};

export const LOGIN_FAILURES: Record<string, string> = {
  password: "wrong password",
  mfa_code: "wrong second-factor code",
  password_sign_in_disabled: "password sign-in is turned off for non-owners",
};

export function str(data: Data, key: string): string | null {
  const value = data[key];
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function num(data: Data, key: string): number | null {
  const value = data[key];
  return typeof value === "number" ? value : null;
}

export function quoted(text: string | null, fallback: string): string {
  return text ? `“${text}”` : fallback;
}

export function words(code: string): string {
  return code.replace(/[_.]+/g, " ").trim();
}

/** "a, b and c". */
export function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * The named fields whose value differs between before and after, in the order of `labels`;
 * fields of the same label count once. Unnamed fields are left out.
 */
function changedFieldNames(before: Data, after: Data, labels: Record<string, string>): string[] {
  const names: string[] = [];
  for (const [key, label] of Object.entries(labels)) {
    if (!(key in before) && !(key in after)) continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    if (!names.includes(label)) names.push(label);
  }
  return names;
}

export function changed(p: Parts, labels: Record<string, string>, what: string, generic: string) {
  const fields = changedFieldNames(p.before, p.after, labels);
  return fields.length > 0
    ? `${p.who} changed the ${list(fields)} of ${what}`
    : `${p.who} updated ${generic === "" ? what : generic}`;
}

export const USER_FIELDS = {
  name: "name",
  email: "email address",
  role: "role",
  status: "status",
  accessExpiresAt: "access end date",
};
export const PERSON_FIELDS = {
  name: "name",
  email: "email address",
  jobRole: "job role",
  startDate: "start date",
  endDate: "end date",
  userId: "linked account",
};
export const POLICY_FIELDS = {
  title: "title",
  controlKey: "control",
  visibility: "visibility",
  audienceAll: "audience",
  audienceJobRoles: "audience",
};
export const NOTICE_FIELDS = {
  title: "title",
  body: "text",
  severity: "severity",
  kind: "kind",
  affectedServices: "affected services",
  incidentId: "linked incident",
};
export const DOCUMENT_FIELDS = {
  title: "title",
  description: "description",
  access: "access",
  shown: "visibility",
  position: "position",
  policy: "policy",
  fileName: "file",
};

export function trustFields(p: Parts): string {
  const keys = Object.keys(p.after).map((key) =>
    words(key.replace(/([A-Z])/g, " $1")).toLowerCase(),
  );
  return keys.length > 0 ? ` (${list(keys)})` : "";
}

export function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? "" : "s"}`;
}

export function forControl(p: Parts): string {
  const key = str(p.after, "controlKey") ?? str(p.before, "controlKey");
  return key ? ` for the control ${key}` : "";
}
