import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { atHour, personAt } from "./incidents.demo-support.ts";

/**
 * The demo's tests of the Incident Response Plan: two tabletop exercises, ten and two months
 * ago, with their participants (attendance recorded) and outcomes. The spring one's outcome
 * needing no change elsewhere was closed with a reason; the recent one's called for a change,
 * carried two weeks later by version 2 of the plan (published through the policies area).
 */
export async function seedDemoExercises(
  db: Kysely<Database>,
  demo: DemoContext,
  revisePlan: PlanRevision,
): Promise<void> {
  for (const exercise of DEMO_EXERCISES) await seedExercise(db, demo, exercise, revisePlan);
  demo.counts.exercises = DEMO_EXERCISES.length;
}

/**
 * The policies area's writer of a past version of a policy (publishDemoRevision), handed in by
 * incidents.demo.ts: a demo reads another area's demo only from its own `.demo.ts`.
 */
export type PlanRevision = (
  db: Kysely<Database>,
  demo: DemoContext,
  revision: {
    controlKey: string;
    revise: (body: string) => string;
    changeSummary: string;
    author: { userId: string; name: string };
    publishedAt: Date;
  },
) => Promise<{ versionId: string; version: number }>;

async function seedExercise(
  db: Kysely<Database>,
  demo: DemoContext,
  spec: DemoExercise,
  publishRevision: PlanRevision,
) {
  const held = atHour(addDays(demo.now, -spec.heldDaysAgo), 13);
  const planned = addDays(held, -14);
  const completedAt = atHour(addDays(held, 1), 10);
  const recorder = personAt(demo, 1, held);
  const people = spec.participants.map((p) => ({ ...p, person: personAt(demo, p.index, held) }));
  const unique = people.filter((p, i) => people.findIndex((q) => q.person === p.person) === i);
  const facilitator = unique[0]?.person ?? recorder;

  // A plan change first: the outcome links to the version that carried it.
  const changes = new Map<number, { versionId: string; version: number; at: Date }>();
  for (const [i, outcome] of spec.outcomes.entries()) {
    if (!outcome.planChange) continue;
    const publishedAt = addDays(held, outcome.planChange.days);
    const version = await publishRevision(db, demo, {
      controlKey: "incident-response-plan",
      revise: (body) =>
        revisePlan(
          body,
          publishedAt,
          recorder.name,
          demo.owner.name,
          outcome.planChange?.summary ?? "",
        ),
      changeSummary: outcome.planChange.summary,
      author: { userId: recorder.userId, name: recorder.name },
      publishedAt,
    });
    changes.set(i, {
      versionId: version.versionId,
      version: version.version,
      at: addDays(publishedAt, 0.1),
    });
  }

  const ids = await withTenant(db, demo.organizationId, async (tx) => {
    const exercise = await tx
      .insertInto("ir_exercises")
      .values({
        organization_id: demo.organizationId,
        kind: "tabletop",
        title: spec.title,
        scenario: spec.scenario,
        held_on: isoDay(held),
        facilitator_id: facilitator.id,
        summary: spec.summary,
        status: "completed",
        completed_at: completedAt,
        completed_by: recorder.userId,
        created_by: recorder.userId,
        created_at: planned,
        updated_at: completedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("ir_exercise_participants")
      .values(
        unique.map((p) => ({
          organization_id: demo.organizationId,
          exercise_id: exercise.id,
          person_id: p.person.id,
          role: p.role,
          attended: p.attended,
        })),
      )
      .execute();
    const outcomes = await tx
      .insertInto("ir_exercise_outcomes")
      .values(
        spec.outcomes.map((outcome, i) => {
          const change = changes.get(i);
          const closedAt = outcome.closed ? addDays(held, outcome.closed.days) : null;
          const last = change?.at ?? closedAt ?? completedAt;
          return {
            organization_id: demo.organizationId,
            exercise_id: exercise.id,
            description: outcome.description,
            requires_plan_change: outcome.requiresPlanChange,
            policy_version_id: change?.versionId ?? null,
            linked_at: change?.at ?? null,
            linked_by: change ? demo.owner.userId : null,
            closed_reason: outcome.closed?.reason ?? null,
            closed_at: closedAt,
            closed_by: closedAt ? demo.owner.userId : null,
            created_by: recorder.userId,
            created_at: completedAt,
            updated_at: last,
          };
        }),
      )
      .returning("id")
      .execute();
    return { exerciseId: exercise.id, outcomeIds: outcomes.map((o) => o.id) };
  });

  const by = { userId: recorder.userId, name: recorder.name };
  const owner = { userId: demo.owner.userId, name: demo.owner.name };
  const target = { targetType: "ir_exercise", targetId: ids.exerciseId };
  demo.event({
    ...target,
    at: planned,
    actor: by,
    action: "ir_exercise.created",
    after: {
      kind: "tabletop",
      title: spec.title,
      scenario: spec.scenario,
      heldOn: isoDay(held),
      facilitatorId: facilitator.id,
      status: "planned",
    },
  });
  demo.event({
    ...target,
    at: completedAt,
    actor: by,
    action: "ir_exercise.participants_set",
    after: { participants: unique.length, attended: unique.filter((p) => p.attended).length },
  });
  spec.outcomes.forEach((outcome, i) => {
    const outcomeId = ids.outcomeIds[i] as string;
    demo.event({
      ...target,
      at: completedAt,
      actor: by,
      action: "ir_exercise.outcome_added",
      after: {
        outcomeId,
        description: outcome.description,
        requiresPlanChange: outcome.requiresPlanChange,
      },
    });
    const change = changes.get(i);
    if (change) {
      demo.event({
        ...target,
        at: change.at,
        actor: owner,
        action: "ir_exercise.outcome_linked",
        after: {
          outcomeId,
          description: outcome.description,
          policyVersionId: change.versionId,
          version: change.version,
        },
      });
    }
    if (outcome.closed) {
      demo.event({
        ...target,
        at: addDays(held, outcome.closed.days),
        actor: owner,
        action: "ir_exercise.outcome_closed",
        after: { outcomeId, description: outcome.description, reason: outcome.closed.reason },
      });
    }
  });
  demo.event({
    ...target,
    at: completedAt,
    actor: by,
    action: "ir_exercise.completed",
    before: { status: "planned", summary: "" },
    after: { status: "completed", summary: spec.summary },
  });
}

/** Version 2 of the plan: the out-of-band step in 4.1, and a row of its revision history. */
function revisePlan(body: string, on: Date, author: string, approver: string, summary: string) {
  const withStep = body.replace(
    /(### 4\.1 Identify and report\n\n(?:\d\..*\n)+)/,
    (section) => `${section}${OUT_OF_BAND_STEP}\n`,
  );
  return `${withStep.trimEnd()}\n| 2.0 | ${isoDay(on)} | ${author} | ${approver} | ${summary} |\n`;
}

/** The tabletop exercises of the Incident Response Plan (days ago). */
export interface DemoExercise {
  title: string;
  scenario: string;
  heldDaysAgo: number;
  summary: string;
  /** People by their place in the demo's list; the first is the facilitator. */
  participants: { index: number; role: string; attended: boolean }[];
  outcomes: {
    description: string;
    requiresPlanChange: boolean;
    /** Closed without a change, this many days after the exercise, for this reason. */
    closed?: { days: number; reason: string };
    /** Carried by a new version of the plan approved this many days after the exercise. */
    planChange?: { days: number; summary: string };
  }[];
}

export const DEMO_EXERCISES: DemoExercise[] = [
  {
    title: "Tabletop: a departing engineer's laptop with production access is stolen",
    scenario:
      "An engineer on their last week reports their laptop stolen from a car. It holds an SSH " +
      "key to production and a signed-in AWS console. Walk through reporting, triage, " +
      "containment and who tells whom.",
    heldDaysAgo: 300,
    summary: "The team found the plan clear on containment; offboarding and MDM steps matched.",
    participants: [
      { index: 0, role: "Facilitator", attended: true },
      { index: 1, role: "Incident owner", attended: true },
      { index: 2, role: "Engineer", attended: true },
      { index: 3, role: "Engineer", attended: false },
      { index: 5, role: "Communications lead", attended: true },
    ],
    outcomes: [
      {
        description:
          "SSH keys to production could be revoked in one step; nobody had to look it up.",
        requiresPlanChange: false,
      },
      {
        description: "The plan could name the MDM console as the first place to lock a device.",
        requiresPlanChange: true,
        closed: {
          days: 12,
          reason: "The on-call handbook already says so; the plan stays tool-neutral on purpose.",
        },
      },
    ],
  },
  {
    title: "Tabletop: ransomware on the production database",
    scenario:
      "Monday 06:00: the customer database's disks are encrypted and a ransom note is on the " +
      "host. Slack is down for the morning. Walk through triage, restoring from backups, the " +
      "notice to customers within 72 hours, and who decides not to pay.",
    heldDaysAgo: 62,
    summary:
      "Restoring from backups matched the BCDR policy. Without Slack, nobody knew how to reach " +
      "the incident owner: the plan needs an out-of-band contact path.",
    participants: [
      { index: 0, role: "Facilitator", attended: true },
      { index: 1, role: "Incident owner", attended: true },
      { index: 2, role: "Engineer", attended: true },
      { index: 3, role: "Engineer", attended: true },
      { index: 5, role: "Communications lead", attended: true },
      { index: 6, role: "Management", attended: true },
    ],
    outcomes: [
      {
        description:
          "Without Slack the responders could not reach each other: add an out-of-band contact " +
          "path (phone bridge and a printed contact list) to section 4.1 of the plan.",
        requiresPlanChange: true,
        planChange: {
          days: 14,
          summary: "Out-of-band contact path in 4.1, after the ransomware tabletop.",
        },
      },
      {
        description:
          "The restore from last night's backup took 40 minutes, within the BCDR target.",
        requiresPlanChange: false,
      },
    ],
  },
];

/** Section 4.1's new step in version 2 of the Incident Response Plan. */
export const OUT_OF_BAND_STEP =
  "4. If Slack or email is down, responders join the phone bridge in the printed contact list " +
  "that the security lead and the on-call engineer keep, and record the time in the timeline.";
