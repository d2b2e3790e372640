import type { Area } from "../area.ts";
import { usersRoutes } from "./users.routes.ts";

/** The accounts that sign in to Attest, their roles and invitations. */
export const usersArea: Area = {
  name: "users",
  tables: ["users"],
  secrets: [
    { table: "users", columns: ["mfa_secret_enc", "mfa_pending_secret_enc"], kind: "sealed" },
  ],
  routes: usersRoutes,
};
