import type { Area } from "../area.ts";
import { systemsChecks } from "./systems.checks.ts";
import { seedDemoSystems } from "./systems.demo.ts";
import { systemsAuditTargets } from "./systems.queries.ts";
import { systemsRoutes } from "./systems.routes.ts";

/** The inventory of systems, components and data stores, and its sign-offs. */
export const systemsArea: Area = {
  name: "systems",
  tables: ["systems", "system_versions", "inventory_reviews"],
  routes: systemsRoutes,
  checks: systemsChecks,
  sources: ["systems"],
  demo: seedDemoSystems,
  auditTargets: systemsAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    systems: true;
  }
}
