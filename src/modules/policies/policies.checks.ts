import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { deadlineState } from "../../domain/deadlines.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeFrom,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { activePeopleOn } from "../people/people.queries.ts";
import { APPROVER_ROLES } from "./policies.rules.ts";

/**
 * The policy tests shared by the policy controls (CONTROLS.md, "Policy tests"). Each reads
 * the control's policy as it stood at the evaluation time: the policy live then, its version
 * published most recently before then, approvals and acknowledgements made before then.
 */
const POLICIES = ["policies"] as const;
/** Who must acknowledge comes from the people register: only that check reads it. */
const POLICIES_AND_PEOPLE = ["policies", "people"] as const;

interface PolicyAsOf {
  id: string;
  title: string;
  audience_all: boolean;
  audience_job_roles: string[];
  version_id: string | null;
  version: number | null;
  published_at: Date | null;
}

async function policyAsOf(tx: Tx, controlKey: string, asOf: Date): Promise<PolicyAsOf | undefined> {
  return tx
    .selectFrom("policies as p")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("policy_versions as v")
          .select(["v.id", "v.version", "v.published_at"])
          .whereRef("v.policy_id", "=", "p.id")
          .where("v.published_at", "<=", asOf)
          .orderBy("v.published_at", "desc")
          .limit(1)
          .as("cv"),
      (join) => join.onTrue(),
    )
    .select([
      "p.id",
      "p.title",
      "p.audience_all",
      "p.audience_job_roles",
      "cv.id as version_id",
      "cv.version",
      "cv.published_at",
    ])
    .where("p.control_key", "=", controlKey)
    .where("p.created_at", "<=", asOf)
    .where((eb) => eb.or([eb("p.retired_at", "is", null), eb("p.retired_at", ">", asOf)]))
    .orderBy("p.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The control's policy as of the evaluation, read once for the three policy tests. */
function policyOf(context: TestContext): Promise<PolicyAsOf | undefined> {
  return context.shared(`policy:${context.controlKey}`, () =>
    policyAsOf(context.tx, context.controlKey, context.asOf),
  );
}

function policyLink(id: string) {
  return `/policies/${id}`;
}

function noPolicy(controlKey: string): TestOutcome {
  return {
    state: "failing",
    message: "There is no policy for this control.",
    offenders: [
      {
        kind: "control",
        id: controlKey,
        label: "No policy document",
        link: `/policies/new?control=${controlKey}`,
        action: "Create the policy from its template, have it approved and publish it.",
      },
    ],
  };
}

function notPublished(policy: PolicyAsOf): TestOutcome {
  return {
    state: "failing",
    message: "The policy has no published version.",
    offenders: [
      {
        kind: "policy",
        id: policy.id,
        label: policy.title,
        link: policyLink(policy.id),
        action: "Submit a version for approval and have an owner or admin approve it.",
      },
    ],
  };
}

async function policyPublished(context: TestContext): Promise<TestOutcome> {
  const { tx, controlKey, asOf } = context;
  const policy = await policyOf(context);
  if (!policy) return noPolicy(controlKey);
  if (!policy.version_id) return notPublished(policy);
  const approval = await tx
    .selectFrom("policy_approvals")
    .select("id")
    .where("version_id", "=", policy.version_id)
    .where("kind", "=", "publication")
    .where("approver_role", "in", [...APPROVER_ROLES])
    .where("approved_at", "<=", asOf)
    .executeTakeFirst();
  if (!approval) {
    return {
      state: "failing",
      message: "The current version was not approved by a person with approval rights.",
      offenders: [
        {
          kind: "policy",
          id: policy.id,
          label: `${policy.title} v${policy.version}`,
          link: policyLink(policy.id),
          action: "Have an owner or admin approve the current version.",
        },
      ],
    };
  }
  return {
    state: "passing",
    message: `Version ${policy.version} is published and approved.`,
    offenders: [],
  };
}

async function policyReviewed(context: TestContext): Promise<TestOutcome> {
  const { tx, controlKey, asOf, settings } = context;
  const policy = await policyOf(context);
  if (!policy) return noPolicy(controlKey);
  if (!policy.version_id) return notPublished(policy);
  const last = await tx
    .selectFrom("policy_approvals")
    .select((eb) => eb.fn.max("approved_at").as("approved_at"))
    .where("version_id", "=", policy.version_id)
    .where("approved_at", "<=", asOf)
    .executeTakeFirst();
  const approvedAt = last?.approved_at
    ? new Date(last.approved_at as unknown as string)
    : (policy.published_at as Date);
  const dueAt = addDays(approvedAt, settings.policyReviewDays);
  const state = deadlineState(dueAt, asOf, settings.policyReviewWarnDays);
  const offender: Offender = {
    kind: "policy",
    id: policy.id,
    label: `${policy.title} v${policy.version}`,
    link: policyLink(policy.id),
    action: "Review the policy and re-approve it (or publish a revised version).",
    dueAt: dueAt.toISOString(),
    state: state === "passing" ? undefined : state,
  };
  return outcomeFrom(state === "passing" ? [] : [offender], {
    passing: `Last approved ${isoDay(approvedAt)}; next review due ${isoDay(dueAt)}.`,
    failing: `The annual review was due ${isoDay(dueAt)} and has not happened.`,
    dueSoon: `The annual review is due ${isoDay(dueAt)}.`,
  });
}

interface AcknowledgementTotals {
  audience: number;
  acknowledged: number;
  late: number;
  dueSoon: number;
  offenders: { id: string; name: string; email: string; due_at: Date }[];
}

/**
 * Acknowledgement figures for every policy control at once, in one query however many
 * policies there are: for each policy live at asOf, its version current then, and everyone
 * active then in its audience, whether they had acknowledged that version by then, and their
 * deadline (the later of publication and their start, plus the grace period).
 */
async function acknowledgementTotals({
  tx,
  asOf,
  settings,
}: TestContext): Promise<Map<string, AcknowledgementTotals>> {
  const day = isoDay(asOf);
  const warnUntil = addDays(asOf, settings.policyAcknowledgementWarnDays);
  const grace = settings.policyAcknowledgementDays;
  // Each policy live at asOf with its version current then, and everyone active then.
  const currentVersions = sql`
    select distinct on (p.id) p.control_key, p.audience_all, p.audience_job_roles,
           v.id as version_id, v.published_at
    from policies p
    join policy_versions v on v.policy_id = p.id and v.published_at <= ${asOf}
    where p.control_key is not null and p.created_at <= ${asOf}
      and (p.retired_at is null or p.retired_at > ${asOf})
    order by p.id, v.published_at desc`;
  const active = activePeopleOn(tx, day);
  // One pass over everyone in each audience, with their deadline and whether they had
  // acknowledged (a person acknowledges a version at most once): the totals and the pending
  // people both come from it, so the acknowledgements are read once, not once per figure.
  const rows = await sql<{
    control_key: string;
    audience: string;
    acknowledged: string;
    late: string;
    due_soon: string;
    offenders: { id: string; name: string; email: string; due_at: number }[];
  }>`
    with c as (${currentVersions}), pe as (${active}),
    audience as materialized (
      select c.control_key, pe.id, pe.name, pe.email,
             greatest(c.published_at, pe.start_date::timestamptz)
               + make_interval(days => ${grace}) as due_at,
             a.person_id is not null as acknowledged
      from c join pe on (c.audience_all or pe.job_role = any(c.audience_job_roles))
      left join policy_acknowledgements a
        on a.version_id = c.version_id and a.person_id = pe.id and a.acknowledged_at <= ${asOf}
    ),
    pending as (
      select control_key, id, name, email, due_at,
             row_number() over (partition by control_key order by due_at, name) as rank
      from audience where not acknowledged and due_at <= ${warnUntil}
    ),
    totals as (
      select control_key, count(*) as audience,
             count(*) filter (where acknowledged) as acknowledged,
             count(*) filter (where not acknowledged and due_at < ${asOf}) as late,
             count(*) filter (where not acknowledged and due_at >= ${asOf}
                              and due_at <= ${warnUntil}) as due_soon
      from audience group by control_key
    ),
    listed as (
      select control_key, json_agg(json_build_object('id', id, 'name', name, 'email', email,
               'due_at', extract(epoch from due_at) * 1000) order by rank) as offenders
      from pending where rank <= ${MAX_STORED_OFFENDERS} group by control_key
    )
    select t.*, coalesce(l.offenders, '[]'::json) as offenders
    from totals t left join listed l on l.control_key = t.control_key`.execute(tx);
  const byControl = new Map<string, AcknowledgementTotals>();
  for (const row of rows.rows) {
    byControl.set(row.control_key, {
      audience: Number(row.audience),
      acknowledged: Number(row.acknowledged),
      late: Number(row.late),
      dueSoon: Number(row.due_soon),
      offenders: row.offenders.map((o) => ({ ...o, due_at: new Date(Number(o.due_at)) })),
    });
  }
  return byControl;
}

async function policyAcknowledged(context: TestContext): Promise<TestOutcome> {
  const { controlKey, asOf, settings } = context;
  const policy = await policyOf(context);
  if (!policy) return noPolicy(controlKey);
  if (!policy.version_id || !policy.published_at) return notPublished(policy);
  const all = await context.shared("policy-acknowledgements", () => acknowledgementTotals(context));
  const totals = all.get(controlKey);
  if (!totals || totals.audience === 0) {
    return {
      state: "not_applicable",
      message: "Nobody active is in this policy's audience.",
      offenders: [],
    };
  }
  const graceDays = settings.policyAcknowledgementDays;
  const version = `${policy.title} v${policy.version}`;
  const offenders: Offender[] = totals.offenders.map((row) => {
    const isLate = row.due_at < asOf;
    return {
      kind: "person",
      id: row.id,
      label: `${row.name} <${row.email}>`,
      link: `/people/${row.id}`,
      action: isLate
        ? `Ask ${row.name} to acknowledge ${version}: it was due ${isoDay(row.due_at)}.`
        : `Remind ${row.name} to acknowledge ${version} by ${isoDay(row.due_at)}.`,
      dueAt: row.due_at.toISOString(),
      state: isLate ? "failing" : "due_soon",
    };
  });
  const { audience, acknowledged, late, dueSoon } = totals;
  if (late > 0) {
    return {
      state: "failing",
      message: `${late} of ${audience} people have not acknowledged version ${policy.version} within ${graceDays} days.`,
      offenders,
      offenderCount: late + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} of ${audience} people must acknowledge version ${policy.version} soon.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message:
      acknowledged === audience
        ? `All ${audience} people in the audience acknowledged version ${policy.version}.`
        : `${acknowledged} of ${audience} people acknowledged version ${policy.version}; the rest are within their ${graceDays} days.`,
    offenders: [],
  };
}

export const policyChecks: readonly ControlTest[] = [
  { testKey: "policy-published", controls: "catalog", sources: POLICIES, run: policyPublished },
  { testKey: "policy-reviewed", controls: "catalog", sources: POLICIES, run: policyReviewed },
  {
    testKey: "policy-acknowledged",
    controls: "catalog",
    sources: POLICIES_AND_PEOPLE,
    run: policyAcknowledged,
  },
];
