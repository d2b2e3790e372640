import { type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";

/**
 * The access area's reads that others use, and the one definition of what justifies a grant
 * at a moment, shared by the grants list (now) and the checks (at any asOf).
 */

/**
 * The role rules in force at `asOf`, one row per system, job role and system role (admin when
 * any such rule gives admin): a derived table to left join as `rr` on the grant's system and
 * system role and its person's job role then.
 */
export function rulesInForce(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("role_rules")
    .select(["system_id", "job_role", "system_role", sql<boolean>`bool_or(admin)`.as("admin")])
    .where("created_at", "<=", asOf)
    .where((eb) => eb.or([eb("removed_at", "is", null), eb("removed_at", ">", asOf)]))
    .groupBy(["system_id", "job_role", "system_role"]);
}

/** The access requests approved by `asOf`: a derived table to left join as `ar` on the grant's. */
export function approvedRequests(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("access_requests")
    .select(["id", "admin"])
    .where("status", "=", "approved")
    .where("decided_at", "<=", asOf);
}

/**
 * SQL conditions on a grant aliased `g`, with `rr` (rulesInForce) and `ar` (approvedRequests)
 * left joined to it at the same `asOf`. Each reads only facts dated by asOf.
 */
export function grantConditions(asOf: Date) {
  /** Given at or before asOf and not yet taken away. */
  const active = sql<boolean>`(g.granted_at is not null and g.granted_at <= ${asOf}
    and (g.revoked_at is null or g.revoked_at > ${asOf}))`;
  /** Approved through an access request, decided by asOf (not admin unless asked for). */
  const byRequest = sql<boolean>`(ar.id is not null and (ar.admin or not g.admin))`;
  /** Implied by a role rule in force for the person's job role then, admin included. */
  const byRule = sql<boolean>`(rr.system_id is not null and (rr.admin or not g.admin))`;
  /** A rule gives the same system role (perhaps not as admin). */
  const sameRoleRule = sql<boolean>`(rr.system_id is not null)`;
  /** An approved exception with a reason, in force at asOf. */
  const exceptionInForce = sql<boolean>`(g.exception_approved_at is not null
    and g.exception_approved_at <= ${asOf} and g.exception_expires_at > ${asOf}
    and btrim(coalesce(g.exception_reason, '')) <> '')`;
  const exceptionExpired = sql<boolean>`(g.exception_approved_at is not null
    and g.exception_approved_at <= ${asOf} and g.exception_expires_at <= ${asOf})`;
  const justification = sql<"role_rule" | "request" | "exception" | null>`case
    when not ${active} then null
    when ${byRule} then 'role_rule' when ${byRequest} then 'request'
    when ${exceptionInForce} then 'exception' end`;
  /** least-privilege's finding on an active grant that nothing justifies. */
  const flag = sql<"unjustified" | "broader_than_rule" | "exception_expired" | null>`case
    when not ${active} or ${byRule} or ${byRequest} or ${exceptionInForce} then null
    when g.admin and ${sameRoleRule} then 'broader_than_rule'
    when ${exceptionExpired} then 'exception_expired'
    else 'unjustified' end`;
  return {
    active,
    byRequest,
    byRule,
    sameRoleRule,
    exceptionInForce,
    exceptionExpired,
    justification,
    flag,
  };
}

function grantLabel(row: { system_role: string; admin: boolean }) {
  return `${row.system_role}${row.admin ? " (admin)" : ""} grant`;
}

/** The audit log's labels of grants, accounts and role rules (from this area's own tables). */
export const accessAuditTargets = {
  access_grant: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("access_grants")
          .select(["id", "person_id", "system_role", "admin"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: grantLabel(r),
        path: `/people/${encodeURIComponent(r.person_id)}`,
      })),
  },
  account: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("accounts")
          .select(["id", "system_id", "username"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `Account ${r.username}`,
        path: `/systems/${encodeURIComponent(r.system_id)}`,
      })),
  },
  role_rule: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("role_rules")
          .select(["id", "job_role", "system_role", "admin"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `${r.job_role} → ${r.system_role}${r.admin ? " (admin)" : ""}`,
        path: "/access/role-rules",
      })),
  },

  access_request: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("access_requests")
          .select(["id", "system_role"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `Access request for ${r.system_role}`,
        path: `/access/requests/${encodeURIComponent(r.id)}`,
      })),
  },
  access_task: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("access_tasks")
          .select(["id", "kind", "reason"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `Access task (${r.kind === "grant" ? "give" : "revoke"}, ${r.reason.replace("_", " ")})`,
        path: "/access/tasks?mine=false&state=all",
      })),
  },
  access_key: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("access_keys")
          .select(["id", "name", "kind"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `${r.kind === "ssh" ? "SSH key" : r.kind === "cloud" ? "Cloud access key" : "API key"} ${r.name}`,
        path: `/access-keys/${encodeURIComponent(r.id)}`,
      })),
  },
  host_key_listing: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("host_key_listings")
          .select(["id", "host", "collected_at"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `Keys of ${r.host} on ${r.collected_at.toISOString().slice(0, 10)}`,
        path: `/key-listings/${encodeURIComponent(r.id)}`,
      })),
  },
};
