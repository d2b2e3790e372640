import type { Area } from "../area.ts";
import { seedDemoPeople } from "./people.demo.ts";
import { peopleAuditTargets } from "./people.queries.ts";
import { peopleRoutes } from "./people.routes.ts";

/** The people of the organization (employees and contractors), whether or not they sign in. */
export const peopleArea: Area = {
  name: "people",
  tables: ["people", "person_job_roles"],
  routes: peopleRoutes,
  sources: ["people"],
  demo: seedDemoPeople,
  auditTargets: peopleAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    people: true;
  }
}
