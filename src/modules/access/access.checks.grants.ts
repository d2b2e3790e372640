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

/**
 * Judges the active grants for several checks in one pass: each spec gets its counts and its
 * first MAX_STORED_OFFENDERS findings (failing first, then by expiry), from a single scan of
 * the grants joined once to the people, the inventory, the rules and the requests as of asOf.
 * The three grant checks share it through the evaluation's memo (`sharedGrantChecks`), so an
 * evaluation reads the grants once rather than three times.
 */
export async function grantChecks<K extends string>(
  context: TestContext,
  specs: Record<K, GrantCheckSpec>,
): Promise<Record<K, GrantCheckResult>> {
  const { tx, asOf, settings } = context;
  const c = grantConditions(asOf);
  const warnUntil = addDays(asOf, settings.accessExceptionWarnDays);
  const names = Object.keys(specs) as K[];
  const columns = names.map((name, i) => {
    const spec = specs[name];
    return sql`(${spec.scope} and ${spec.grants}) as in_${sql.raw(String(i))},
      case when ${spec.fine} then null
           when ${c.exceptionInForce} then
             case when g.exception_expires_at <= ${warnUntil} then 'due_soon' end
           else 'failing' end as state_${sql.raw(String(i))},
      case when ${spec.fine} or ${c.exceptionInForce} then null
           else ${spec.finding} end as finding_${sql.raw(String(i))}`;
  });
  const aggregates = names.map((name, i) => {
    const n = sql.raw(String(i));
    return sql`(select count(*) from sy where ${specs[name].scope})::int as in_scope_${n},
      (count(*) filter (where in_${n}))::int as total_${n},
      (count(*) filter (where in_${n} and state_${n} = 'failing'))::int as failing_${n},
      (count(*) filter (where in_${n} and state_${n} = 'due_soon'))::int as due_soon_${n},
      (array_agg(jsonb_build_object('id', id, 'person_id', person_id, 'person_name', person_name,
         'person_number', person_number, 'job_role', job_role, 'person_active', person_active,
         'system_id', system_id, 'system_name', system_name, 'system_role', system_role,
         'admin', admin, 'state', state_${n}, 'finding', finding_${n},
         'exception_expires_at', exception_expires_at)
       order by state_${n} = 'due_soon', exception_expires_at nulls first, id)
       filter (where in_${n} and state_${n} is not null))[1:${MAX_STORED_OFFENDERS}] as findings_${n}`;
  });
  const result = await sql<Record<string, unknown>>`
    with sy as materialized (${systemsAsOf(tx, asOf)}),
    p as materialized (${peopleAsOf(tx, asOf)}),
    judged as (
      select g.id, g.person_id, g.system_id, g.system_role, g.admin, g.exception_expires_at,
             p.name as person_name, p.number as person_number, p.job_role,
             p.active as person_active, sy.name as system_name,
             ${sql.join(columns)}
      from access_grants g
      join sy on sy.id = g.system_id
      join p on p.id = g.person_id
      left join (${rulesInForce(tx, asOf)}) rr on rr.system_id = g.system_id
        and rr.job_role = p.job_role and rr.system_role = g.system_role
      left join (${approvedRequests(tx, asOf)}) ar on ar.id = g.access_request_id
      where ${c.active}
    )
    select ${sql.join(aggregates)} from judged`.execute(tx);
  const row = result.rows[0] ?? {};
  const out = {} as Record<K, GrantCheckResult>;
  names.forEach((name, i) => {
    const findings = (row[`findings_${i}`] ?? []) as (GrantFinding & {
      exception_expires_at: string | null;
    })[];
    out[name] = {
      inScope: Number(row[`in_scope_${i}`] ?? 0),
      grants: Number(row[`total_${i}`] ?? 0),
      failing: Number(row[`failing_${i}`] ?? 0),
      dueSoon: Number(row[`due_soon_${i}`] ?? 0),
      findings: findings.map((f) => ({
        ...f,
        exception_expires_at: f.exception_expires_at ? new Date(f.exception_expires_at) : null,
      })),
    };
  });
  return out;
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
