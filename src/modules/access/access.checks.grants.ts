import { type RawBuilder, sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { approvedRequests, grantConditions, rulesInForce } from "./access.queries.ts";

/**
 * The grant checks (CONTROLS.md): customer-data-need-to-know, admin-grants-approved and
 * grants-justified. Each is one set-based query over the grants active at asOf, joined to
 * the people and the inventory as they stood then: a grant that its rule does not justify
 * fails, unless an approved exception with a reason is in force (then it is due soon when the
 * exception expires within accessExceptionWarnDays).
 */

export interface GrantFinding {
  id: string;
  person_id: string;
  person_name: string;
  person_number: number;
  job_role: string | null;
  person_active: boolean;
  system_id: string;
  system_name: string;
  system_role: string;
  admin: boolean;
  state: "failing" | "due_soon";
  /** Why it fails (the check's own words), or null when due soon. */
  finding: string | null;
  exception_expires_at: Date | null;
}

interface GrantCheckSpec {
  /** Which systems are in scope (a condition on `sy`, a row of systemsAsOf). */
  scope: RawBuilder<unknown>;
  /** Which active grants it looks at (a condition on `g`). */
  grants: RawBuilder<unknown>;
  /** When a grant is fine without an exception (conditions on g, p, sy). */
  fine: RawBuilder<unknown>;
  /** The finding of a grant that is not fine and has no exception in force (text). */
  finding: RawBuilder<unknown>;
}

export interface GrantCheckResult {
  inScope: number;
  /** Active grants in scope. */
  grants: number;
  failing: number;
  dueSoon: number;
  findings: GrantFinding[];
}

export async function grantCheck(
  context: TestContext,
  spec: GrantCheckSpec,
): Promise<GrantCheckResult> {
  const { tx, asOf, settings } = context;
  const c = grantConditions(asOf);
  const warnUntil = addDays(asOf, settings.accessExceptionWarnDays);
  const result = await sql<
    GrantFinding & { in_scope: string; total: string; failing: string; due_soon: string }
  >`
    with sy as materialized (${systemsAsOf(tx, asOf)}),
    scope as (select * from sy where ${spec.scope}),
    p as materialized (${peopleAsOf(tx, asOf)}),
    judged as (
      select g.id, g.person_id, g.system_id, g.exception_expires_at,
             case when ${spec.fine} then null
                  when ${c.exceptionInForce} then
                    case when g.exception_expires_at <= ${warnUntil} then 'due_soon' end
                  else 'failing' end as state,
             case when ${spec.fine} or ${c.exceptionInForce} then null
                  else ${spec.finding} end as finding
      from access_grants g
      join scope on scope.id = g.system_id
      join p on p.id = g.person_id
      left join (${rulesInForce(tx, asOf)}) rr on rr.system_id = g.system_id
        and rr.job_role = p.job_role and rr.system_role = g.system_role
      left join (${approvedRequests(tx, asOf)}) ar on ar.id = g.access_request_id
      where ${c.active} and ${spec.grants}
    ),
    totals as (
      select count(*) as total, count(*) filter (where state = 'failing') as failing,
             count(*) filter (where state = 'due_soon') as due_soon
      from judged
    )
    select (select count(*) from scope) as in_scope, totals.*, f.*
    from totals
    left join lateral (
      select j.*, p.name as person_name, p.number as person_number, p.job_role,
             p.active as person_active, scope.name as system_name, g.system_role, g.admin
      from (select * from judged where state is not null
            order by state = 'due_soon', exception_expires_at nulls first, id
            limit ${MAX_STORED_OFFENDERS}) j
      join p on p.id = j.person_id
      join scope on scope.id = j.system_id
      join access_grants g on g.id = j.id
    ) f on true`.execute(tx);
  const first = result.rows[0];
  return {
    inScope: Number(first?.in_scope ?? 0),
    grants: Number(first?.total ?? 0),
    failing: Number(first?.failing ?? 0),
    dueSoon: Number(first?.due_soon ?? 0),
    findings: result.rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        ...row,
        exception_expires_at: row.exception_expires_at && new Date(row.exception_expires_at),
      })),
  };
}

/** A grant's name in an offender: whose, what, where. */
export function grantLabel(f: GrantFinding): string {
  return `${f.person_name} (${personReference(f.person_number)}): ${f.system_role}${
    f.admin ? " (admin)" : ""
  } on ${f.system_name}`;
}

/** The offenders of a grant check: what to do for each, failing ones first. */
export function grantOffenders(
  findings: GrantFinding[],
  failingAction: (f: GrantFinding) => string,
): Offender[] {
  return findings.map((f) => {
    const base = {
      kind: "access_grant",
      id: f.id,
      label: grantLabel(f),
      link: `/people/${encodeURIComponent(f.person_id)}`,
    };
    if (f.state === "due_soon" && f.exception_expires_at) {
      return {
        ...base,
        state: "due_soon" as const,
        dueAt: f.exception_expires_at.toISOString(),
        action: `The exception for this grant expires on ${isoDay(f.exception_expires_at)}: revoke the grant, or renew the exception with a reason.`,
      };
    }
    return { ...base, state: "failing" as const, action: failingAction(f) };
  });
}

/** The outcome from the counts: failing, due soon or passing, with the offenders capped. */
export function grantOutcome(
  result: GrantCheckResult,
  offenders: Offender[],
  messages: { passing: string; failing: string; dueSoon: string },
): TestOutcome {
  if (result.failing > 0) {
    return {
      state: "failing",
      message: messages.failing,
      offenders,
      offenderCount: result.failing + result.dueSoon,
    };
  }
  if (result.dueSoon > 0) {
    return {
      state: "due_soon",
      message: messages.dueSoon,
      offenders,
      offenderCount: result.dueSoon,
    };
  }
  return { state: "passing", message: messages.passing, offenders: [] };
}
