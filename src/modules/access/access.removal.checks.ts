import { type RawBuilder, sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";

/**
 * access-removal's terminated-access-removed (CONTROLS.md): every person who left has every
 * grant, account and access key they held on their end date revoked within accessRevocationDays of it (due
 * soon from the end date on). A leaver counts while anything is still open, and for a year
 * after the end date (like reporting's lookback), so a late revocation stays visible through
 * the period in which it happened. An access key counts from the day it was made.
 * The other test of access-removal (unneeded-access-removed) comes with issue 12 too.
 */
const CONTROLS = ["access-removal"] as const;
export const LEAVER_LOOKBACK_DAYS = 365;

interface Judged {
  id: string;
  name: string;
  number: number;
  due_at: Date;
  open: number;
  late: number;
  open_keys: number;
  late_keys: number;
}

/** Each leaver with access on their end date: how much is still open, how much came late. */
function judged(context: TestContext): RawBuilder<Judged> {
  const { tx, asOf, settings } = context;
  const since = addDays(asOf, -LEAVER_LOOKBACK_DAYS);
  const days = settings.accessRevocationDays;
  return sql<Judged>`
    with leavers as (
      select p.id, p.name, p.number, (p.end_date::timestamp at time zone 'UTC') as ended_at
      from (${peopleAsOf(tx, asOf)}) p
      where p.end_date is not null and p.end_date <= ${isoDay(asOf)}::date
    ),
    items as (
      select l.id as person_id, g.revoked_at as done_at, false as is_key
      from leavers l join access_grants g on g.person_id = l.id
      where g.granted_at is not null and g.granted_at <= ${asOf}
        and (g.revoked_at is null or g.revoked_at > l.ended_at)
      union all
      select l.id, a.removed_at, false
      from leavers l join accounts a on a.person_id = l.id
      where a.service = false and a.created_at <= ${asOf}
        and (a.removed_at is null or a.removed_at > l.ended_at)
      union all
      select l.id, k.revoked_at, true
      from leavers l join access_keys k on k.person_id = l.id
      where k.created_on <= ${isoDay(asOf)}::date
        and (k.revoked_at is null or k.revoked_at > l.ended_at)
    )
    select l.id, l.name, l.number,
      l.ended_at + make_interval(days => ${days}) as due_at,
      count(*) filter (where i.done_at is null or i.done_at > ${asOf})::int as open,
      count(*) filter (where i.is_key and (i.done_at is null or i.done_at > ${asOf}))::int
        as open_keys,
      count(*) filter (where i.is_key and i.done_at <= ${asOf}
        and i.done_at > l.ended_at + make_interval(days => ${days}))::int as late_keys,
      count(*) filter (where i.done_at <= ${asOf}
        and i.done_at > l.ended_at + make_interval(days => ${days}))::int as late
    from leavers l join items i on i.person_id = l.id
    group by l.id, l.name, l.number, l.ended_at
    having count(*) filter (where i.done_at is null or i.done_at > ${asOf}) > 0
      or l.ended_at > ${since}`;
}

function offenderOf(row: Judged, asOf: Date): Offender {
  const dueAt = new Date(row.due_at);
  const due = isoDay(dueAt);
  const what = (n: number, keys: number) => {
    const s = n === 1 ? "" : "s";
    return keys > 0 ? `${n} grant${s}, account${s} or key${s}` : `${n} grant${s} or account${s}`;
  };
  const base = {
    kind: "person",
    id: row.id,
    label: `${row.name} (${personReference(row.number)})`,
    link: `/people/${encodeURIComponent(row.id)}`,
    dueAt: dueAt.toISOString(),
  };
  if (row.open > 0 && dueAt < asOf) {
    return {
      ...base,
      state: "failing",
      action: `Revoke the ${what(row.open, row.open_keys)} this leaver still holds now: they were due ${due}.`,
    };
  }
  if (row.open > 0 && row.late === 0) {
    return {
      ...base,
      state: "due_soon",
      action: `Revoke the ${what(row.open, row.open_keys)} this leaver still holds by ${due}.`,
    };
  }
  return {
    ...base,
    state: "failing",
    action: `${what(row.late, row.late_keys)} of this leaver were revoked after the deadline of ${due}; find out why and revoke in time (it counts here for a year after the end date).`,
  };
}

async function terminatedAccessRemoved(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const rows = (await sql<Judged>`select * from (${judged(context)}) j`.execute(tx)).rows;
  if (rows.length === 0) {
    return {
      state: "not_applicable",
      message: "Nobody who left in the last year held access on their end date.",
      offenders: [],
    };
  }
  const offenders = rows
    .filter((r) => r.open > 0 || r.late > 0)
    .map((r) => offenderOf(r, asOf))
    .sort(
      (a, b) =>
        Number(a.state === "due_soon") - Number(b.state === "due_soon") ||
        (a.dueAt ?? "").localeCompare(b.dueAt ?? ""),
    );
  const days = settings.accessRevocationDays;
  if (offenders.length === 0) {
    return {
      state: "passing",
      message: `Every leaver's grants, accounts and keys were revoked within ${days} days of their end date.`,
      offenders: [],
    };
  }
  const failing = offenders.some((o) => o.state === "failing");
  return {
    state: failing ? "failing" : "due_soon",
    message: failing
      ? `A leaver's access was not revoked within ${days} days of their end date.`
      : `A leaver's access is due to be revoked within ${days} days of their end date.`,
    offenders: offenders.slice(0, MAX_STORED_OFFENDERS),
    offenderCount: offenders.length,
  };
}

export const removalChecks: readonly ControlTest[] = [
  {
    testKey: "terminated-access-removed",
    controls: CONTROLS,
    sources: ["access", "people"],
    run: terminatedAccessRemoved,
  },
];
