import { sql } from "kysely";
import { isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { INCIDENTS_SOURCE, incidentReference } from "./incidents.core.ts";
import { lessonsLink } from "./incidents.lessons-items.ts";

/**
 * incident-lessons-learned (CONTROLS.md): lessons-learned-shared. Every incident resolved at
 * asOf — by its timeline: the first move to resolved or closed since it was last open, entries
 * recorded by asOf, so a reopened incident's clock starts again at its new resolution — must
 * have its lessons learned approved and shared (approved_at ≤ asOf) within incidentLessonsDays
 * of that resolution: failing past it, due soon within incidentLessonsWarnDays before it. Not
 * applicable while no incident stood resolved at asOf.
 */
const CONTROLS = ["incident-lessons-learned"] as const;

interface Judged {
  resolved: string;
  failing: string;
  due_soon: string;
  id: string | null;
  number: number;
  title: string;
  resolved_at: Date;
  due_at: Date;
  written_at: Date | null;
  submitted_at: Date | null;
  finding: "failing" | "due_soon";
}

function actionOf(row: Judged, asOf: Date): string {
  const name = `${incidentReference(row.number)} ${row.title}`;
  const resolved = `resolved on ${isoDay(new Date(row.resolved_at))}`;
  const by = `${row.finding === "failing" ? "they were due by" : "by"} ${isoDay(new Date(row.due_at))}`;
  const approver = "an owner or admin other than the author";
  const submitted = row.submitted_at && new Date(row.submitted_at) <= asOf;
  const written = row.written_at && new Date(row.written_at) <= asOf;
  if (submitted) {
    return `Have ${approver} approve the lessons learned of ${name} (${resolved}, submitted on ${isoDay(new Date(row.submitted_at as Date))}) so they are shared with the team: ${by}.`;
  }
  if (written) {
    return `Finish and submit the lessons learned of ${name} (${resolved}) for ${approver} to approve and share: ${by}.`;
  }
  return `Write the lessons learned of ${name} (${resolved}) and have ${approver} approve and share them: ${by}.`;
}

async function lessonsLearnedShared(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const days = settings.incidentLessonsDays;
  const warnDays = settings.incidentLessonsWarnDays;
  const result = await sql<Judged>`
    with last_open as (
      select e.incident_id, max(e.created_at) as at from incident_entries e
      where e.kind = 'status' and e.created_at <= ${asOf}
        and e.to_value in ('reported', 'triaged', 'contained')
      group by e.incident_id
    ),
    resolved as (
      select e.incident_id, min(e.created_at) as resolved_at from incident_entries e
      left join last_open o on o.incident_id = e.incident_id
      where e.kind = 'status' and e.created_at <= ${asOf}
        and e.to_value in ('resolved', 'closed') and (o.at is null or e.created_at > o.at)
      group by e.incident_id
    ),
    judged as (
      select r.incident_id, r.resolved_at,
        r.resolved_at + make_interval(days => ${days}) as due_at,
        l.created_at as written_at, l.submitted_at,
        case
          when l.approved_at <= ${asOf} and l.shared_at <= ${asOf} then null
          when r.resolved_at + make_interval(days => ${days}) < ${asOf} then 'failing'
          when r.resolved_at + make_interval(days => ${days - warnDays}) <= ${asOf} then 'due_soon'
        end as finding
      from resolved r
      left join incident_lessons l on l.incident_id = r.incident_id
    ),
    found as (select * from judged where finding is not null)
    select (select count(*) from resolved) as resolved,
      (select count(*) from found where finding = 'failing') as failing,
      (select count(*) from found where finding = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select i.id, i.number, i.title, f.resolved_at, f.due_at, f.written_at, f.submitted_at,
        f.finding
      from found f join incidents i on i.id = f.incident_id
      order by f.finding = 'due_soon', f.due_at, i.id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const resolved = Number(first?.resolved ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      kind: "incident",
      id: row.id as string,
      label: `${incidentReference(row.number)} ${row.title}`,
      link: lessonsLink(row.id as string),
      dueAt: new Date(row.due_at).toISOString(),
      state: row.finding,
      action: actionOf(row, asOf),
    }));
  return outcomeOf({
    inScope: resolved,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No incident has been resolved.",
      failing: `${failing} resolved incident${failing === 1 ? " has" : "s have"} gone more than ${days} days without approved, shared lessons learned.`,
      dueSoon: `The lessons learned of ${dueSoon} resolved incident${dueSoon === 1 ? " are" : "s are"} due within ${warnDays} days.`,
      passing: `Every resolved incident (${resolved}) has its lessons learned approved and shared, or is within ${days} days of its resolution.`,
    },
  });
}

export const lessonsChecks: readonly ControlTest[] = [
  {
    testKey: "lessons-learned-shared",
    controls: CONTROLS,
    sources: [INCIDENTS_SOURCE],
    run: lessonsLearnedShared,
  },
];
