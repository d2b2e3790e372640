import type { Area } from "../area.ts";
import { usersRoutes } from "./users.routes.ts";

/** The accounts that sign in to Attest, their roles and invitations. */
export const usersArea: Area = {
  name: "users",
  tables: ["users"],
  routes: usersRoutes,
};
