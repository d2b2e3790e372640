import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { addDays, deadlineState, isoDay } from "../../domain/control-status.ts";
import {
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeFrom,
  registerControlTest,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { APPROVER_ROLES } from "./policies.policy.ts";

/**
 * The policy tests shared by the policy controls (CONTROLS.md, "Policy tests"). Each reads
 * the control's policy as it stood at the evaluation time: the policy live then, its version
 * published most recently before then, approvals and acknowledgements made before then.
 */
const SOURCES = ["policies", "people"] as const;

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

async function policyPublished({ tx, controlKey, asOf }: TestContext): Promise<TestOutcome> {
  const policy = await policyAsOf(tx, controlKey, asOf);
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

async function policyReviewed({
  tx,
  controlKey,
  asOf,
  settings,
}: TestContext): Promise<TestOutcome> {
  const policy = await policyAsOf(tx, controlKey, asOf);
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

async function policyAcknowledged({
  tx,
  controlKey,
  asOf,
  settings,
}: TestContext): Promise<TestOutcome> {
  const policy = await policyAsOf(tx, controlKey, asOf);
  if (!policy) return noPolicy(controlKey);
  if (!policy.version_id || !policy.published_at) return notPublished(policy);
  const day = isoDay(asOf);
  const graceDays = settings.policyAcknowledgementDays;
  const warnFrom = addDays(asOf, settings.policyAcknowledgementWarnDays);
  // Everyone active in the audience at asOf, whether they had acknowledged the version by
  // then, and their deadline: the later of publication and their start, plus the grace period.
  const audience = tx
    .selectFrom("people as p")
    .leftJoin("policy_acknowledgements as a", (join) =>
      join
        .onRef("a.person_id", "=", "p.id")
        .on("a.version_id", "=", policy.version_id as string)
        .on("a.acknowledged_at", "<=", asOf),
    )
    .select([
      "p.id",
      "p.name",
      "p.email",
      "a.id as acknowledgement_id",
      sql<Date>`greatest(${policy.published_at}::timestamptz, p.start_date::timestamptz) + make_interval(days => ${graceDays})`.as(
        "due_at",
      ),
    ])
    .where("p.start_date", "<=", day)
    .where((eb) => eb.or([eb("p.end_date", "is", null), eb("p.end_date", ">", day)]))
    .$if(!policy.audience_all, (qb) =>
      qb.where(
        "p.job_role",
        "in",
        policy.audience_job_roles.length > 0 ? policy.audience_job_roles : [""],
      ),
    );
  const totals = await tx
    .selectFrom(audience.as("x"))
    .select((eb) => [
      eb.fn.countAll<string>().as("audience"),
      eb.fn.count<string>("x.acknowledgement_id").as("acknowledged"),
      sql<string>`count(*) filter (where x.acknowledgement_id is null and x.due_at < ${asOf})`.as(
        "late",
      ),
      sql<string>`count(*) filter (where x.acknowledgement_id is null and x.due_at >= ${asOf} and x.due_at <= ${warnFrom})`.as(
        "due_soon",
      ),
    ])
    .executeTakeFirstOrThrow();
  const size = Number(totals.audience);
  const late = Number(totals.late);
  const dueSoon = Number(totals.due_soon);
  if (size === 0) {
    return {
      state: "not_applicable",
      message: "Nobody active is in this policy's audience.",
      offenders: [],
    };
  }
  const rows =
    late + dueSoon === 0
      ? []
      : await tx
          .selectFrom(audience.as("x"))
          .selectAll()
          .where("x.acknowledgement_id", "is", null)
          .where("x.due_at", "<=", warnFrom)
          .orderBy("x.due_at")
          .orderBy("x.name")
          .limit(MAX_STORED_OFFENDERS)
          .execute();
  const offenders: Offender[] = rows.map((row) => {
    const dueAt = new Date(row.due_at);
    const isLate = dueAt < asOf;
    return {
      kind: "person",
      id: row.id,
      label: `${row.name} <${row.email}>`,
      link: `/people/${row.id}`,
      action: isLate
        ? `Ask ${row.name} to acknowledge ${policy.title} v${policy.version}: it was due ${isoDay(dueAt)}.`
        : `Remind ${row.name} to acknowledge ${policy.title} v${policy.version} by ${isoDay(dueAt)}.`,
      dueAt: dueAt.toISOString(),
      state: isLate ? "failing" : "due_soon",
    };
  });
  const acknowledged = Number(totals.acknowledged);
  if (late > 0) {
    return {
      state: "failing",
      message: `${late} of ${size} people have not acknowledged version ${policy.version} within ${graceDays} days.`,
      offenders,
      offenderCount: late + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} of ${size} people must acknowledge version ${policy.version} soon.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message: `${acknowledged} of ${size} people acknowledged version ${policy.version}; the rest are within their ${graceDays} days.`,
    offenders: [],
  };
}

registerControlTest({
  testKey: "policy-published",
  controls: "catalog",
  sources: SOURCES,
  run: policyPublished,
});
registerControlTest({
  testKey: "policy-reviewed",
  controls: "catalog",
  sources: SOURCES,
  run: policyReviewed,
});
registerControlTest({
  testKey: "policy-acknowledged",
  controls: "catalog",
  sources: SOURCES,
  run: policyAcknowledged,
});
