import { type RawBuilder, sql } from "kysely";
import { addDays, minuteText } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import {
  INCIDENTS_SOURCE,
  incidentLink,
  incidentReference,
  UPDATE_WARN_FRACTION,
  updateIntervalDaysSql,
} from "./incidents.core.ts";

/**
 * incident-tracking (CONTROLS.md): incidents-triaged and incidents-progressing, both answered
 * from the incidents' history as it stood at asOf: the triage and resolution moments, and the
 * timeline entries recorded (created_at) by then, never from the incidents' current status.
 */
const CONTROLS = ["incident-tracking"] as const;
const HOUR_MS = 3_600_000;
/** An untriaged incident is due soon in the last quarter of its triage window, as updates are. */
export const TRIAGE_WARN_FRACTION = UPDATE_WARN_FRACTION;
/** A late triage counts against the control while open and for this long after resolution. */
const LATE_COUNTS_DAYS = 365;

/**
 * When the incident `i` was resolved as it stood at asOf (null: it was open then): the latest
 * status entry by asOf that moved it out of the open statuses or back into them (a reopening)
 * says which; an incident without such an entry was open, unless its resolution columns (data
 * written without a timeline) say it was resolved by then. One index probe per incident.
 */
function resolvedAsOf(asOf: Date): RawBuilder<Date | null> {
  return sql<Date | null>`(
    select case
      when oc.found then (case when oc.resolved then oc.created_at end)
      when coalesce(i.resolved_at, i.closed_at) <= ${asOf} then coalesce(i.resolved_at, i.closed_at)
    end
    from (select 1) one
    left join lateral (
      select true as found, e.created_at,
        e.to_value not in ('reported', 'triaged', 'contained') as resolved
      from incident_entries e
      where e.incident_id = i.id and e.kind = 'status' and e.created_at <= ${asOf}
        and (e.from_value in ('reported', 'triaged', 'contained'))
          is distinct from (e.to_value in ('reported', 'triaged', 'contained'))
      order by e.created_at desc, e.id desc
      limit 1
    ) oc on true)`;
}

function incidentOffender(
  row: { id: string; number: number; title: string; due_at: Date },
  state: "failing" | "due_soon",
  action: string,
): Offender {
  return {
    kind: "incident",
    id: row.id,
    label: `${incidentReference(row.number)} ${row.title}`,
    link: incidentLink(row.id),
    dueAt: new Date(row.due_at).toISOString(),
    state,
    action,
  };
}

// --- incidents-triaged ---------------------------------------------------------------------

interface TriageRow {
  reported: string;
  failing: string;
  due_soon: string;
  id: string | null;
  number: number;
  title: string;
  due_at: Date;
  triaged_at: Date | null;
  resolved_at: Date | null;
  judged: "overdue" | "late" | "due_soon";
}

function triageAction(row: TriageRow, hours: number): string {
  const ref = incidentReference(row.number);
  const due = minuteText(new Date(row.due_at));
  if (row.judged === "due_soon") {
    return `Triage ${ref} by ${due}: set its severity and an owner.`;
  }
  if (row.judged === "overdue") {
    return `Triage ${ref} now: set its severity and an owner; it was due for triage by ${due}.`;
  }
  const triaged = minuteText(new Date(row.triaged_at ?? row.due_at));
  const until = row.resolved_at
    ? `until ${minuteText(addDays(new Date(row.resolved_at), LATE_COUNTS_DAYS))}, a year after its resolution`
    : `while it is open and for a year after it is resolved`;
  return `Triage incidents within ${hours} hours of their report: ${ref} was triaged on ${triaged}, after its deadline of ${due}, and counts against the control ${until}.`;
}

/**
 * Every incident reported by asOf triaged (severity and owner set) within incidentTriageHours
 * of its report: failing when one still untriaged at asOf is past its deadline, or was triaged
 * after it and was still open at asOf or resolved within the year before; due soon while an
 * untriaged one is in the last quarter of its window. Not applicable before any report.
 */
async function incidentsTriaged(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const hours = settings.incidentTriageHours;
  // An untriaged incident whose deadline falls by this moment is due soon (or past it).
  const dueSoonBy = new Date(asOf.getTime() + hours * TRIAGE_WARN_FRACTION * HOUR_MS);
  const lateSince = addDays(asOf, -LATE_COUNTS_DAYS);
  const result = await sql<TriageRow>`
    with reported as materialized (
      select i.id, i.number, i.title, i.reported_at, i.resolved_at, i.closed_at,
        case when i.triaged_at <= ${asOf} then i.triaged_at end as triaged_at,
        i.reported_at + make_interval(hours => ${hours}) as due_at
      from incidents i
      where i.reported_at <= ${asOf}
    ),
    untriaged as (
      select r.*, null::timestamptz as resolved_then,
        case when r.due_at < ${asOf} then 'overdue' else 'due_soon' end as judged
      from reported r
      where r.triaged_at is null and r.due_at <= ${dueSoonBy}
    ),
    late as (
      select i.*, ${resolvedAsOf(asOf)} as resolved_then, 'late' as judged
      from reported i
      where i.triaged_at > i.due_at
    ),
    found as (
      select * from untriaged
      union all
      select * from late where resolved_then is null or resolved_then > ${lateSince}
    )
    select (select count(*) from reported) as reported,
      (select count(*) from found where judged <> 'due_soon') as failing,
      (select count(*) from found where judged = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.id, f.number, f.title, f.due_at, f.triaged_at, f.resolved_then as resolved_at,
        f.judged
      from found f
      order by f.judged = 'due_soon', f.due_at, f.number
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const reported = Number(first?.reported ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders = result.rows
    .filter((row) => row.id !== null)
    .map((row) =>
      incidentOffender(
        row as TriageRow & { id: string },
        row.judged === "due_soon" ? "due_soon" : "failing",
        triageAction(row, hours),
      ),
    );
  return outcomeOf({
    inScope: reported,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No incident has been reported.",
      failing: `${count(failing, "incident")} of ${reported} reported ${failing === 1 ? "was" : "were"} not triaged within ${hours} hours.`,
      dueSoon: `${count(dueSoon, "incident")} must be triaged within the next ${count(Math.ceil(hours * TRIAGE_WARN_FRACTION), "hour")}.`,
      passing: `Every incident open or resolved within the last year was triaged within ${hours} hours of its report, with a severity and an owner (${count(reported, "incident")} reported).`,
    },
  });
}

// --- incidents-progressing -----------------------------------------------------------------

interface ProgressRow {
  open: string;
  failing: string;
  due_soon: string;
  id: string | null;
  number: number;
  title: string;
  severity: string;
  interval_days: number;
  last_at: Date;
  due_at: Date;
  judged: "overdue" | "due_soon";
}

/**
 * Every incident open at asOf (by its status history) with a severity in force then (the
 * latest severity entry by asOf; before the first, what that entry changed it from) has a
 * timeline entry recorded within the interval of that severity: failing past it, due soon in
 * its last UPDATE_WARN_FRACTION. An incident not yet triaged has no clock (incidents-triaged
 * holds it). Not applicable while no incident with a severity was open.
 */
async function incidentsProgressing(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const severity = sql<string | null>`sev.severity`;
  const result = await sql<ProgressRow>`
    with candidates as materialized (
      -- Open at asOf can only be those not resolved by then for good: an incident resolved now
      -- whose last resolution was by asOf was resolved at asOf (reopening clears resolved_at).
      select i.id, i.number, i.title, i.severity, i.reported_at, i.resolved_at, i.closed_at
      from incidents i
      where i.reported_at <= ${asOf}
        and not (i.status in ('resolved', 'closed')
          and coalesce(i.resolved_at, i.closed_at) <= ${asOf})
    ),
    open_then as materialized (
      select i.id, i.number, i.title, sev.severity, ${updateIntervalDaysSql(settings, severity)} as interval_days,
        coalesce(last.at, i.reported_at) as last_at
      from candidates i
      left join lateral (
        select true as found, e.to_value from incident_entries e
        where e.incident_id = i.id and e.kind = 'severity' and e.created_at <= ${asOf}
        order by e.created_at desc, e.id desc limit 1
      ) sb on true
      left join lateral (
        select true as found, e.from_value from incident_entries e
        where e.incident_id = i.id and e.kind = 'severity' and e.created_at > ${asOf}
        order by e.created_at, e.id limit 1
      ) sa on true
      cross join lateral (
        select case when sb.found then sb.to_value
          when sa.found then sa.from_value else i.severity end as severity
      ) sev
      cross join lateral (
        select max(e.created_at) as at from incident_entries e
        where e.incident_id = i.id and e.created_at <= ${asOf}
      ) last
      where ${resolvedAsOf(asOf)} is null and sev.severity is not null
    ),
    found as (
      select o.*, o.last_at + o.interval_days * interval '1 day' as due_at,
        case when o.last_at + o.interval_days * interval '1 day' < ${asOf} then 'overdue'
          else 'due_soon' end as judged
      from open_then o
      where o.last_at + o.interval_days * ${1 - UPDATE_WARN_FRACTION}::float8 * interval '1 day'
        <= ${asOf}
    )
    select (select count(*) from open_then) as open,
      (select count(*) from found where judged = 'overdue') as failing,
      (select count(*) from found where judged = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.id, f.number, f.title, f.severity, f.interval_days, f.last_at, f.due_at, f.judged
      from found f
      order by f.judged = 'due_soon', f.due_at, f.number
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const open = Number(first?.open ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders = result.rows
    .filter((row) => row.id !== null)
    .map((row) => {
      const ref = incidentReference(row.number);
      const due = minuteText(new Date(row.due_at));
      const last = minuteText(new Date(row.last_at));
      const every = row.interval_days === 1 ? "day" : count(row.interval_days, "day");
      const allowed = `a ${row.severity} incident is updated at least every ${every}`;
      return incidentOffender(
        row as ProgressRow & { id: string },
        row.judged === "overdue" ? "failing" : "due_soon",
        row.judged === "overdue"
          ? `Add a timeline entry to ${ref} now (a note, an action or a status change): ${allowed}, and its last entry was on ${last}.`
          : `Add a timeline entry to ${ref} by ${due} (a note, an action or a status change): ${allowed}.`,
      );
    });
  return outcomeOf({
    inScope: open,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No triaged incident is open.",
      failing: `${count(failing, "open incident")} of ${open} went without a timeline entry for longer than ${failing === 1 ? "its" : "their"} severity allows.`,
      dueSoon: `${count(dueSoon, "open incident")} ${dueSoon === 1 ? "needs" : "need"} a timeline entry soon.`,
      passing: `${open === 1 ? "The open incident has" : `Every one of the ${open} open incidents has`} a timeline entry within the interval of its severity.`,
    },
  });
}

/** "1 incident", "3 incidents". */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const incidentChecks: readonly ControlTest[] = [
  {
    testKey: "incidents-triaged",
    controls: CONTROLS,
    sources: [INCIDENTS_SOURCE],
    run: incidentsTriaged,
  },
  {
    testKey: "incidents-progressing",
    controls: CONTROLS,
    sources: [INCIDENTS_SOURCE],
    run: incidentsProgressing,
  },
];
