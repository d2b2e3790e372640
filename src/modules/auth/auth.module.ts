import type { Area } from "../area.ts";
import { signInLockRoutes } from "./attempts.routes.ts";
import { authAuditTargets } from "./auth.queries.ts";
import { authRoutes } from "./auth.routes.ts";
import { registerAuthHook } from "./auth-hook.ts";

/** Sign-in, sessions, API tokens and two-factor authentication. */
export const authArea: Area = {
  name: "auth",
  tables: ["sessions", "api_tokens", "mfa_recovery_codes", "sign_in_throttles"],
  hooks: registerAuthHook,
  routes(app, deps) {
    authRoutes(app, deps);
    signInLockRoutes(app, deps);
  },
  auditTargets: authAuditTargets,
};
