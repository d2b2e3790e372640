import { registerSecretColumns } from "../platform/keyring-columns.ts";
import { registerTrustSection } from "../public-site/sections.ts";
import { accessArea } from "./access/access.module.ts";
import { accessReviewsArea } from "./access-reviews/access-reviews.module.ts";
import type { Area } from "./area.ts";
import { auditLogArea } from "./audit-log/audit-log.module.ts";
import { registerAuditTarget } from "./audit-log/audit-log.targets.ts";
import { authArea } from "./auth/auth.module.ts";
import { continuityArea } from "./continuity/continuity.module.ts";
import { controlsArea } from "./controls/controls.module.ts";
import { controlKeysInOrder } from "./controls/controls.queries.ts";
import { customersArea } from "./customers/customers.module.ts";
import { encryptionArea } from "./encryption/encryption.module.ts";
import { endpointsArea } from "./endpoints/endpoints.module.ts";
import { evidenceArea } from "./evidence/evidence.module.ts";
import { incidentsArea } from "./incidents/incidents.module.ts";
import { monitoringArea } from "./monitoring/monitoring.module.ts";
import { provideEvaluationInputs, registerControlTest } from "./monitoring/registry.ts";
import { registerScheduledJob } from "./monitoring/scheduled-tasks.ts";
import { noticesArea } from "./notices/notices.module.ts";
import { organizationsArea } from "./organizations/organizations.module.ts";
import { allOrganizationIds, organizationSettings } from "./organizations/organizations.queries.ts";
import { peopleArea } from "./people/people.module.ts";
import { policiesArea } from "./policies/policies.module.ts";
import { reportingArea } from "./reporting/reporting.module.ts";
import { scimArea } from "./scim/scim.module.ts";
import { ssoArea } from "./sso/sso.module.ts";
import { systemsArea } from "./systems/systems.module.ts";
import { trustCenterArea } from "./trust-center/trust-center.module.ts";
import { trustDocumentsArea } from "./trust-documents/trust-documents.module.ts";
import { usersArea } from "./users/users.module.ts";
import { vulnerabilitiesArea } from "./vulnerabilities/vulnerabilities.module.ts";

/**
 * The one ordered list of areas. Routes are registered, scheduled jobs run, trust-center
 * sections render (by their own order) and the demo is seeded in this order. Adding an area
 * is adding it here; see docs/architecture.md.
 */
export const areas: readonly Area[] = [
  authArea,
  usersArea,
  // issue 16: single sign-on
  ssoArea,
  organizationsArea,
  controlsArea,
  auditLogArea,
  peopleArea,
  systemsArea,
  accessArea,
  accessReviewsArea,
  policiesArea,
  monitoringArea,
  evidenceArea,
  vulnerabilitiesArea,
  trustCenterArea,
  trustDocumentsArea,
  noticesArea,
  reportingArea,
  incidentsArea,
  continuityArea,
  encryptionArea,
  customersArea,
  // issue 15: endpoints
  endpointsArea,
  // issue 16: scim
  scimArea,
];

let installed = false;

/**
 * Hands every area's checks, jobs, trust-center sections, audit-target labels and sealed
 * columns to the engines that use them.
 * Called by whatever starts Attest (the server, the CLI); safe to call more than once.
 */
export function installAreas(): void {
  if (installed) return;
  installed = true;
  provideEvaluationInputs({
    settings: organizationSettings,
    controlKeys: controlKeysInOrder,
    organizationIds: allOrganizationIds,
  });
  for (const area of areas) {
    for (const check of area.checks ?? []) registerControlTest(check);
    for (const job of area.jobs ?? []) registerScheduledJob(job);
    for (const section of area.trustSections ?? []) registerTrustSection(section);
    for (const [type, target] of Object.entries(area.auditTargets ?? {})) {
      registerAuditTarget(type, target);
    }
    for (const secrets of area.secrets ?? []) {
      if (!area.tables.includes(secrets.table)) {
        throw new Error(`The ${area.name} area declares secrets of a table it does not own`);
      }
      registerSecretColumns(secrets);
    }
  }
}
