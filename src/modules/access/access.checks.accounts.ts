import { sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";

/**
 * accounts-unique (CONTROLS.md, unique-access-ids): on every in-scope system (production,
 * holding customer data, or classified confidential or restricted) as it stood at asOf, every
 * account that existed then was linked by then to one person, or was a service account whose
 * owner was active; a shared account fails. Due soon: a service account whose owner leaves
 * within accessExceptionWarnDays.
 */
interface AccountFinding {
  id: string;
  username: string;
  system_id: string;
  system_name: string;
  person_name: string | null;
  end_date: string | null;
  finding: "shared" | "unlinked" | "owner_inactive" | "owner_leaving";
}

const ACTIONS: Record<AccountFinding["finding"], (f: AccountFinding) => string> = {
  shared: (f) =>
    `Account ${f.username} is shared by several people: give each person an account of their own and remove it, or register it as a service account with one owner.`,
  unlinked: (f) =>
    `Account ${f.username} is linked to nobody: link it to the one person who uses it, register it as a service account with an owner, or remove it.`,
  owner_inactive: (f) =>
    `The owner of service account ${f.username}${f.person_name ? ` (${f.person_name})` : ""} is not active: give it an active owner or remove it.`,
  owner_leaving: (f) =>
    `The owner of service account ${f.username} (${f.person_name}) leaves on ${f.end_date}: give it another owner before then.`,
};

/** In scope: production, holding customer data, or classified confidential or restricted. */
const IN_SCOPE = sql`(sy.production or sy.customer_data
  or sy.classification in ('confidential', 'restricted'))`;

export async function accountsUnique(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const warnDay = isoDay(addDays(asOf, settings.accessExceptionWarnDays));
  // One pass over the accounts: counts and the first offenders aggregated together, nothing
  // materialized in between.
  const result = await sql<{
    in_scope: number;
    total: number;
    failing: number;
    due_soon: number;
    findings: AccountFinding[] | null;
  }>`
    with sy as materialized (${systemsAsOf(tx, asOf)}),
    p as materialized (${peopleAsOf(tx, asOf)}),
    existing as (
      select a.id, a.username, a.system_id, sy.name as system_name, p.name as person_name,
             p.end_date::text as end_date,
             case when a.shared then 'shared'
                  when a.person_id is null or a.linked_at > ${asOf} then 'unlinked'
                  when a.service and not coalesce(p.active, false) then 'owner_inactive'
                  when a.service and p.end_date is not null and p.end_date <= ${warnDay}::date
                    then 'owner_leaving'
             end as finding
      from accounts a
      join sy on sy.id = a.system_id and ${IN_SCOPE}
      left join p on p.id = a.person_id
      where a.created_at <= ${asOf} and (a.removed_at is null or a.removed_at > ${asOf})
    )
    select (select count(*) from sy where ${IN_SCOPE})::int as in_scope,
           count(*)::int as total,
           (count(*) filter (where finding <> 'owner_leaving'))::int as failing,
           (count(*) filter (where finding = 'owner_leaving'))::int as due_soon,
           (array_agg(jsonb_build_object('id', id, 'username', username, 'system_id', system_id,
              'system_name', system_name, 'person_name', person_name, 'end_date', end_date,
              'finding', finding)
            order by finding = 'owner_leaving', system_name, username, id)
            filter (where finding is not null))[1:${MAX_STORED_OFFENDERS}] as findings
    from existing`.execute(tx);
  const first = result.rows[0];
  if (Number(first?.in_scope ?? 0) === 0) {
    return {
      state: "not_applicable",
      message:
        "No system is in scope (production, holding customer data, or classified confidential or restricted).",
      offenders: [],
    };
  }
  const total = Number(first?.total ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = (first?.findings ?? []).map((f) => ({
    kind: "account",
    id: f.id,
    label: `${f.username} on ${f.system_name}`,
    link: `/systems/${encodeURIComponent(f.system_id)}`,
    action: ACTIONS[f.finding](f),
    state: f.finding === "owner_leaving" ? "due_soon" : "failing",
    ...(f.finding === "owner_leaving" && f.end_date
      ? { dueAt: new Date(`${f.end_date}T00:00:00Z`).toISOString() }
      : {}),
  }));
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} accounts on in-scope systems are shared, linked to nobody, or service accounts without an active owner.`,
      offenders,
      offenderCount: failing + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} service accounts on in-scope systems have an owner who leaves soon.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message: `Every one of the ${total} accounts on in-scope systems is linked to one person, or is a service account with an active owner.`,
    offenders: [],
  };
}
