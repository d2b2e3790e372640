import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { CompanyProfile } from "../../domain/company-profile.ts";
import type { DemoContext } from "../area.ts";
import { updateOrganization } from "./organizations.service.ts";

/** What Demo Co tells its policies about itself (Settings → Organization, Company profile). */
const DEMO_COMPANY_PROFILE: CompanyProfile = {
  legalEntity: "Demo Co Ltd",
  productName: "Demo Cloud",
  serviceSummary:
    "Demo Cloud is a hosted project-planning service for software teams of 5 to 500 people.",
  securityLead: "Dana Whitfield, Head of Security",
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

/** Demo Co's company profile, filled in before the policies are written from it. */
export async function seedDemoOrganization(
  _db: Kysely<Database>,
  demo: DemoContext,
): Promise<void> {
  await updateOrganization(demo.ownerContext, { companyProfile: DEMO_COMPANY_PROFILE });
}
