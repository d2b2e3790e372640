import type { Area } from "../area.ts";
import { customerChecks } from "./customers.checks.ts";
import { seedDemoCustomers } from "./customers.demo.ts";
import { customerImportRoutes } from "./customers.import.routes.ts";
import { customerJobs } from "./customers.jobs.ts";
import { customersAuditTargets } from "./customers.queries.ts";
import { customerRoutes } from "./customers.routes.ts";

/**
 * Retention and disposal of customer data: each customer's contract, its retention requirement
 * (agreed, or the organization's default explicitly applied) and the data stores holding its
 * data, with a dated history; when a contract ends, a disposal task per data store due at the
 * end of the retention period, closed by a disposal record with evidence; a certificate of
 * disposal; a CSV import.
 */
export const customersArea: Area = {
  name: "customers",
  tables: [
    "customers",
    "customer_versions",
    "customer_disposals",
    "customer_disposal_evidence",
    "customer_disposal_reminders",
  ],
  routes: (app, deps) => {
    customerRoutes(app, deps);
    customerImportRoutes(app, deps);
  },
  checks: customerChecks,
  jobs: customerJobs,
  sources: ["customers"],
  demo: seedDemoCustomers,
  auditTargets: customersAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    /** Customers, their terms and data stores, disposal records and their evidence. */
    customers: true;
  }
}
