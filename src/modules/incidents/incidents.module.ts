import type { Area } from "../area.ts";
import { incidentChecks } from "./incidents.checks.ts";
import { exerciseChecks } from "./incidents.checks-exercises.ts";
import { seedDemoIncidents } from "./incidents.demo.ts";
import { exerciseRoutes } from "./incidents.exercises.routes.ts";
import { exerciseAuditTargets } from "./incidents.exercises.ts";
import { incidentJobs } from "./incidents.jobs.ts";
import { lessonsRoutes } from "./incidents.lessons.routes.ts";
import { lessonsAuditTargets } from "./incidents.lessons.ts";
import { lessonsChecks } from "./incidents.lessons-checks.ts";
import { lessonsJobs } from "./incidents.lessons-jobs.ts";
import { incidentNoticeRoutes } from "./incidents.notices.routes.ts";
import { noticeChecks } from "./incidents.notices-checks.ts";
import { incidentAuditTargets } from "./incidents.queries.ts";
import { incidentRoutes } from "./incidents.routes.ts";

/**
 * Incident response: incidents declared by any member or from a confidential report, triaged,
 * worked on a timeline and resolved against clocks set by their severity; notices to affected
 * customers; lessons learned approved by a manager and shared with the team, with action items
 * tracked to completion; and tests of the Incident Response Plan (tabletop exercises, or a real
 * incident marked as the test) whose outcomes lead to a new version of the plan.
 */
export const incidentsArea: Area = {
  name: "incidents",
  tables: [
    "incidents",
    "incident_entries",
    "incident_systems",
    "incident_lessons",
    "incident_action_items",
    "ir_exercises",
    "ir_exercise_participants",
    "ir_exercise_outcomes",
  ],
  routes: (app, deps) => {
    incidentRoutes(app, deps);
    lessonsRoutes(app, deps);
    exerciseRoutes(app, deps);
    incidentNoticeRoutes(app, deps);
  },
  checks: [...incidentChecks, ...lessonsChecks, ...noticeChecks, ...exerciseChecks],
  jobs: [...incidentJobs, ...lessonsJobs],
  sources: ["incidents", "ir-exercises"],
  demo: seedDemoIncidents,
  auditTargets: { ...incidentAuditTargets, ...lessonsAuditTargets, ...exerciseAuditTargets },
};

declare module "../change.ts" {
  interface DataSources {
    /** Incidents, their timelines, lessons learned and action items. */
    incidents: true;
    /** Exercises of the Incident Response Plan and their outcomes. */
    "ir-exercises": true;
  }
}
