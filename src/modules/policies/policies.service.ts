import type { Kysely } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Database, Policy, PolicyVersion } from "../../db/types.ts";
import { placeholderValues } from "../../domain/company-profile.ts";
import { addDays, isoDay } from "../../domain/control-status.ts";
import { diffLines } from "../../domain/line-diff.ts";
import type { Role } from "../../domain/permissions.ts";
import {
  fillPlaceholders,
  placeholdersIn,
  remainingPlaceholders,
  unfinishedText,
} from "../../domain/policy-text.ts";
import { resolveSettings } from "../../domain/settings.ts";
import type { Actor, Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { recordAuditEvent } from "../audit-log/audit-log.service.ts";
import { catalogTests } from "../controls/catalog.ts";
import { notifyChange } from "../monitoring/changes.ts";
import { organizationFacts } from "../organizations/organizations.service.ts";
import { isActiveOn, personOfUser } from "../people/people.service.ts";
import { APPROVER_ROLES, assertMayApprove, assertTextFinished } from "./policies.policy.ts";
import { findTemplate, loadTemplates } from "./templates.ts";

/** Tests that read a policy document of their control. */
const DOCUMENT_TESTS = new Set(["policy-published", "commitments-published", "services-described"]);

/**
 * Controls proven by a document Attest manages as a policy: those with the policy tests, and
 * the security commitments and description of services the trust center shows.
 */
export function isPolicyControl(controlKey: string): boolean {
  return catalogTests(controlKey).some((t) => DOCUMENT_TESTS.has(t.key));
}

function actingUser(actor: Actor): { userId: string; role: Role } {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, role: actor.role };
}

function policySnapshot(policy: Policy) {
  return {
    title: policy.title,
    controlKey: policy.control_key,
    visibility: policy.visibility,
    audienceAll: policy.audience_all,
    audienceJobRoles: policy.audience_job_roles,
    retired: policy.retired_at !== null,
  };
}

export function listTemplates() {
  return loadTemplates().map((t) => ({
    key: t.key,
    title: t.title,
    controlKey: t.controlKey,
    visibility: t.visibility,
    placeholders: placeholdersIn(t.body),
  }));
}

export type NewPolicy =
  | { templateKey: string }
  | {
      title: string;
      controlKey?: string | null | undefined;
      body: string;
      visibility?: "internal" | "public" | undefined;
    };

export async function createPolicy(ctx: Context, input: NewPolicy) {
  const author = actingUser(ctx.actor);
  let title: string;
  let controlKey: string | null;
  let visibility: "internal" | "public";
  let body: string;
  let templateKey: string | null = null;
  if ("templateKey" in input) {
    const template = findTemplate(input.templateKey);
    if (!template) throw errors.validation("templateKey", "is not a template Attest ships");
    ({ title, controlKey, visibility } = template);
    templateKey = template.key;
    // The company profile fills what it knows; the draft shows what is left to write.
    const facts = await withTenant(ctx.db, ctx.organizationId, organizationFacts);
    body = fillPlaceholders(template.body, placeholderValues(facts.name, facts.companyProfile));
  } else {
    title = input.title.trim();
    controlKey = input.controlKey ?? null;
    visibility = input.visibility ?? "internal";
    body = input.body;
  }
  if (controlKey && !isPolicyControl(controlKey)) {
    throw errors.validation("controlKey", "is not a control proven by a policy document");
  }
  const created = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    if (controlKey) {
      const live = await tx
        .selectFrom("policies")
        .select("id")
        .where("control_key", "=", controlKey)
        .where("retired_at", "is", null)
        .executeTakeFirst();
      if (live)
        throw errors.conflict(
          "This control already has a policy; edit it or retire it first.",
          "controlKey",
        );
    }
    const policy = await tx
      .insertInto("policies")
      .values({
        organization_id: ctx.organizationId,
        template_key: templateKey,
        control_key: controlKey,
        title,
        visibility,
        created_by: author.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const version = await tx
      .insertInto("policy_versions")
      .values({
        organization_id: ctx.organizationId,
        policy_id: policy.id,
        version: 1,
        body,
        status: "draft",
        author_id: author.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.created",
      targetType: "policy",
      targetId: policy.id,
      after: { ...policySnapshot(policy), templateKey, draftVersionId: version.id },
      requestId: ctx.requestId,
    });
    return policy;
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return getPolicy(ctx, created.id);
}

export interface PolicyChanges {
  title?: string | undefined;
  visibility?: "internal" | "public" | undefined;
  audience?: { all: boolean; jobRoles: string[] } | undefined;
}

export async function updatePolicy(ctx: Context, id: string, changes: PolicyChanges) {
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const before = await findPolicy(tx, id, true);
    assertNotRetired(before);
    const jobRoles = changes.audience
      ? [...new Set(changes.audience.jobRoles.map((r) => r.trim()))]
      : undefined;
    if (changes.audience && !changes.audience.all && jobRoles?.length === 0) {
      throw errors.validation(
        "audience.jobRoles",
        "name at least one job role, or choose all personnel",
      );
    }
    const after = await tx
      .updateTable("policies")
      .set({
        title: changes.title?.trim() ?? before.title,
        visibility: changes.visibility ?? before.visibility,
        audience_all: changes.audience?.all ?? before.audience_all,
        audience_job_roles: changes.audience
          ? changes.audience.all
            ? []
            : (jobRoles as string[])
          : before.audience_job_roles,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.updated",
      targetType: "policy",
      targetId: id,
      before: policySnapshot(before),
      after: policySnapshot(after),
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return getPolicy(ctx, id);
}

/** Saves the draft: edits the open draft, or starts a new one from the given text. */
export async function saveDraft(
  ctx: Context,
  policyId: string,
  input: { body: string; changeSummary?: string | undefined },
) {
  const author = actingUser(ctx.actor);
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const policy = await findPolicy(tx, policyId, true);
    assertNotRetired(policy);
    const open = await openVersion(tx, policyId);
    if (open?.status === "submitted") {
      throw errors.invalidState(
        "This version awaits approval; reject it or approve it before editing.",
      );
    }
    let versionId: string;
    let before: { body: string } | null = null;
    if (open) {
      before = { body: open.body };
      versionId = open.id;
      await tx
        .updateTable("policy_versions")
        .set({
          body: input.body,
          change_summary: input.changeSummary ?? open.change_summary,
          author_id: author.userId,
          updated_at: new Date(),
        })
        .where("id", "=", open.id)
        .execute();
    } else {
      const latest = await tx
        .selectFrom("policy_versions")
        .select((eb) => eb.fn.max("version").as("max"))
        .where("policy_id", "=", policyId)
        .executeTakeFirstOrThrow();
      const created = await tx
        .insertInto("policy_versions")
        .values({
          organization_id: ctx.organizationId,
          policy_id: policyId,
          version: Number(latest.max ?? 0) + 1,
          body: input.body,
          status: "draft",
          author_id: author.userId,
          change_summary: input.changeSummary ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      versionId = created.id;
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.draft_saved",
      targetType: "policy_version",
      targetId: versionId,
      before: before ? { bodyLength: before.body.length } : null,
      after: {
        policyId,
        bodyLength: input.body.length,
        changeSummary: input.changeSummary ?? null,
      },
      requestId: ctx.requestId,
    });
  });
  return getPolicy(ctx, policyId);
}

export async function submitForApproval(ctx: Context, policyId: string) {
  await transition(ctx, policyId, "draft", "submitted", "policy.submitted");
  return getPolicy(ctx, policyId);
}

export async function rejectSubmission(ctx: Context, policyId: string, reason: string) {
  await transition(ctx, policyId, "submitted", "draft", "policy.rejected", { reason });
  return getPolicy(ctx, policyId);
}

async function transition(
  ctx: Context,
  policyId: string,
  from: "draft" | "submitted",
  to: "draft" | "submitted",
  action: string,
  extra: Record<string, unknown> = {},
) {
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const open = await openVersion(tx, policyId);
    if (open?.status !== from) {
      throw errors.invalidState(
        from === "draft" ? "There is no draft to submit." : "No version awaits approval.",
      );
    }
    await tx
      .updateTable("policy_versions")
      .set({
        status: to,
        submitted_at: to === "submitted" ? new Date() : null,
        updated_at: new Date(),
      })
      .where("id", "=", open.id)
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action,
      targetType: "policy_version",
      targetId: open.id,
      before: { status: from },
      after: { status: to, policyId, version: open.version, ...extra },
      requestId: ctx.requestId,
    });
  });
}

/**
 * Approves the submitted version and publishes it: it becomes the current version, the one
 * before is superseded, and everyone in the audience is asked to acknowledge it.
 */
export async function approveAndPublish(ctx: Context, policyId: string, comment?: string) {
  const approver = actingUser(ctx.actor);
  const published = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const open = await openVersion(tx, policyId);
    if (open?.status !== "submitted")
      throw errors.invalidState("Submit a version for approval first.");
    assertMayApprove({
      ...approverOf(approver),
      authorId: open.author_id,
      approverCount: await countApprovers(tx),
    });
    assertTextFinished(open, { fillsOnApproval: true });
    const now = new Date();
    const effectiveDate = isoDay(now);
    const body = fillPlaceholders(open.body, { effective_date: effectiveDate });
    const previous = await currentVersion(tx, policyId);
    if (previous) {
      await tx
        .updateTable("policy_versions")
        .set({ status: "superseded", superseded_at: now, updated_at: now })
        .where("id", "=", previous.id)
        .execute();
    }
    await tx
      .updateTable("policy_versions")
      .set({ status: "published", body, published_at: now, updated_at: now })
      .where("id", "=", open.id)
      .execute();
    await tx
      .insertInto("policy_approvals")
      .values({
        organization_id: ctx.organizationId,
        version_id: open.id,
        kind: "publication",
        approver_id: approver.userId,
        approver_role: approver.role,
        approved_at: now,
        comment: comment ?? null,
      })
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.published",
      targetType: "policy_version",
      targetId: open.id,
      before: previous ? { currentVersion: previous.version } : { currentVersion: null },
      after: {
        policyId,
        currentVersion: open.version,
        approverRole: approver.role,
        comment: comment ?? null,
        ...(body !== open.body ? { effectiveDate } : {}),
      },
      requestId: ctx.requestId,
    });
    return open.id;
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return { policy: await getPolicy(ctx, policyId), publishedVersionId: published };
}

/** Re-approves the current version unchanged: this is the periodic review. */
export async function reviewPolicy(ctx: Context, policyId: string, comment?: string) {
  const approver = actingUser(ctx.actor);
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    assertNotRetired(await findPolicy(tx, policyId, true));
    const current = await currentVersion(tx, policyId);
    if (!current) throw errors.invalidState("There is no published version to review.");
    assertMayApprove({
      ...approverOf(approver),
      authorId: current.author_id,
      approverCount: await countApprovers(tx),
    });
    assertTextFinished(current, { fillsOnApproval: false });
    await tx
      .insertInto("policy_approvals")
      .values({
        organization_id: ctx.organizationId,
        version_id: current.id,
        kind: "review",
        approver_id: approver.userId,
        approver_role: approver.role,
        approved_at: new Date(),
        comment: comment ?? null,
      })
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.reviewed",
      targetType: "policy_version",
      targetId: current.id,
      after: { policyId, version: current.version, comment: comment ?? null },
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return getPolicy(ctx, policyId);
}

export async function retirePolicy(ctx: Context, policyId: string) {
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const before = await findPolicy(tx, policyId, true);
    assertNotRetired(before);
    const now = new Date();
    await tx
      .updateTable("policies")
      .set({ retired_at: now, updated_at: now })
      .where("id", "=", policyId)
      .execute();
    await tx
      .updateTable("policy_versions")
      .set({ status: "retired", updated_at: now })
      .where("policy_id", "=", policyId)
      .where("status", "in", ["published", "draft", "submitted"])
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.retired",
      targetType: "policy",
      targetId: policyId,
      before: policySnapshot(before),
      after: { retired: true },
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return getPolicy(ctx, policyId);
}

/** The signed-in person acknowledges the current version of a policy that applies to them. */
export async function acknowledgePolicy(ctx: Context, policyId: string, versionId: string) {
  const user = actingUser(ctx.actor);
  const acknowledgedAt = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const policy = await findPolicy(tx, policyId);
    assertNotRetired(policy);
    const current = await currentVersion(tx, policyId);
    if (!current || current.id !== versionId) {
      throw errors.validation("versionId", "is not the current published version of this policy");
    }
    const person = await personOfUser(tx, user.userId);
    if (
      !person ||
      !isActiveOn(person, isoDay(new Date())) ||
      !inAudience(policy, person.job_role)
    ) {
      throw errors.invalidState("This policy does not apply to you.");
    }
    // Acknowledging twice (a double click, a retry) is done once: the first one stands.
    const now = new Date();
    const inserted = await tx
      .insertInto("policy_acknowledgements")
      .values({
        organization_id: ctx.organizationId,
        version_id: versionId,
        person_id: person.id,
        acknowledged_at: now,
      })
      .onConflict((oc) => oc.columns(["version_id", "person_id"]).doNothing())
      .returning("acknowledged_at")
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom("policy_acknowledgements")
        .select("acknowledged_at")
        .where("version_id", "=", versionId)
        .where("person_id", "=", person.id)
        .executeTakeFirstOrThrow();
      return existing.acknowledged_at;
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "policy.acknowledged",
      targetType: "policy_version",
      targetId: versionId,
      after: { policyId, version: current.version, personId: person.id },
      requestId: ctx.requestId,
    });
    return now;
  });
  await notifyChange(ctx.db, ctx.organizationId, "policies");
  return { policyId, versionId, acknowledgedAt };
}

/**
 * Policies whose control asks people to acknowledge them (or that prove no control). The
 * Terms of Service, for one, are published for customers, not acknowledged by staff.
 */
export function asksForAcknowledgement(controlKey: string | null): boolean {
  return (
    controlKey === null || catalogTests(controlKey).some((t) => t.key === "policy-acknowledged")
  );
}

export function inAudience(
  policy: Pick<Policy, "audience_all" | "audience_job_roles">,
  jobRole: string | null,
): boolean {
  return policy.audience_all || (jobRole !== null && policy.audience_job_roles.includes(jobRole));
}

/** "My policies to acknowledge": the current versions that apply to the signed-in person. */
export async function myPolicies(ctx: Context) {
  const user = actingUser(ctx.actor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const person = await personOfUser(tx, user.userId);
    if (!person || !isActiveOn(person, isoDay(new Date()))) return [];
    const settings = resolveSettings(
      (await tx.selectFrom("organizations").select("settings").executeTakeFirstOrThrow()).settings,
    );
    const rows = await tx
      .selectFrom("policies as p")
      .innerJoin("policy_versions as v", (join) =>
        join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
      )
      .leftJoin("policy_acknowledgements as a", (join) =>
        join.onRef("a.version_id", "=", "v.id").on("a.person_id", "=", person.id),
      )
      .select([
        "p.id",
        "p.title",
        "p.control_key",
        "p.audience_all",
        "p.audience_job_roles",
        "v.id as version_id",
        "v.version",
        "v.published_at",
        "a.acknowledged_at",
      ])
      .where("p.retired_at", "is", null)
      .orderBy("p.title")
      .execute();
    return rows
      .filter((r) => asksForAcknowledgement(r.control_key) && inAudience(r, person.job_role))
      .map((r) => {
        const from = new Date(
          Math.max(
            (r.published_at as Date).getTime(),
            new Date(`${person.start_date}T00:00:00Z`).getTime(),
          ),
        );
        return {
          policyId: r.id,
          title: r.title,
          versionId: r.version_id,
          version: r.version,
          publishedAt: r.published_at as Date,
          acknowledgedAt: r.acknowledged_at,
          dueAt: addDays(from, settings.policyAcknowledgementDays),
        };
      });
  });
}

export async function listPolicies(ctx: Context) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const policies = await tx.selectFrom("policies").selectAll().orderBy("title").execute();
    const versions = await tx
      .selectFrom("policy_versions")
      .select(["id", "policy_id", "version", "status", "published_at"])
      .where("status", "in", ["published", "draft", "submitted"])
      .execute();
    return policies.map((p) => {
      const current = versions.find((v) => v.policy_id === p.id && v.status === "published");
      const open = versions.find((v) => v.policy_id === p.id && v.status !== "published");
      return {
        ...presentPolicy(p),
        currentVersion: current
          ? { id: current.id, version: current.version, publishedAt: current.published_at }
          : null,
        openVersion: open ? { id: open.id, version: open.version, status: open.status } : null,
      };
    });
  });
}

/**
 * A policy with its versions. Drafts and versions awaiting approval are shown only to those
 * who may write policies (`withOpenVersions`); everyone else sees what was published.
 */
export async function getPolicy(
  ctx: Context,
  id: string,
  options: { withOpenVersions?: boolean } = {},
) {
  const withOpenVersions = options.withOpenVersions ?? true;
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const policy = await findPolicy(tx, id);
    const versions = await tx
      .selectFrom("policy_versions as v")
      .leftJoin("users as u", "u.id", "v.author_id")
      .select([
        "v.id",
        "v.version",
        "v.status",
        "v.body",
        "v.change_summary",
        "v.created_at",
        "v.updated_at",
        "v.submitted_at",
        "v.published_at",
        "v.superseded_at",
        "u.id as author_id",
        "u.name as author_name",
      ])
      .where("v.policy_id", "=", id)
      .$if(!withOpenVersions, (qb) => qb.where("v.status", "not in", ["draft", "submitted"]))
      .orderBy("v.version", "desc")
      .execute();
    const approvals = await tx
      .selectFrom("policy_approvals as a")
      .innerJoin("users as u", "u.id", "a.approver_id")
      .select([
        "a.version_id",
        "a.kind",
        "a.approved_at",
        "a.comment",
        "u.id as approver_id",
        "u.name as approver_name",
        "a.approver_role",
      ])
      .where(
        "a.version_id",
        "in",
        versions.length > 0 ? versions.map((v) => v.id) : ["00000000-0000-0000-0000-000000000000"],
      )
      .orderBy("a.approved_at")
      .execute();
    const current = versions.find((v) => v.status === "published");
    const acknowledgement = current ? await acknowledgementSummary(tx, policy, current.id) : null;
    return {
      ...presentPolicy(policy),
      placeholders: remainingPlaceholders(current?.body ?? versions[0]?.body ?? ""),
      acknowledgement,
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        status: v.status,
        body: v.body,
        html: renderMarkdown(v.body),
        // What stops this version from being approved (or what a published one still lacks).
        ...unfinishedText(v.body, {
          fillsOnApproval: v.status === "draft" || v.status === "submitted",
        }),
        changeSummary: v.change_summary,
        author: v.author_id && v.author_name ? { id: v.author_id, name: v.author_name } : null,
        createdAt: v.created_at,
        updatedAt: v.updated_at,
        submittedAt: v.submitted_at,
        publishedAt: v.published_at,
        supersededAt: v.superseded_at,
        approvals: approvals
          .filter((a) => a.version_id === v.id)
          .map((a) => ({
            kind: a.kind,
            approvedAt: a.approved_at,
            comment: a.comment,
            approver: { id: a.approver_id, name: a.approver_name },
            approverRole: a.approver_role,
          })),
      })),
    };
  });
}

async function acknowledgementSummary(tx: Tx, policy: Policy, versionId: string) {
  const today = isoDay(new Date());
  const people = await tx
    .selectFrom("people as p")
    .leftJoin("policy_acknowledgements as a", (join) =>
      join.onRef("a.person_id", "=", "p.id").on("a.version_id", "=", versionId),
    )
    .select(["p.id", "p.name", "p.job_role", "p.start_date", "p.end_date", "a.acknowledged_at"])
    .where("p.start_date", "<=", today)
    .where((eb) => eb.or([eb("p.end_date", "is", null), eb("p.end_date", ">", today)]))
    .execute();
  const audience = people.filter((p) => inAudience(policy, p.job_role));
  return {
    audience: audience.length,
    acknowledged: audience.filter((p) => p.acknowledged_at !== null).length,
    pending: audience
      .filter((p) => p.acknowledged_at === null)
      .map((p) => ({ personId: p.id, name: p.name })),
  };
}

export async function diffVersions(ctx: Context, policyId: string, fromId: string, toId: string) {
  const [from, to] = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findPolicy(tx, policyId);
    const load = async (id: string, field: string) => {
      const version = await tx
        .selectFrom("policy_versions")
        .select(["id", "version", "body"])
        .where("id", "=", id)
        .where("policy_id", "=", policyId)
        .executeTakeFirst();
      if (!version) throw errors.validation(field, "is not a version of this policy");
      return version;
    };
    return [await load(fromId, "from"), await load(toId, "to")];
  });
  const lines = diffLines(from.body, to.body);
  return {
    from: { id: from.id, version: from.version },
    to: { id: to.id, version: to.version },
    added: lines.filter((l) => l.op === "added").length,
    removed: lines.filter((l) => l.op === "removed").length,
    lines,
  };
}

export function presentPolicy(p: Policy) {
  return {
    id: p.id,
    title: p.title,
    controlKey: p.control_key,
    templateKey: p.template_key,
    visibility: p.visibility,
    audience: { all: p.audience_all, jobRoles: p.audience_job_roles },
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    retiredAt: p.retired_at,
  };
}

/**
 * The policy, or a 404. A change to its versions reads them with `lock`: the policy's row is
 * held until the transaction ends, so two saves or approvals at once run one after the other
 * and the second sees what the first wrote (one new draft, one publication).
 */
async function findPolicy(tx: Tx, id: string, lock = false): Promise<Policy> {
  const policy = await tx
    .selectFrom("policies")
    .selectAll()
    .where("id", "=", id)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!policy) throw errors.notFound("Policy");
  return policy;
}

function assertNotRetired(policy: Policy) {
  if (policy.retired_at) throw errors.invalidState("This policy is retired.");
}

async function openVersion(tx: Tx, policyId: string): Promise<PolicyVersion | undefined> {
  return tx
    .selectFrom("policy_versions")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("status", "in", ["draft", "submitted"])
    .executeTakeFirst();
}

export async function currentVersion(tx: Tx, policyId: string): Promise<PolicyVersion | undefined> {
  return tx
    .selectFrom("policy_versions")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("status", "=", "published")
    .executeTakeFirst();
}

async function countApprovers(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("role", "in", [...APPROVER_ROLES])
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function approverOf(user: { userId: string; role: Role }) {
  return { approverId: user.userId, approverRole: user.role };
}

/** For the PDF and ZIP exports: current versions, or one version. */
export async function versionForExport(
  db: Kysely<Database>,
  organizationId: string,
  policyId: string,
  versionId: string,
) {
  return withTenant(db, organizationId, async (tx) => {
    const policy = await findPolicy(tx, policyId);
    const version = await tx
      .selectFrom("policy_versions")
      .selectAll()
      .where("id", "=", versionId)
      .where("policy_id", "=", policyId)
      .executeTakeFirst();
    if (!version) throw errors.notFound("Policy version");
    const organization = await tx
      .selectFrom("organizations")
      .select("name")
      .executeTakeFirstOrThrow();
    return { policy, version, organizationName: organization.name };
  });
}

export async function currentVersionsForExport(db: Kysely<Database>, organizationId: string) {
  return withTenant(db, organizationId, async (tx) => {
    const organization = await tx
      .selectFrom("organizations")
      .select("name")
      .executeTakeFirstOrThrow();
    const rows = await tx
      .selectFrom("policies as p")
      .innerJoin("policy_versions as v", (join) =>
        join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
      )
      .selectAll("v")
      .select(["p.title", "p.control_key"])
      .where("p.retired_at", "is", null)
      .orderBy("p.title")
      .execute();
    return { organizationName: organization.name, rows };
  });
}

/**
 * For the public trust center: every live policy with its current published version (the
 * Description of Services, the Security Commitments and the public documents are among them).
 */
export async function currentPublishedPolicies(tx: Tx) {
  return tx
    .selectFrom("policies as p")
    .innerJoin("policy_versions as v", (join) =>
      join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
    )
    .select([
      "p.id",
      "p.title",
      "p.control_key",
      "p.visibility",
      "v.version",
      "v.body",
      "v.published_at",
    ])
    .where("p.retired_at", "is", null)
    .orderBy("p.title")
    .execute();
}

/** For the public trust center: a live public policy and every version it ever published. */
export async function publicPolicyVersions(tx: Tx, policyId: string) {
  const policy = await tx
    .selectFrom("policies")
    .select(["id", "title", "control_key"])
    .where("id", "=", policyId)
    .where("visibility", "=", "public")
    .where("retired_at", "is", null)
    .executeTakeFirst();
  if (!policy) return undefined;
  const versions = await tx
    .selectFrom("policy_versions")
    .select(["version", "status", "body", "published_at", "superseded_at"])
    .where("policy_id", "=", policyId)
    .where("status", "in", ["published", "superseded"])
    .where("published_at", "is not", null)
    .orderBy("version", "desc")
    .execute();
  return { policy, versions };
}
