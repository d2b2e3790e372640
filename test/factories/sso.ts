import type { Org } from "../factories.ts";
import { factoryBody as body } from "./shared.ts";

/**
 * Single sign-on (issue 16): the organization's identity provider, configured by the owner
 * through the API. Saving does not contact the issuer, so the default one need not exist; the
 * sign-in tests (test/integration/sso/) run a real provider on loopback.
 */
export async function ssoProvider(org: Org, fields: Record<string, unknown> = {}) {
  return body(
    await org.owner.client.request("PUT", "/api/v1/sso/provider", {
      name: `Identity provider of ${org.name}`,
      issuerUrl: "https://login.example.com",
      clientId: "attest",
      clientSecret: `client secret of ${org.name}`,
      allowedDomains: [`${org.id.slice(0, 8)}.example.com`],
      roleMapping: [{ group: "security", role: "admin" }],
      ...fields,
    }),
    "configure single sign-on",
    200,
  );
}
