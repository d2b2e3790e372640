import { sql } from "kysely";
import { addDays, dayText, isoDay } from "../../domain/dates.ts";
import { deadlineState } from "../../domain/deadlines.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { incidentResponsePlanVersions } from "../policies/policies.queries.ts";
import { exerciseLink } from "./incidents.exercises.ts";

/**
 * incident-response-plan-testing (CONTROLS.md): ir-plan-exercised and ir-plan-updated, both
 * answered from dated facts (the day an exercise was held, when it was completed, when each
 * outcome was recorded, linked or closed, when each version of the plan was approved) as of
 * any moment.
 */
const CONTROLS = ["incident-response-plan-testing"] as const;

// --- ir-plan-exercised ---------------------------------------------------------------------

/**
 * The latest test of the plan completed by asOf (a tabletop exercise or a real incident marked
 * as the test) with at least one participant who attended and one outcome recorded by then:
 * the next is due irPlanExerciseDays after the day it was held (due soon irPlanExerciseWarnDays
 * before). Failing when there is none. Never not applicable: every organization has incidents
 * to prepare for, so its plan is to be tested from the start (the control's own policy,
 * incident-response-plan, is required of everyone too).
 */
async function planExercised(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const result = await sql<{ id: string; title: string; kind: string; held_on: string | Date }>`
    select e.id, e.title, e.kind, e.held_on from ir_exercises e
    where e.completed_at is not null and e.completed_at <= ${asOf}
      and exists (select 1 from ir_exercise_participants p where p.exercise_id = e.id and p.attended)
      and exists (select 1 from ir_exercise_outcomes o
                  where o.exercise_id = e.id and o.created_at <= ${asOf})
    order by e.held_on desc, e.completed_at desc, e.id
    limit 1`.execute(tx);
  const last = result.rows[0];
  const days = settings.irPlanExerciseDays;
  if (!last) {
    return {
      state: "failing",
      message: "The Incident Response Plan has not been tested: no exercise has been completed.",
      offenders: [
        {
          kind: "ir_exercise",
          id: "none",
          label: "No completed test of the Incident Response Plan",
          link: "/ir-exercises/new",
          state: "failing",
          action: `Hold a tabletop exercise of the Incident Response Plan (or mark a real incident as its test), record who attended and its outcomes, and complete it by ${isoDay(asOf)}.`,
        },
      ],
    };
  }
  const heldOn = dayText(last.held_on);
  const due = addDays(new Date(`${heldOn}T00:00:00Z`), days);
  const state = deadlineState(due, asOf, settings.irPlanExerciseWarnDays);
  const what =
    last.kind === "incident" ? "tested by a real incident" : "tested in a tabletop exercise";
  if (state === "passing") {
    return {
      state,
      message: `The Incident Response Plan was ${what} on ${heldOn} (${last.title}); the next test is due by ${isoDay(due)}.`,
      offenders: [],
    };
  }
  return {
    state,
    message:
      state === "failing"
        ? `The Incident Response Plan was last tested on ${heldOn}, more than ${days} days ago.`
        : `The next test of the Incident Response Plan is due by ${isoDay(due)}.`,
    offenders: [
      {
        kind: "ir_exercise",
        id: last.id,
        label: last.title,
        link: exerciseLink(last.id),
        dueAt: due.toISOString(),
        state,
        action: `Hold the next exercise of the Incident Response Plan and complete it by ${isoDay(due)}: the last, ${last.title}, was held on ${heldOn}.`,
      },
    ],
  };
}

// --- ir-plan-updated -----------------------------------------------------------------------

interface OutcomeOffender {
  id: string | null;
  description: string;
  exercise_id: string;
  title: string;
  completed_at: Date;
  finding: "failing" | "due_soon";
}

/**
 * Every outcome calling for a change of the plan, of an exercise completed by asOf, is linked
 * by asOf to a version of the Incident Response Plan approved by asOf, or closed with a reason
 * by asOf. Failing when one is neither more than irPlanChangeDays after its exercise was
 * completed; due soon within irPlanChangeWarnDays before that; not applicable when no outcome
 * calls for a change.
 */
async function planUpdated(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const days = settings.irPlanChangeDays;
  const failBefore = addDays(asOf, -days);
  const warnFrom = addDays(asOf, settings.irPlanChangeWarnDays - days);
  const result = await sql<
    OutcomeOffender & { calls: string; open: string; failing: string; due_soon: string }
  >`
    with calls as (
      select o.id, o.description, e.id as exercise_id, e.title, e.completed_at,
        (o.closed_at is not null and o.closed_at <= ${asOf})
          or (o.linked_at is not null and o.linked_at <= ${asOf}
              and o.policy_version_id in (select v.id from (${incidentResponsePlanVersions(tx, asOf)}) v))
          as resolved
      from ir_exercise_outcomes o
      join ir_exercises e on e.id = o.exercise_id
      where o.requires_plan_change and o.created_at <= ${asOf}
        and e.completed_at is not null and e.completed_at <= ${asOf}
    ),
    found as (
      select c.*, case when c.completed_at < ${failBefore} then 'failing' else 'due_soon' end as finding
      from calls c
      where not c.resolved and c.completed_at <= ${warnFrom}
    )
    select (select count(*) from calls) as calls,
      (select count(*) from calls where not resolved) as open,
      (select count(*) from found where finding = 'failing') as failing,
      (select count(*) from found where finding = 'due_soon') as due_soon,
      f.*
    from (select 1) one
    left join lateral (
      select id, description, exercise_id, title, completed_at, finding from found
      order by finding = 'due_soon', completed_at, id
      limit ${MAX_STORED_OFFENDERS}
    ) f on true`.execute(tx);
  const first = result.rows[0];
  const calls = Number(first?.calls ?? 0);
  const open = Number(first?.open ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((o) => {
      const due = addDays(new Date(o.completed_at), days);
      return {
        kind: "ir_exercise_outcome",
        id: o.id as string,
        label: `${o.title}: ${o.description}`,
        link: exerciseLink(o.exercise_id),
        dueAt: due.toISOString(),
        state: o.finding,
        action:
          o.finding === "failing"
            ? `Approve a new version of the Incident Response Plan carrying the change “${o.description}” and link it to the outcome, or close the outcome saying why: it was due by ${isoDay(due)}.`
            : `Approve a new version of the Incident Response Plan carrying the change “${o.description}” and link it to the outcome, or close the outcome saying why, by ${isoDay(due)}.`,
      };
    });
  return outcomeOf({
    inScope: calls,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable:
        "No outcome of a test of the Incident Response Plan calls for a change of the plan.",
      failing: `${failing} outcomes of tests of the Incident Response Plan call for a change that no approved version of the plan carries, more than ${days} days after the exercise.`,
      dueSoon: `${dueSoon} outcomes of tests of the Incident Response Plan call for a change of the plan due within ${settings.irPlanChangeWarnDays} days.`,
      passing:
        open > 0
          ? `Of the ${calls} outcomes calling for a change of the Incident Response Plan, ${calls - open} are linked to an approved version or closed; ${open} are within their ${days} days.`
          : `Every one of the ${calls} outcomes calling for a change of the Incident Response Plan is linked to an approved version of the plan or closed with a reason.`,
    },
  });
}

export const exerciseChecks: readonly ControlTest[] = [
  {
    testKey: "ir-plan-exercised",
    controls: CONTROLS,
    sources: ["ir-exercises"],
    run: planExercised,
  },
  {
    testKey: "ir-plan-updated",
    controls: CONTROLS,
    sources: ["ir-exercises", "policies"],
    run: planUpdated,
  },
];
