import type { Area } from "../area.ts";
import { seedDemoEvidence } from "./evidence.demo.ts";
import { evidenceJobs } from "./evidence.jobs.ts";
import { evidenceAuditTargets } from "./evidence.queries.ts";
import { evidenceRoutes } from "./evidence.routes.ts";

/** Evidence files and links, encrypted at rest, with their validity dates. */
export const evidenceArea: Area = {
  name: "evidence",
  tables: ["evidence"],
  secrets: [
    { table: "evidence", columns: ["wrapped_key"], kind: "wrapped-key", blobDirectory: "evidence" },
  ],
  routes: evidenceRoutes,
  jobs: evidenceJobs,
  sources: ["evidence"],
  demo: seedDemoEvidence,
  auditTargets: evidenceAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    evidence: true;
  }
}
