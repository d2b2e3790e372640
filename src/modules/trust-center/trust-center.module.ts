import { trustHostRewrite } from "../../public-site/site.ts";
import type { Area } from "../area.ts";
import { trustCenterChecks } from "./trust-center.checks.ts";
import { seedDemoTrustCenter } from "./trust-center.demo.ts";
import { trustCenterPublicRoutes } from "./trust-center.public.ts";
import { trustCenterAuditTargets } from "./trust-center.queries.ts";
import { trustCenterRoutes } from "./trust-center.routes.ts";
import { TRUST_CENTER_SOURCE } from "./trust-center.service.ts";

/** The public trust center: its settings, publication, and the page at /trust. */
export const trustCenterArea: Area = {
  name: "trust-center",
  tables: ["trust_centers", "trust_center_logos", "trust_center_publications"],
  routes: trustCenterRoutes,
  publicRoutes: trustCenterPublicRoutes,
  checks: trustCenterChecks,
  sources: [TRUST_CENTER_SOURCE],
  demo: seedDemoTrustCenter,
  auditTargets: trustCenterAuditTargets,
  rewriteUrl: (config) => trustHostRewrite(config.trustHost),
};

declare module "../change.ts" {
  interface DataSources {
    "trust-center": true;
  }
}
