import type { Area } from "../area.ts";
import { policyChecks } from "./policies.checks.ts";
import { seedDemoPolicies } from "./policies.demo.ts";
import { policyJobs } from "./policies.jobs.ts";
import { policiesAuditTargets } from "./policies.queries.ts";
import { policiesRoutes } from "./policies.routes.ts";

/** Policies from templates: editing, approval, publication, acknowledgement, annual review. */
export const policiesArea: Area = {
  name: "policies",
  tables: [
    "policies",
    "policy_versions",
    "policy_approvals",
    "policy_acknowledgements",
    "notifications",
    "policy_visibility_changes",
  ],
  routes: policiesRoutes,
  checks: policyChecks,
  jobs: policyJobs,
  sources: ["policies"],
  demo: seedDemoPolicies,
  auditTargets: policiesAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    policies: true;
  }
}
