import { withTenant } from "../../db/tenant.ts";
import type { Policy } from "../../db/types.ts";
import { diffLines } from "../../domain/line-diff.ts";
import { remainingPlaceholders, unfinishedText } from "../../domain/policy-text.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { userNames } from "../users/users.queries.ts";
import { acknowledgementSummary } from "./policies.acknowledgements.ts";
import { findPolicy } from "./policies.queries.ts";

/** What the policy pages show: the list, one policy with its versions, a diff of two. */

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
        "v.author_id",
      ])
      .where("v.policy_id", "=", id)
      .$if(!withOpenVersions, (qb) => qb.where("v.status", "not in", ["draft", "submitted"]))
      .orderBy("v.version", "desc")
      .execute();
    const approvals = await tx
      .selectFrom("policy_approvals as a")
      .select([
        "a.version_id",
        "a.kind",
        "a.approved_at",
        "a.comment",
        "a.approver_id",
        "a.approver_role",
      ])
      .where(
        "a.version_id",
        "in",
        versions.length > 0 ? versions.map((v) => v.id) : ["00000000-0000-0000-0000-000000000000"],
      )
      .orderBy("a.approved_at")
      .execute();
    const names = await userNames(tx, [
      ...versions.flatMap((v) => (v.author_id ? [v.author_id] : [])),
      ...approvals.map((a) => a.approver_id),
    ]);
    const current = versions.find((v) => v.status === "published");
    const acknowledgement = current ? await acknowledgementSummary(tx, policy, current.id) : null;
    return {
      ...presentPolicy(policy),
      placeholders: remainingPlaceholders(current?.body ?? versions[0]?.body ?? ""),
      acknowledgement,
      versions: versions.map((v) => {
        const authorName = v.author_id ? names.get(v.author_id) : undefined;
        return {
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
          author: v.author_id && authorName ? { id: v.author_id, name: authorName } : null,
          createdAt: v.created_at,
          updatedAt: v.updated_at,
          submittedAt: v.submitted_at,
          publishedAt: v.published_at,
          supersededAt: v.superseded_at,
          approvals: approvals
            .filter((a) => a.version_id === v.id && names.has(a.approver_id))
            .map((a) => ({
              kind: a.kind,
              approvedAt: a.approved_at,
              comment: a.comment,
              approver: { id: a.approver_id, name: names.get(a.approver_id) as string },
              approverRole: a.approver_role,
            })),
        };
      }),
    };
  });
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
