import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { addDays, deadlineState, isoDay } from "../../domain/control-status.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeFrom,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { APPROVER_ROLES } from "./policies.policy.ts";

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
 * Acknowledgement figures for every policy control at once (two queries however many
 * policies there are): for each policy live at asOf, its version current then, and everyone
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
    select distinct on (p.id) p.control_key, p.title, p.audience_all, p.audience_job_roles,
           v.id as version_id, v.published_at
    from policies p
    join policy_versions v on v.policy_id = p.id and v.published_at <= ${asOf}
    where p.control_key is not null and p.created_at <= ${asOf}
      and (p.retired_at is null or p.retired_at > ${asOf})
    order by p.id, v.published_at desc`;
  const active = sql`
    select id, name, email, job_role, start_date from people
    where start_date <= ${day} and (end_date is null or end_date > ${day})`;
  // A person's deadline: the later of publication and their start, plus the grace period.
  const dueAt = sql`greatest(c.published_at, pe.start_date::timestamptz) + make_interval(days => ${grace})`;
  const inAudience = sql`(c.audience_all or pe.job_role = any(c.audience_job_roles))`;
  // Counted in two narrow passes rather than one wide join: everyone in each audience by
  // deadline, and the acknowledgements of each current version by the same deadlines. What is
  // late or due soon is the difference.
  const counts = await sql<{
    control_key: string;
    audience: string;
    acknowledged: string;
    due_passed: string;
    due_window: string;
    acknowledged_due_passed: string;
    acknowledged_due_window: string;
  }>`
    with c as (${currentVersions}), pe as (${active}),
    everyone as (
      select c.control_key, count(*) as audience,
             count(*) filter (where ${dueAt} < ${asOf}) as due_passed,
             count(*) filter (where ${dueAt} >= ${asOf} and ${dueAt} <= ${warnUntil}) as due_window
      from c join pe on ${inAudience} group by c.control_key
    ),
    acknowledged as (
      select c.control_key, count(*) as acknowledged,
             count(*) filter (where ${dueAt} < ${asOf}) as due_passed,
             count(*) filter (where ${dueAt} >= ${asOf} and ${dueAt} <= ${warnUntil}) as due_window
      from policy_acknowledgements a
      join c on c.version_id = a.version_id
      join pe on pe.id = a.person_id
      where a.acknowledged_at <= ${asOf} and ${inAudience}
      group by c.control_key
    )
    select e.control_key, e.audience, coalesce(k.acknowledged, 0) as acknowledged,
           e.due_passed, e.due_window,
           coalesce(k.due_passed, 0) as acknowledged_due_passed,
           coalesce(k.due_window, 0) as acknowledged_due_window
    from everyone e left join acknowledged k on k.control_key = e.control_key`.execute(tx);
  const byControl = new Map<string, AcknowledgementTotals>();
  for (const row of counts.rows) {
    byControl.set(row.control_key, {
      audience: Number(row.audience),
      acknowledged: Number(row.acknowledged),
      late: Number(row.due_passed) - Number(row.acknowledged_due_passed),
      dueSoon: Number(row.due_window) - Number(row.acknowledged_due_window),
      offenders: [],
    });
  }
  const needOffenders = [...byControl]
    .filter(([, t]) => t.late + t.dueSoon > 0)
    .map(([key]) => key);
  if (needOffenders.length === 0) return byControl;
  // The offenders themselves, the most overdue first, for the controls that have any.
  const offenders = await sql<{
    control_key: string;
    id: string;
    name: string;
    email: string;
    due_at: Date;
  }>`
    with c as (${currentVersions}), pe as (${active})
    select control_key, id, name, email, due_at from (
      select c.control_key, pe.id, pe.name, pe.email, ${dueAt} as due_at,
             row_number() over (partition by c.control_key order by ${dueAt}, pe.name) as rank
      from c join pe on ${inAudience}
      where c.control_key = any(${needOffenders})
        and ${dueAt} <= ${warnUntil}
        and not exists (
          select 1 from policy_acknowledgements a
          where a.version_id = c.version_id and a.person_id = pe.id and a.acknowledged_at <= ${asOf}
        )
    ) ranked where rank <= ${MAX_STORED_OFFENDERS} order by control_key, rank`.execute(tx);
  for (const row of offenders.rows) {
    byControl.get(row.control_key)?.offenders.push({ ...row, due_at: new Date(row.due_at) });
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
