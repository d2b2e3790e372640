import type { Org } from "../factories.ts";
import { Client } from "../helpers/app.ts";
import { factoryBody as body } from "./shared.ts";

/**
 * SCIM provisioning (issue 16): a SCIM token made by the owner, a client that sends it (as an
 * identity provider does, application/scim+json), and users and groups provisioned through it.
 */
let sequence = 0;

/** A SCIM token of the organization, made by its owner; answers the API's CreatedScimToken. */
export async function scimToken(org: Org, name = `IdP ${++sequence}`) {
  return body(await org.owner.client.post("/api/v1/scim-tokens", { name }), "scim token", 201);
}

/** A client acting as the identity provider, with a new SCIM token of the organization. */
export async function scimClient(org: Org, token?: string): Promise<ScimClient> {
  return new ScimClient(org, token ?? (await scimToken(org)).token);
}

/** Sends requests to /scim/v2 with the SCIM token, as application/scim+json. */
export class ScimClient extends Client {
  constructor(
    readonly org: Org,
    readonly token: string,
  ) {
    super(org.t.app);
    this.bearer = token;
  }

  scim(method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) {
    return this.request(
      method,
      `/scim/v2${path}`,
      payload === undefined ? undefined : JSON.stringify(payload),
      {
        ...(payload === undefined ? {} : { "content-type": "application/scim+json" }),
        ...headers,
      },
    );
  }
}

/** A User provisioned by the identity provider; answers the SCIM User. */
export async function scimUser(client: ScimClient, fields: Record<string, unknown> = {}) {
  sequence++;
  const userName = `scim.user${sequence}.${Math.random().toString(36).slice(2, 8)}@example.test`;
  return body(
    await client.scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      name: { givenName: "Sam", familyName: `Provisioned ${sequence}` },
      emails: [{ primary: true, value: userName, type: "work" }],
      active: true,
      ...fields,
    }),
    "scim user",
    201,
  );
}

/** A Group created by the identity provider; answers the SCIM Group. */
export async function scimGroup(client: ScimClient, fields: Record<string, unknown> = {}) {
  sequence++;
  return body(
    await client.scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: `Group ${sequence}`,
      members: [],
      ...fields,
    }),
    "scim group",
    201,
  );
}

/** The person the people area lists with this email (as the owner sees them). */
export async function personByEmail(org: Org, email: string) {
  const page = body(
    await org.owner.client.get(
      `/api/v1/people?q=${encodeURIComponent(email)}&status=all&limit=200`,
    ),
    "people",
    200,
  );
  const found = page.items.find((p: { email: string }) => p.email === email.toLowerCase());
  if (!found) throw new Error(`no person ${email}`);
  return body(await org.owner.client.get(`/api/v1/people/${found.id}`), "person", 200);
}
