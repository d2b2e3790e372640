import type { Area } from "../area.ts";
import { seedDemoOrganization } from "./organizations.demo.ts";
import { isSetupRequired, organizationsAuditTargets } from "./organizations.queries.ts";
import { organizationsRoutes } from "./organizations.routes.ts";

/** The organization: its name, settings and company profile, and first-run setup. */
export const organizationsArea: Area = {
  name: "organizations",
  tables: ["organizations"],
  routes: organizationsRoutes,
  sources: ["organization", "settings"],
  demo: seedDemoOrganization,
  auditTargets: organizationsAuditTargets,
  setupRequired: isSetupRequired,
};

declare module "../change.ts" {
  interface DataSources {
    organization: true;
    settings: true;
  }
}
