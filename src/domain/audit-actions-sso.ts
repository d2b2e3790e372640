/** Labels and sentences of the actions of single sign-on (issue 16). */
import { type ActionText, changed, str } from "./audit-words.ts";

const PROVIDER_FIELDS = {
  name: "name",
  issuerUrl: "issuer",
  clientId: "client id",
  clientSecretChanged: "client secret",
  allowedDomains: "allowed domains",
  passwordSignInAllowed: "password sign-in for non-owners",
  groupsClaim: "groups claim",
  roleMapping: "group → role mapping",
  defaultRole: "default role",
  acceptProviderMfa: "acceptance of the provider's two-factor",
  mfaAcrValues: "accepted acr values",
  enabled: "enabled",
};

/** Why a single sign-on was refused, as the audit trail says it. */
export const SSO_REFUSALS: Record<string, string> = {
  expired: "the sign-in had expired or was already used",
  provider_error: "the identity provider answered with an error",
  invalid_token: "the identity provider's answer did not validate",
  email_unverified: "the provider has not verified the email",
  domain_not_allowed: "the email's domain is not allowed",
  account_disabled: "the account is deactivated or its access expired",
  employment_ended: "the person's employment has ended",
  other_organization: "the email belongs to another organization's account",
  not_configured: "single sign-on is not configured",
  other_browser: "it was finished in another browser than the one that started it",
  provider_unreachable: "the identity provider could not be reached",
};

export const SSO_ACTIONS: Record<string, ActionText> = {
  "sso.provider_configured": {
    label: "Single sign-on configured",
    sentence: (p) => {
      const name = str(p.after, "name");
      return `${p.who} configured single sign-on${name ? ` with ${name}` : ""}`;
    },
  },
  "sso.provider_changed": {
    label: "Single sign-on changed",
    sentence: (p) => changed(p, PROVIDER_FIELDS, "single sign-on", ""),
  },
  "sso.provider_removed": {
    label: "Single sign-on removed",
    sentence: (p) => {
      const name = str(p.before, "name");
      return `${p.who} removed single sign-on${name ? ` with ${name}` : ""}`;
    },
  },
  "auth.sso_login": {
    label: "Signed in with single sign-on",
    sentence: (p) => {
      const provider = str(p.after, "provider");
      return `${p.who} signed in with single sign-on${provider ? ` (${provider})` : ""}`;
    },
  },
  "auth.sso_login_failed": {
    label: "Single sign-on refused",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      const email = str(p.after, "email");
      const why = reason ? ` (${SSO_REFUSALS[reason] ?? reason})` : "";
      return `A single sign-on${email ? ` as ${email}` : ""} was refused${why}`;
    },
  },
  "user.created_by_sso": {
    label: "Account created at single sign-on",
    sentence: (p) => {
      const email = str(p.after, "email");
      const role = str(p.after, "role");
      return `${p.who} created the account ${p.target("a user")}${email ? ` (${email})` : ""}${role ? ` as ${role}` : ""} at its first single sign-on`;
    },
  },
};
