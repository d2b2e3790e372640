import type { Area } from "../area.ts";
import { monitoringRoutes } from "./monitoring.routes.ts";

/** Control results, history and the dashboard; the evaluation engine reads no area by name. */
export const monitoringArea: Area = {
  name: "monitoring",
  tables: ["control_results", "test_results", "control_snapshots", "job_runs"],
  routes: monitoringRoutes,
};
