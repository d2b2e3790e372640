import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { type CompanyProfile, placeholderValues } from "../../domain/company-profile.ts";
import { addDays, isoDay } from "../../domain/control-status.ts";
import { fillPlaceholders, removeTemplateNote } from "../../domain/policy-text.ts";
import { updateOrganization } from "../organizations/organizations.service.ts";
import { loadTemplates } from "../policies/templates.ts";

/** What Demo Co tells its policies about itself (Settings → Organization, Company profile). */
const DEMO_COMPANY_PROFILE: CompanyProfile = {
  legalEntity: "Demo Co Ltd",
  productName: "Demo Cloud",
  serviceSummary:
    "Demo Cloud is a hosted project-planning service for software teams of 5 to 500 people.",
  securityLead: "Dana Owner, Head of Security",
  securityEmail: "security@demo.attest.test",
  privacyEmail: "privacy@demo.attest.test",
  websiteUrl: "https://demo.attest.test",
  trustCenterUrl: "https://trust.demo.attest.test",
  hostingProvider: "Amazon Web Services",
  primaryRegion: "eu-central-1 (Frankfurt)",
  jurisdiction: "England and Wales",
  rtoHours: 8,
  rpoHours: 1,
  backupRetentionDays: 35,
  retentionDefaultDays: 30,
};

/**
 * Demo Co's company profile, and every template published as a finished policy: placeholders
 * filled from the profile, the effective date set to the publication day, the template note
 * removed, as an author would before approval.
 */
export async function seedDemoPolicies(
  db: Kysely<Database>,
  organizationId: string,
  owner: { userId: string; name: string },
  published: Date,
) {
  await updateOrganization(
    {
      db,
      organizationId,
      actor: { type: "user", userId: owner.userId, name: owner.name, role: "owner" },
      requestId: null,
    },
    { companyProfile: DEMO_COMPANY_PROFILE },
  );
  const values = {
    ...placeholderValues("Demo Co", DEMO_COMPANY_PROFILE),
    effective_date: isoDay(published),
  };
  const versionIds: string[] = [];
  const policyIds = new Map<string, string>();
  await withTenant(db, organizationId, async (tx) => {
    for (const template of loadTemplates()) {
      const policy = await tx
        .insertInto("policies")
        .values({
          organization_id: organizationId,
          template_key: template.key,
          control_key: template.controlKey,
          title: template.title,
          visibility: template.visibility,
          created_by: owner.userId,
          created_at: addDays(published, -3),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (template.controlKey) policyIds.set(template.controlKey, policy.id);
      const version = await tx
        .insertInto("policy_versions")
        .values({
          organization_id: organizationId,
          policy_id: policy.id,
          version: 1,
          body: removeTemplateNote(fillPlaceholders(template.body, values)),
          status: "published",
          author_id: owner.userId,
          created_at: addDays(published, -3),
          submitted_at: addDays(published, -1),
          published_at: published,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("policy_approvals")
        .values({
          organization_id: organizationId,
          version_id: version.id,
          kind: "publication",
          approver_id: owner.userId,
          approver_role: "owner",
          approved_at: published,
        })
        .execute();
      versionIds.push(version.id);
    }
  });
  return { versionIds, policyIds };
}
