import type { Area } from "../area.ts";
import { accessChecks } from "./access.checks.ts";
import { seedDemoAccess } from "./access.demo.ts";
import { accessImportRoutes } from "./access.import.routes.ts";
import { accessJobs } from "./access.jobs.ts";
import { keyChecks } from "./access.keys.checks.ts";
import { accessKeyRoutes } from "./access.keys.routes.ts";
import { hostListingRoutes } from "./access.listings.routes.ts";
import { accessAuditTargets } from "./access.queries.ts";
import { removalChecks } from "./access.removal.checks.ts";
import { accessRoutes } from "./access.routes.ts";
import { accessWorkflowRoutes } from "./access.workflow.routes.ts";

/**
 * Who can reach what: accounts on systems, grants and the role rules that imply them, access
 * requests, the tasks that carry joiners', leavers' and requested changes out, the keys that
 * open production (SSH, cloud and API keys) and the authorized_keys listings collected from hosts.
 */
export const accessArea: Area = {
  name: "access",
  tables: [
    "role_rules",
    "access_requests",
    "access_grants",
    "accounts",
    "access_tasks",
    "access_keys",
    "access_key_systems",
    "host_key_listings",
    "host_key_entries",
  ],
  routes: (app, deps) => {
    accessRoutes(app, deps);
    accessWorkflowRoutes(app, deps);
    accessImportRoutes(app, deps);
    accessKeyRoutes(app, deps);
    hostListingRoutes(app, deps);
  },
  checks: [...accessChecks, ...removalChecks, ...keyChecks],
  jobs: accessJobs,
  sources: ["access"],
  demo: seedDemoAccess,
  auditTargets: accessAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    access: true;
  }
}
