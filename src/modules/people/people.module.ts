import type { Area } from "../area.ts";
import { seedDemoPeople } from "./people.demo.ts";
import { peopleRoutes } from "./people.routes.ts";

/** The people of the organization (employees and contractors), whether or not they sign in. */
export const peopleArea: Area = {
  name: "people",
  tables: ["people"],
  routes: peopleRoutes,
  sources: ["people"],
  demo: seedDemoPeople,
};

declare module "../change.ts" {
  interface DataSources {
    people: true;
  }
}
