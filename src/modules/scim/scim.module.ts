import type { Area } from "../area.ts";
import { registerScim } from "./scim.http.ts";
import { scimAuditTargets } from "./scim.queries.ts";
import { scimSettingsRoutes } from "./scim.settings.routes.ts";

/**
 * SCIM 2.0 provisioning (issue 16): an identity provider (Okta, Entra ID…) creates, changes
 * and ends the organization's people through /scim/v2 with a SCIM token of the organization;
 * groups map to job roles. Owners manage the tokens under /api/v1/scim-tokens. See
 * docs/scim.md.
 */
export const scimArea: Area = {
  name: "scim",
  tables: ["scim_tokens", "scim_users", "scim_groups", "scim_group_members"],
  hooks: registerScim,
  routes: scimSettingsRoutes,
  auditTargets: scimAuditTargets,
};
