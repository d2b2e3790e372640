import type { Area } from "../area.ts";
import { controlsAuditTargets } from "./controls.queries.ts";
import { controlsRoutes } from "./controls.routes.ts";

/** The control catalog as each organization keeps it: owners, applicability, notes. */
export const controlsArea: Area = {
  name: "controls",
  tables: ["controls"],
  routes: controlsRoutes,
  auditTargets: controlsAuditTargets,
};
