import type { Area } from "../area.ts";
import { reportingChecks } from "./reporting.checks.ts";
import { seedDemoReporting } from "./reporting.demo.ts";
import { reportingJobs } from "./reporting.jobs.ts";
import { reportingPublicRoutes } from "./reporting.public.ts";
import { reportingAuditTargets } from "./reporting.queries.ts";
import { reportingRoutes } from "./reporting.routes.ts";
import { reportingTrustSection } from "./reporting.trust.ts";

/** The confidential reporting channel: intake on the trust center, handling, deadlines. */
export const reportingArea: Area = {
  name: "reporting",
  tables: [
    "reporting_channels",
    "reporting_channel_changes",
    "report_handlers",
    "reports",
    "report_messages",
    "report_reminders",
    "report_spent_challenges",
  ],
  secrets: [
    {
      table: "reports",
      columns: ["subject_enc", "body_enc", "contact_enc", "outcome_enc"],
      kind: "sealed",
    },
    { table: "report_messages", columns: ["body_enc"], kind: "sealed" },
  ],
  routes: reportingRoutes,
  publicRoutes: reportingPublicRoutes,
  checks: reportingChecks,
  jobs: reportingJobs,
  trustSections: [reportingTrustSection],
  sources: ["reporting"],
  demo: seedDemoReporting,
  auditTargets: reportingAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    reporting: true;
  }
}
