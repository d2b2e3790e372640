import type { Area } from "../area.ts";
import { findingChecks } from "./vulnerabilities.checks.ts";
import { pentestChecks } from "./vulnerabilities.checks-pentests.ts";
import { seedDemoVulnerabilities } from "./vulnerabilities.demo.ts";
import { scanImportRoutes } from "./vulnerabilities.import.routes.ts";
import { scanImportAuditTargets } from "./vulnerabilities.import.ts";
import { vulnerabilityJobs } from "./vulnerabilities.jobs.ts";
import { pentestRoutes } from "./vulnerabilities.pentests.routes.ts";
import { pentestAuditTargets } from "./vulnerabilities.pentests.ts";
import { findingAuditTargets } from "./vulnerabilities.queries.ts";
import { findingRoutes } from "./vulnerabilities.routes.ts";

/**
 * Vulnerability management and penetration tests: findings imported from scanners (SARIF,
 * Trivy, Grype, npm audit, OSV-Scanner, CSV) and entered from pentests, deduplicated, tracked
 * against remediation deadlines by severity, triaged (assignment, comments, false positives,
 * risk acceptances approved by someone else); scan imports kept as evidence; engagements with
 * their reports and retests.
 */
export const vulnerabilitiesArea: Area = {
  name: "vulnerabilities",
  tables: [
    "pentests",
    "pentest_retests",
    "scan_imports",
    "findings",
    "finding_periods",
    "finding_acceptances",
    "finding_comments",
  ],
  routes: (app, deps) => {
    findingRoutes(app, deps);
    scanImportRoutes(app, deps);
    pentestRoutes(app, deps);
  },
  checks: [...findingChecks, ...pentestChecks],
  jobs: vulnerabilityJobs,
  sources: ["findings", "pentests"],
  demo: seedDemoVulnerabilities,
  auditTargets: { ...findingAuditTargets, ...scanImportAuditTargets, ...pentestAuditTargets },
};

declare module "../change.ts" {
  interface DataSources {
    /** Findings, their statuses and acceptances, and scan imports. */
    findings: true;
    /** Penetration test engagements and retests. */
    pentests: true;
  }
}
