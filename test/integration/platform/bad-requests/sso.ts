import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/**
 * Bad requests for single sign-on (issue 16): the owner's provider configuration. Saving does
 * not contact the provider; the discovery test does, and a loopback port where nothing listens
 * is a 422 naming issuerUrl (the issuer's refusal, not a validation failure).
 */
const settings = {
  name: "Okta",
  issuerUrl: "https://login.example.com",
  clientId: "attest",
  clientSecret: "a client secret",
  allowedDomains: ["example.com"],
};

export const ssoBadRequests: AreaBadRequests = {
  requests: {
    "PUT /api/v1/sso/provider": {
      as: "owner",
      body: {
        ...settings,
        allowedDomains: ["not a domain"],
        roleMapping: [{ group: "x", role: "owner" }],
      },
      fields: ["allowedDomains.0", "roleMapping.0.role"],
    },
    "DELETE /api/v1/sso/provider": {
      as: "owner",
      raw: "{not json",
      fields: ["body"],
    },
    "POST /api/v1/sso/provider/discovery": {
      as: "owner",
      body: { issuerUrl: "ftp://login.example.com" },
      fields: ["issuerUrl"],
    },
  },
};

/** The same made well (the WELL_MADE table spreads these in). */
export const ssoWellMade: Record<string, WellMade> = {
  "PUT /api/v1/sso/provider": { body: settings, status: 200 },
  "DELETE /api/v1/sso/provider": {
    prepare: async (c) => {
      const saved = await c.client.request("PUT", "/api/v1/sso/provider", settings);
      if (saved.status !== 200)
        throw new Error(`sso: ${saved.status} ${JSON.stringify(saved.body)}`);
      return {};
    },
    status: 204,
  },
  "POST /api/v1/sso/provider/discovery": {
    body: { issuerUrl: "https://127.0.0.1:9" },
    status: 422,
  },
};
