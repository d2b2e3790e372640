import { type RawBuilder, sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import { roleChangeRevocations } from "../access/access.review-checks.service.ts";
import { accessEnded } from "../access/access.reviews.service.ts";
import {
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemLink, systemsNow } from "../systems/systems.queries.ts";

/**
 * access-removal's unneeded-access-removed (CONTROLS.md): every access review "revoke"
 * decision and every ended role assignment is carried out within
 * settings.accessReviewRevocationDays.
 *
 * (a) A revoke decision (made by asOf) is due its decision + the days; carried out when its
 * grant is revoked or its account removed (at once if that was already so when decided), as
 * the access area's accessEnded says.
 * (b) A change of job role of a person still employed leaves some role-rule grants without
 * their reason (access.review-checks.service.ts says which): each is due the change + the days,
 * carried out when revoked.
 *
 * Each counts while open, and for LOOKBACK_DAYS after its due date (like terminated-access-
 * removed), so a late revocation stays visible: failing when open past due or carried out
 * late, due soon when open and not yet due; not applicable with nothing in the lookback.
 */
export const LOOKBACK_DAYS = 365;

type Kind = "review" | "role_change";

interface Finding {
  kind: Kind;
  id: string;
  person_id: string | null;
  person_name: string | null;
  person_number: number | null;
  system_id: string;
  system_name: string | null;
  username: string | null;
  system_role: string | null;
  admin: boolean;
  /** When the decision was taken or the role ended. */
  since: Date;
  /** The review's name (review), or the role that ended (role change). */
  context: string;
  to_role: string | null;
  due_at: Date;
  done_at: Date | null;
  state: "failing" | "due_soon";
}

interface Totals {
  total: string;
  failing: string;
  due_soon: string;
}

function judged(context: TestContext): RawBuilder<Finding> {
  const { tx, asOf, settings } = context;
  const days = sql`make_interval(days => ${settings.accessReviewRevocationDays})`;
  const since = addDays(asOf, -LOOKBACK_DAYS);
  return sql<Finding>`
    with items as (
      select 'review'::text as kind, i.id, i.person_id, i.system_id, i.username,
             i.system_role, i.admin, i.decided_at as since, r.name as context,
             null::text as to_role, i.decided_at + ${days} as due_at,
             ended.ended_at as done_at
      from access_review_items i
      join access_reviews r on r.id = i.review_id
      left join (${accessEnded(tx)}) ended on ended.id = coalesce(i.grant_id, i.account_id)
      where i.decision = 'revoke' and i.decided_at <= ${asOf}
      union all
      select 'role_change', rc.grant_id, rc.person_id, rc.system_id, null, rc.system_role,
             rc.admin, rc.changed_at, rc.from_role, rc.to_role, rc.changed_at + ${days},
             rc.revoked_at
      from (${roleChangeRevocations(asOf)}) rc
    )
    select items.*,
           case when items.done_at is null or items.done_at > ${asOf} then
                  case when items.due_at < ${asOf} then 'failing' else 'due_soon' end
                when items.done_at > items.due_at then 'failing' end as state
    from items
    where items.done_at is null or items.done_at > ${asOf} or items.due_at > ${since}`;
}

async function findings(context: TestContext) {
  const { tx, asOf } = context;
  const result = await sql<Finding & Totals>`
    with j as materialized (${judged(context)}),
    totals as (
      select count(*) as total, count(*) filter (where state = 'failing') as failing,
             count(*) filter (where state = 'due_soon') as due_soon
      from j
    )
    select totals.*, f.*
    from totals
    left join lateral (
      select j.*, p.name as person_name, p.number as person_number, sy.name as system_name
      from (select * from j where state is not null
            order by state = 'due_soon', due_at, kind, id
            limit ${MAX_STORED_OFFENDERS}) j
      left join (${peopleAsOf(tx, asOf)}) p on p.id = j.person_id
      left join (${systemsNow(tx)}) sy on sy.id = j.system_id
    ) f on true`.execute(tx);
  const first = result.rows[0];
  return {
    total: Number(first?.total ?? 0),
    failing: Number(first?.failing ?? 0),
    dueSoon: Number(first?.due_soon ?? 0),
    rows: result.rows.filter((row) => row.id !== null),
  };
}

function label(f: Finding): string {
  const system = f.system_name ?? "a system";
  const person = f.person_name
    ? `${f.person_name} (${personReference(Number(f.person_number))})`
    : null;
  if (f.system_role) {
    const what = `${f.system_role}${f.admin ? " (admin)" : ""} on ${system}`;
    return person ? `${person}: ${what}` : what;
  }
  const account = `account ${f.username ?? ""} on ${system}`;
  return person ? `${person}: ${account}` : `An ${account}`;
}

function action(f: Finding, asOf: Date): string {
  const due = isoDay(new Date(f.due_at));
  const since = isoDay(new Date(f.since));
  const what =
    f.kind === "review"
      ? `the access review "${f.context}" decided on ${since} to ${f.system_role ? "revoke" : "remove"} it`
      : `${f.person_name ?? "its holder"} moved from ${f.context} to ${f.to_role ?? "no job role"} on ${since} and no rule of the new role implies it`;
  const done = f.done_at && new Date(f.done_at) <= asOf ? new Date(f.done_at) : null;
  if (done) {
    return `It was ${f.system_role ? "revoked" : "removed"} on ${isoDay(done)}, after its deadline of ${due} (${what}): find out why and revoke in time (it counts here for ${LOOKBACK_DAYS} days after the deadline).`;
  }
  const todo = f.system_role ? "Revoke the grant" : "Remove the account";
  if (f.state === "due_soon") return `${todo} by ${due}: ${what}.`;
  return `${todo} now: ${what}; it was due on ${due}.`;
}

function offenderOf(f: Finding, asOf: Date): Offender {
  return {
    kind: f.kind === "review" ? "access_review_item" : "access_grant",
    id: f.id,
    label: label(f),
    link: f.person_id ? `/people/${encodeURIComponent(f.person_id)}` : systemLink(f.system_id),
    dueAt: new Date(f.due_at).toISOString(),
    state: f.state,
    action: action(f, asOf),
  };
}

export async function unneededAccessRemoved(context: TestContext): Promise<TestOutcome> {
  const { asOf, settings } = context;
  const days = settings.accessReviewRevocationDays;
  const found = await findings(context);
  if (found.total === 0) {
    return {
      state: "not_applicable",
      message: `No access review decided to revoke access and no change of job role ended a role's access in the last ${LOOKBACK_DAYS} days.`,
      offenders: [],
    };
  }
  if (found.failing + found.dueSoon === 0) {
    return {
      state: "passing",
      message: `Every one of the ${found.total} revocations asked by access reviews or by changes of job role was carried out within ${days} days.`,
      offenders: [],
    };
  }
  const offenders = found.rows.map((f) => offenderOf(f, asOf));
  const offenderCount = found.failing + found.dueSoon;
  if (found.failing > 0) {
    return {
      state: "failing",
      message: `${found.failing} revocations asked by access reviews or by changes of job role were not carried out within ${days} days.`,
      offenders,
      offenderCount,
    };
  }
  return {
    state: "due_soon",
    message: `${found.dueSoon} revocations asked by access reviews or by changes of job role are due within ${days} days.`,
    offenders,
    offenderCount,
  };
}
