import type { Area } from "../area.ts";
import { backupJobs } from "./continuity.backups.ts";
import { continuityChecks } from "./continuity.checks.ts";
import { seedDemoContinuity } from "./continuity.demo.ts";
import { continuityAuditTargets } from "./continuity.queries.ts";
import { continuityRoutes } from "./continuity.routes.ts";

/**
 * Business continuity: restore tests of the inventory's backed-up systems, each restored into a
 * non-production environment with its integrity checks, by a person or (for Attest's own data)
 * by Attest itself, and the check that every backed-up system was restore-tested within a year.
 */
export const continuityArea: Area = {
  name: "continuity",
  tables: ["restore_tests", "restore_test_checks", "restore_test_evidence"],
  routes: continuityRoutes,
  checks: continuityChecks,
  sources: ["continuity"],
  demo: seedDemoContinuity,
  auditTargets: continuityAuditTargets,
  jobs: [...backupJobs],
};

declare module "../change.ts" {
  interface DataSources {
    /** Restore tests of backups, their integrity checks and evidence. */
    continuity: true;
  }
}
