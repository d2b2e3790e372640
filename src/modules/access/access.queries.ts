import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";

/**
 * The access area's reads that others use, and the one definition of what justifies a grant
 * at a moment, shared by the grants list (now) and the checks (at any asOf).
 */

/**
 * SQL conditions on a grant aliased `g` whose person, as of `asOf`, is aliased `p` (a row of
 * peopleAsOf: `p.job_role` is the job role held then). Each reads only facts dated by asOf.
 */
export function grantConditions(asOf: Date) {
  /** Given at or before asOf and not yet taken away. */
  const active = sql<boolean>`(g.granted_at is not null and g.granted_at <= ${asOf}
    and (g.revoked_at is null or g.revoked_at > ${asOf}))`;
  /** Approved through an access request, decided by asOf (not admin unless asked for). */
  const byRequest = sql<boolean>`exists (select 1 from access_requests ar
    where ar.id = g.access_request_id and ar.status = 'approved' and ar.decided_at <= ${asOf}
      and (ar.admin or not g.admin))`;
  const ruleFor = (extra: RawBuilder<unknown>) => sql<boolean>`exists (select 1 from role_rules rr
    where rr.system_id = g.system_id and rr.job_role = p.job_role
      and rr.system_role = g.system_role and rr.created_at <= ${asOf}
      and (rr.removed_at is null or rr.removed_at > ${asOf}) ${extra})`;
  /** Implied by a role rule in force for the person's job role then, admin included. */
  const byRule = ruleFor(sql`and (rr.admin or not g.admin)`);
  /** A rule gives the same system role, but not as admin. */
  const sameRoleRule = ruleFor(sql``);
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
};

/** A person's grants and accounts now, counted (for a person's page and offboarding). */
export async function accessCountsOfPerson(tx: Tx, personId: string) {
  const row = await sql<{ grants: string; accounts: string }>`
    select (select count(*) from access_grants g where g.person_id = ${personId}
              and g.granted_at is not null and g.revoked_at is null) as grants,
           (select count(*) from accounts a where a.person_id = ${personId}
              and a.removed_at is null) as accounts`.execute(tx);
  return { grants: Number(row.rows[0]?.grants ?? 0), accounts: Number(row.rows[0]?.accounts ?? 0) };
}
