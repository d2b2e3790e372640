import type { Area } from "../area.ts";
import { endpointChecks } from "./endpoints.checks.ts";
import { seedDemoEndpoints } from "./endpoints.demo.ts";
import { endpointJobs } from "./endpoints.jobs.ts";
import { endpointsAuditTargets } from "./endpoints.queries.ts";
import { endpointRoutes } from "./endpoints.routes.ts";

/**
 * Encryption in transit: the organization's internet-facing endpoints, probed live (TLS
 * versions, certificate chain and name, expiry, plain HTTP redirecting to HTTPS, HSTS) on a
 * schedule and on demand, each probe stored as dated evidence; the endpoints-tls check reads
 * them as of any date. See docs/endpoints.md.
 */
export const endpointsArea: Area = {
  name: "endpoints",
  tables: ["endpoints", "endpoint_probes"],
  routes: endpointRoutes,
  checks: endpointChecks,
  jobs: endpointJobs,
  sources: ["endpoints"],
  demo: seedDemoEndpoints,
  auditTargets: endpointsAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    /** Internet-facing endpoints and their TLS probes. */
    endpoints: true;
  }
}
