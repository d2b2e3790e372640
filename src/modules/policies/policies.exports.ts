import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { createZip } from "../../platform/zip.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { findPolicy } from "./policies.queries.ts";
import { renderPolicyPdf } from "./policies.service.ts";

/** Policies as files: one version as a PDF, every current version as PDF and Markdown in a ZIP. */

export interface ExportedFile {
  fileName: string;
  data: Buffer;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "policy"
  );
}

/** One version of a policy as a PDF. */
export async function exportVersionPdf(
  ctx: Context,
  policyId: string,
  versionId: string,
): Promise<ExportedFile> {
  const { policy, version, organization } = await withTenant(
    ctx.db,
    ctx.organizationId,
    async (tx) => {
      const policy = await findPolicy(tx, policyId);
      const version = await tx
        .selectFrom("policy_versions")
        .selectAll()
        .where("id", "=", versionId)
        .where("policy_id", "=", policyId)
        .executeTakeFirst();
      if (!version) throw errors.notFound("Policy version");
      return { policy, version, organization: await organizationName(tx) };
    },
  );
  if (!version.body.trim()) throw errors.invalidState("This version is empty.");
  const pdf = await renderPolicyPdf({
    organizationName: organization,
    title: policy.title,
    version: version.version,
    publishedAt: version.published_at,
    status: version.status,
    body: version.body,
  });
  return { fileName: `${slug(policy.title)}-v${version.version}.pdf`, data: pdf };
}

/** Every current policy version as PDF and Markdown, in one ZIP. */
export async function exportPoliciesZip(ctx: Context): Promise<ExportedFile> {
  const { organization, rows } = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const organization = await organizationName(tx);
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
    return { organization, rows };
  });
  const entries = [];
  for (const row of rows) {
    const base = `${slug(row.title)}-v${row.version}`;
    const pdf = await renderPolicyPdf({
      organizationName: organization,
      title: row.title,
      version: row.version,
      publishedAt: row.published_at,
      status: row.status,
      body: row.body,
    });
    entries.push({ name: `${base}.pdf`, data: pdf, modifiedAt: row.published_at ?? undefined });
    entries.push({
      name: `${base}.md`,
      data: Buffer.from(row.body),
      modifiedAt: row.published_at ?? undefined,
    });
  }
  return { fileName: `${slug(organization)}-policies.zip`, data: createZip(entries) };
}
