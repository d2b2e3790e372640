import type { Tx } from "../../db/tenant.ts";
import type { ImportProblem } from "../../platform/csv.ts";
import { errors } from "../../platform/errors.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { type ExportRow, readExport } from "./access.import.parse.ts";

/**
 * Import of a system's user export: accounts and the grants their roles stand for, matched to
 * people by email. The preview says what each line would do and names every bad row; the
 * commit re-validates and writes everything in one change, or nothing (`ImportRejected`).
 * Importing the same file again changes nothing.
 *
 * An account unmatched by email stays unlinked unless `decisions` says otherwise: link it to a
 * person, register it as a service account with an owner. Grants are only for accounts linked
 * to a person (not service accounts). With `removeMissing`, active accounts and grants of the
 * system that the file does not list are removed (each with its own audit event).
 */
export type Decision = { personId: string } | { serviceOwnerId: string } | "leave_unlinked";

export interface ImportInput {
  csv: string;
  decisions?: Record<string, Decision> | undefined;
  removeMissing?: boolean | undefined;
}

type AccountAction = "create" | "update" | "unchanged";
type GrantAction = "create" | "unchanged" | "role_change" | "confirm" | "none";

export interface Person {
  id: string;
  name: string;
  number: number;
  active: boolean;
}
export interface ExistingAccount {
  id: string;
  username: string;
  email: string | null;
  person_id: string | null;
  service: boolean;
  last_login_at: Date | null;
}
export interface ExistingGrant {
  id: string;
  person_id: string;
  system_role: string;
  admin: boolean;
  granted_at: Date | null;
}
export interface PlannedLine {
  row: ExportRow;
  existing: ExistingAccount | undefined;
  person: Person | null;
  match: "email" | "link" | "decision" | "service" | null;
  service: boolean;
  account: AccountAction;
  grant: GrantAction;
}

/** The commit found problems: nothing was written. */
export class ImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`the file has ${problems.length} problem(s); nothing was imported`);
  }
}

export async function plan(tx: Tx, systemId: string, input: ImportInput) {
  const system = await systemsAsOf(tx, new Date())
    .where("system_id", "=", systemId)
    .select(["system_id"])
    .executeTakeFirst();
  if (!system) throw errors.notFound("The system");
  const now = new Date();
  const { rows, problems, lines } = readExport(input.csv, now);

  const people = (await peopleAsOf(tx, now).execute()).map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    number: p.number,
    active: Boolean(p.active),
  }));
  const byId = new Map<string, Person>(people.map((p) => [p.id, p]));
  const byEmail = new Map<string, Person>(people.map((p) => [p.email.toLowerCase(), p]));
  const accounts = await tx
    .selectFrom("accounts")
    .select(["id", "username", "email", "person_id", "service", "last_login_at"])
    .where("system_id", "=", systemId)
    .where("removed_at", "is", null)
    .execute();
  const accountOf = new Map(accounts.map((a) => [a.username.toLowerCase(), a]));
  const grants = await tx
    .selectFrom("access_grants")
    .select(["id", "person_id", "system_role", "admin", "granted_at"])
    .where("system_id", "=", systemId)
    .where("revoked_at", "is", null)
    .where("cancelled_at", "is", null)
    .execute();
  const grantOf = new Map(grants.map((g) => [`${g.person_id}\u0000${g.system_role}`, g]));

  const decisions = input.decisions ?? {};
  const decisionOf = new Map(Object.entries(decisions).map(([k, v]) => [k.toLowerCase(), v]));
  const planned: PlannedLine[] = [];
  for (const row of rows) {
    const existing = accountOf.get(row.username.toLowerCase());
    let person: Person | null = null;
    let match: PlannedLine["match"] = null;
    let service = existing?.service ?? false;
    if (existing?.person_id) {
      person = byId.get(existing.person_id) ?? null;
      match = service ? "service" : "link";
    } else if (row.email && byEmail.has(row.email)) {
      person = byEmail.get(row.email) ?? null;
      match = "email";
    } else {
      const decision = decisionOf.get(row.username.toLowerCase());
      if (decision && decision !== "leave_unlinked") {
        const id = "personId" in decision ? decision.personId : decision.serviceOwnerId;
        const chosen = byId.get(id);
        const field = "personId" in decision ? "personId" : "serviceOwnerId";
        if (!chosen) {
          problems.push({
            line: row.line,
            column: "username",
            message: `decisions.${row.username}.${field}: no such person`,
          });
        } else if (field === "serviceOwnerId" && !chosen.active) {
          problems.push({
            line: row.line,
            column: "username",
            message: `decisions.${row.username}.serviceOwnerId: ${chosen.name} is not an active person`,
          });
        } else {
          person = chosen;
          service = field === "serviceOwnerId";
          match = service ? "service" : "decision";
        }
      }
    }
    const linkChanges = !existing?.person_id && person !== null;
    const account: AccountAction = !existing
      ? "create"
      : linkChanges ||
          (row.email !== null && row.email !== existing.email) ||
          (row.lastLoginAt !== null &&
            row.lastLoginAt.getTime() !== existing.last_login_at?.getTime())
        ? "update"
        : "unchanged";
    planned.push({ row, existing, person, match, service, account, grant: "none" });
  }

  // The grants the file stands for, by person and role; what the person holds beyond them on
  // this system is a role change when the file lists the person with a role.
  const wanted = new Map<string, { personId: string; role: string; admin: boolean }>();
  const rolesListed = new Set<string>();
  for (const line of planned) {
    if (!line.person || line.service || line.row.role === null) continue;
    const key = `${line.person.id}\u0000${line.row.role}`;
    rolesListed.add(line.person.id);
    const held = grantOf.get(key);
    const previous = wanted.get(key);
    wanted.set(key, {
      personId: line.person.id,
      role: line.row.role,
      admin: line.row.admin || previous?.admin === true,
    });
    line.grant = !held
      ? "create"
      : held.admin !== line.row.admin
        ? "role_change"
        : held.granted_at
          ? "unchanged"
          : "confirm";
  }
  const roleChanged: ExistingGrant[] = [];
  const missingGrants: ExistingGrant[] = [];
  const linesOf = new Map<string, PlannedLine[]>();
  for (const line of planned) {
    if (line.person && line.grant === "create") {
      linesOf.set(line.person.id, [...(linesOf.get(line.person.id) ?? []), line]);
    }
  }
  for (const grant of grants) {
    const want = wanted.get(`${grant.person_id}\u0000${grant.system_role}`);
    if (want && want.admin === grant.admin) continue;
    if (want) {
      roleChanged.push(grant); // the admin flag changed: replaced by the file's grant
    } else if (rolesListed.has(grant.person_id)) {
      // A pending grant not yet in the export is still on its way: left alone.
      if (!grant.granted_at) continue;
      roleChanged.push(grant);
      for (const line of linesOf.get(grant.person_id) ?? []) line.grant = "role_change";
    } else if (grant.granted_at) {
      missingGrants.push(grant);
    }
  }
  const listed = new Set(rows.map((r) => r.username.toLowerCase()));
  const missingAccounts = accounts.filter((a) => !listed.has(a.username.toLowerCase()));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    rows,
    problems,
    lines,
    planned,
    wanted,
    grantOf,
    roleChanged,
    missingGrants,
    missingAccounts,
    byId,
  };
}

export type Plan = Awaited<ReturnType<typeof plan>>;

export function count<T>(items: readonly T[], test: (item: T) => boolean) {
  return items.reduce((n, item) => n + (test(item) ? 1 : 0), 0);
}
