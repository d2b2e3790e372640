import { sql } from "kysely";
import { addDays, minuteText } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { incidentsToldAsOf } from "../notices/notices.queries.ts";
import { INCIDENTS_SOURCE, incidentLink, incidentReference } from "./incidents.core.ts";

/**
 * critical-information-communication (CONTROLS.md): customers-notified. Every incident marked
 * as affecting customers has, within customerNoticeHours of being confirmed (triaged) or of
 * being marked, whichever is later, a linked notice published on the trust center with its
 * subscribers told. Read as of any moment: the marking from the timeline's "customers"
 * entries, the notice from notices.published_at and subscribers_notified_at.
 */
const CONTROLS = ["critical-information-communication"] as const;
const HOUR_MS = 3_600_000;

interface Row {
  in_scope: string;
  failing: string;
  due_soon: string;
  id: string | null;
  number: number | null;
  title: string | null;
  deadline: Date | null;
  told_at: Date | null;
  resolved_at: Date | null;
  verdict: "overdue" | "late" | "due_soon" | null;
}

function action(row: Row, hours: number): string {
  const deadline = new Date(row.deadline as Date);
  const name = `${incidentReference(row.number ?? 0)} “${row.title}”`;
  if (row.verdict === "late") {
    const until = row.resolved_at
      ? `until ${minuteText(addDays(new Date(row.resolved_at), 365))}, a year after its resolution`
      : "until a year after its resolution";
    return `Tell affected customers within ${hours} hours of confirming an incident: the notice about ${name} reached the trust center and its subscribers on ${minuteText(new Date(row.told_at as Date))}, after the deadline of ${minuteText(deadline)}, and counts against the control ${until}.`;
  }
  const what = `Publish a notice about ${name} on the trust center and tell its subscribers`;
  return row.verdict === "overdue"
    ? `${what}: it affects customers and the notice was due by ${minuteText(deadline)}.`
    : `${what} by ${minuteText(deadline)}: it affects customers.`;
}

/**
 * In scope: incidents confirmed (triaged) by asOf and marked as affecting customers at asOf
 * (the latest "customers" entry by then; before any entry, what the first later one changed
 * from; an incident with no such entry, its customers_affected_at). Failing: no notice by
 * the deadline, or one that came after it, while the incident was open or resolved within
 * the last 365 days; due soon within customerNoticeWarnHours of the deadline.
 */
async function customersNotified(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const hours = settings.customerNoticeHours;
  const warnUntil = new Date(asOf.getTime() + settings.customerNoticeWarnHours * HOUR_MS);
  const relevantSince = addDays(asOf, -365);
  const result = await sql<Row>`
    with marked as (
      select i.id, i.number, i.title, i.triaged_at, i.resolved_at,
        case
          when last_c.created_at is not null then
            case when last_c.to_value = 'true' then last_c.created_at end
          when next_c.from_value is not null then
            case when next_c.from_value = 'true' then i.reported_at end
          when i.customers_affected and i.customers_affected_at <= ${asOf}
            and not exists (select 1 from incident_entries e
              where e.incident_id = i.id and e.kind = 'customers')
            then i.customers_affected_at
        end as marked_at
      from incidents i
      left join lateral (
        select e.to_value, e.created_at from incident_entries e
        where e.incident_id = i.id and e.kind = 'customers' and e.created_at <= ${asOf}
        order by e.created_at desc, e.id desc limit 1
      ) last_c on true
      left join lateral (
        select e.from_value from incident_entries e
        where e.incident_id = i.id and e.kind = 'customers' and e.created_at > ${asOf}
        order by e.created_at, e.id limit 1
      ) next_c on true
      where i.triaged_at <= ${asOf}
        and (i.customers_affected or exists (select 1 from incident_entries e
          where e.incident_id = i.id and e.kind = 'customers'))
    ),
    scoped as (
      select m.id, m.number, m.title, m.resolved_at, t.told_at,
        greatest(m.triaged_at, m.marked_at) + make_interval(hours => ${hours}::int) as deadline,
        (m.resolved_at is null or m.resolved_at > ${relevantSince}) as relevant
      from marked m
      left join (${incidentsToldAsOf(tx, asOf)}) t on t.incident_id = m.id
      where m.marked_at is not null
    ),
    judged as (
      select s.*,
        case when s.told_at is null and s.deadline < ${asOf} and s.relevant then 'overdue'
             when s.told_at > s.deadline and s.relevant then 'late'
             when s.told_at is null and s.deadline >= ${asOf} and s.deadline <= ${warnUntil}
               then 'due_soon'
        end as verdict
      from scoped s
    ),
    found as (select * from judged where verdict is not null)
    select (select count(*) from scoped) as in_scope,
      (select count(*) from found where verdict <> 'due_soon') as failing,
      (select count(*) from found where verdict = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.id, f.number, f.title, f.deadline, f.told_at, f.resolved_at, f.verdict
      from found f
      order by f.verdict = 'due_soon', f.deadline, f.id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const inScope = Number(first?.in_scope ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      kind: "incident",
      id: row.id as string,
      label: `${incidentReference(row.number ?? 0)} ${row.title}`,
      link: incidentLink(row.id as string),
      dueAt: new Date(row.deadline as Date).toISOString(),
      state: row.verdict === "due_soon" ? ("due_soon" as const) : ("failing" as const),
      action: action(row, hours),
    }));
  return outcomeOf({
    inScope: inScope,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No confirmed incident is marked as affecting customers.",
      failing: `${failing} incidents affecting customers had no notice published and mailed to subscribers within ${hours} hours of being confirmed.`,
      dueSoon: `${dueSoon} incidents affecting customers need a notice within ${settings.customerNoticeWarnHours} hours.`,
      passing: `Every one of the ${inScope} confirmed incidents affecting customers has a notice published and mailed to subscribers within ${hours} hours, or still has time.`,
    },
  });
}

export const noticeChecks: readonly ControlTest[] = [
  {
    testKey: "customers-notified",
    controls: CONTROLS,
    sources: [INCIDENTS_SOURCE, "notices"],
    run: customersNotified,
  },
];
