import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Policy } from "../../db/types.ts";
import { placeholderValues } from "../../domain/company-profile.ts";
import { fillPlaceholders, placeholdersIn } from "../../domain/policy-text.ts";
import { catalogTests } from "../../platform/catalog.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationFacts } from "../organizations/organizations.service.ts";
import { findPolicy, openVersion } from "./policies.queries.ts";
import { actingUser, assertNotRetired } from "./policies.rules.ts";
import { getPolicy } from "./policies.views.ts";
import { findTemplate, loadTemplates } from "./templates.ts";

/**
 * Editing policies: creating one (from a template or from text), changing its title,
 * visibility and audience, saving its draft, retiring it. Approval and publication are in
 * policies.workflow.ts, acknowledgements in policies.acknowledgements.ts.
 */

/** Tests that read a policy document of their control. */
const DOCUMENT_TESTS = new Set(["policy-published", "commitments-published", "services-described"]);

/**
 * Controls proven by a document Attest manages as a policy: those with the policy tests, and
 * the security commitments and description of services the trust center shows.
 */
export function isPolicyControl(controlKey: string): boolean {
  return catalogTests(controlKey).some((t) => DOCUMENT_TESTS.has(t.key));
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

/**
 * Keeps the policy's dated visibility history (what the trust center's checks read "as of" a
 * past moment): one row at creation and one at each change of visibility.
 */
async function recordVisibility(
  tx: Tx,
  policy: Pick<Policy, "id" | "organization_id" | "visibility">,
  changedAt: Date,
  changedBy: string,
) {
  await tx
    .insertInto("policy_visibility_changes")
    .values({
      organization_id: policy.organization_id,
      policy_id: policy.id,
      visibility: policy.visibility,
      changed_at: changedAt,
      changed_by: changedBy,
    })
    .execute();
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
  const created = await applyChange(ctx, "policies", async ({ tx, audit }) => {
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
    await recordVisibility(tx, policy, policy.created_at, author.userId);
    await audit({
      action: "policy.created",
      targetType: "policy",
      targetId: policy.id,
      after: { ...policySnapshot(policy), templateKey, draftVersionId: version.id },
    });
    return policy;
  });
  return getPolicy(ctx, created.id);
}

export interface PolicyChanges {
  title?: string | undefined;
  visibility?: "internal" | "public" | undefined;
  audience?: { all: boolean; jobRoles: string[] } | undefined;
}

export async function updatePolicy(ctx: Context, id: string, changes: PolicyChanges) {
  const editor = actingUser(ctx.actor);
  await applyChange(ctx, "policies", async ({ tx, audit }) => {
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
    if (after.visibility !== before.visibility) {
      await recordVisibility(tx, after, after.updated_at, editor.userId);
    }
    await audit({
      action: "policy.updated",
      targetType: "policy",
      targetId: id,
      before: policySnapshot(before),
      after: policySnapshot(after),
    });
  });
  return getPolicy(ctx, id);
}

/** Saves the draft: edits the open draft, or starts a new one from the given text. */
export async function saveDraft(
  ctx: Context,
  policyId: string,
  input: { body: string; changeSummary?: string | undefined },
) {
  const author = actingUser(ctx.actor);
  // A draft changes no control: nothing to announce.
  await applyChange(ctx, null, async ({ tx, audit }) => {
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
    await audit({
      action: "policy.draft_saved",
      targetType: "policy_version",
      targetId: versionId,
      before: before ? { bodyLength: before.body.length } : null,
      after: {
        policyId,
        bodyLength: input.body.length,
        changeSummary: input.changeSummary ?? null,
      },
    });
  });
  return getPolicy(ctx, policyId);
}

export async function retirePolicy(ctx: Context, policyId: string) {
  await applyChange(ctx, "policies", async ({ tx, audit }) => {
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
    await audit({
      action: "policy.retired",
      targetType: "policy",
      targetId: policyId,
      before: policySnapshot(before),
      after: { retired: true },
    });
  });
  return getPolicy(ctx, policyId);
}

/**
 * A policy version as a PDF, for the areas that serve one (the trust center's documents). The
 * renderer loads pdfkit and its fonts: only when a PDF is asked for, not at start.
 */
export async function renderPolicyPdf(
  input: Parameters<typeof import("./policy-pdf.ts").renderPolicyPdf>[0],
): Promise<Buffer> {
  return (await import("./policy-pdf.ts")).renderPolicyPdf(input);
}
