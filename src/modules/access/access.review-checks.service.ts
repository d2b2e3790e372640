import { type QueryCreator, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/types.ts";
import { jobRoleChangesBy } from "../people/people.queries.ts";

/**
 * The access area's pieces of the access-reviews area's checks (access-reviews-current and
 * unneeded-access-removed), which may not name the access tables: derived tables to join on,
 * each reading only facts recorded by `asOf`.
 */

/**
 * Every grant recorded by `asOf` that was given at some point: a derived table to join on
 * `system_id` (alias it with `.as(...)`). Columns: id, system_id, person_id, granted_at,
 * revoked_at (null while active) and changed_at, when the row was last written (recorded or
 * updated: every writer of grants sets updated_at). A review covers a system when every grant
 * of it active at the review's start (granted by then, not revoked by then) has an item in
 * it. The campaign froze every grant active when it started as it stood then, so only a grant
 * written after the start (changed_at later) can lack its item: the check joins only those.
 */
export function grantsRecordedBy(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("access_grants")
    .select([
      "id",
      "system_id",
      "person_id",
      "granted_at",
      "revoked_at",
      sql<Date>`greatest(created_at, updated_at)`.as("changed_at"),
    ])
    .where("created_at", "<=", asOf)
    .where("granted_at", "is not", null);
}

/** A grant a change of job role left without its reason (see roleChangeRevocations). */
export interface RoleChangeRevocation {
  grant_id: string;
  person_id: string;
  system_id: string;
  system_role: string;
  admin: boolean;
  from_role: string;
  to_role: string | null;
  changed_at: Date;
  /** When it was revoked (null while active). */
  revoked_at: Date | null;
}

/**
 * The grants each change of job role (by `asOf`, of a person still employed) should have
 * revoked: active when the role ended, given by a role rule of the role that ended, not
 * implied by a rule of the role that followed (same system and system role, admin no broader;
 * a rule in force at the change or at asOf), and justified neither by a request approved by
 * asOf nor by an exception approved by asOf with a reason that ran past the change. A derived
 * table: `from (${roleChangeRevocations(asOf)}) rc`.
 */
export function roleChangeRevocations(asOf: Date): RawBuilder<RoleChangeRevocation> {
  return sql<RoleChangeRevocation>`
    select g.id as grant_id, g.person_id, g.system_id, g.system_role, g.admin,
           jc.from_role, jc.to_role, jc.changed_at, g.revoked_at
    from (${jobRoleChangesBy(asOf)}) jc
    join access_grants g on g.person_id = jc.person_id
    join role_rules rr on rr.id = g.role_rule_id and rr.job_role = jc.from_role
    left join access_requests ar on ar.id = g.access_request_id
      and ar.status = 'approved' and ar.decided_at <= ${asOf}
    where g.basis = 'role_rule' and g.created_at <= ${asOf}
      and g.granted_at is not null and g.granted_at <= jc.changed_at
      and (g.revoked_at is null or g.revoked_at > jc.changed_at)
      and not (ar.id is not null and (ar.admin or not g.admin))
      and not (g.exception_approved_at is not null and g.exception_approved_at <= ${asOf}
               and g.exception_expires_at > jc.changed_at
               and btrim(coalesce(g.exception_reason, '')) <> '')
      and not exists (
        select 1 from role_rules nr
        where nr.job_role = jc.to_role and nr.system_id = g.system_id
          and nr.system_role = g.system_role and (nr.admin or not g.admin)
          and ((nr.created_at <= jc.changed_at
                and (nr.removed_at is null or nr.removed_at > jc.changed_at))
            or (nr.created_at <= ${asOf} and (nr.removed_at is null or nr.removed_at > ${asOf}))))`;
}
