import type { Area } from "../area.ts";
import { ssoAuditTargets } from "./sso.queries.ts";
import { ssoRoutes } from "./sso.routes.ts";

/**
 * OpenID Connect single sign-on: the organization's identity provider (configured by an
 * owner), sign-in through it with accounts made just in time for allowed email domains, roles
 * from the provider's groups, and the provider's two-factor standing for Attest's own when the
 * organization says so. See docs/sso.md.
 */
export const ssoArea: Area = {
  name: "sso",
  tables: ["sso_providers", "sso_logins", "sso_identities"],
  secrets: [
    { table: "sso_providers", columns: ["client_secret_enc"], kind: "sealed" },
    { table: "sso_logins", columns: ["nonce_enc", "verifier_enc"], kind: "sealed" },
  ],
  routes: ssoRoutes,
  auditTargets: ssoAuditTargets,
};
