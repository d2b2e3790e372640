// Single sign-on: the owner's provider settings, the discovery test and the sign-in page's offer.
import { del, get, post, put } from "../../ui/http";
import type { Discovery, ProviderAnswer, ProviderInput, SsoOptions } from "./sso.types";

export const ssoApi = {
  provider: () => get<ProviderAnswer>("/sso/provider"),
  save: (input: ProviderInput) => put<ProviderAnswer>("/sso/provider", input),
  remove: () => del("/sso/provider"),
  discover: (issuerUrl: string) => post<Discovery>("/sso/provider/discovery", { issuerUrl }),
  options: () => get<SsoOptions>("/auth/sso/options"),
};

/** What the sign-in page says when single sign-on sent the browser back refused. */
export const SSO_ERRORS: Record<string, string> = {
  expired: "That single sign-on expired or was already used. Start again.",
  other_browser: "Finish single sign-on in the browser you started it in.",
  not_configured: "Single sign-on is not set up for your organization.",
  provider_unreachable:
    "The identity provider could not be reached. Try again, or sign in with a password if your organization allows it.",
  provider_error: "The identity provider did not sign you in.",
  invalid_token:
    "The identity provider's answer could not be verified. Ask an owner to check the single sign-on settings.",
  email_unverified: "Your identity provider has not verified your email address.",
  domain_not_allowed: "Your email's domain may not sign in to this organization.",
  account_disabled: "Your Attest account is deactivated or its access has ended.",
  employment_ended: "Your employment has ended, so you can no longer sign in.",
  other_organization: "Your email belongs to an account of another organization.",
};
