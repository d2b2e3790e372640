import type { Area } from "../area.ts";
import { auditLogRoutes } from "./audit-log.routes.ts";

/** The tamper-evident trail of every change: reading, filtering, export and verification. */
export const auditLogArea: Area = {
  name: "audit-log",
  tables: ["audit_events"],
  routes: auditLogRoutes,
};
