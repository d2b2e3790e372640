import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "../../../src/domain/permissions.ts";
import {
  type Org,
  organization,
  type ScimClient,
  scimClient,
  scimGroup,
  scimUser,
  user,
} from "../../factories.ts";
import { Client, createTestApp, type Reply, type TestApp } from "../../helpers/app.ts";

/**
 * The SCIM walk: every route under /scim/v2 declares access "scim"; every role's session and
 * API token gets a SCIM 401 on each, the SCIM token reaches each handler (never a 401, 403 or
 * server error), and another organization's SCIM token finds none of this one's records.
 * (The roles walk covers /api/v1; the SCIM token has no role.)
 */
let t: TestApp;
let org: Org;
let idp: ScimClient;
let existing: { Users: string; Groups: string };

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  idp = await scimClient(org);
  const created = await scimUser(idp);
  existing = {
    Users: created.id,
    Groups: (await scimGroup(idp, { members: [{ value: created.id }] })).id,
  };
});
afterAll(() => t?.close());

function scimRoutes() {
  return t.app.attestRoutes.filter((route) => route.url.startsWith("/scim/v2"));
}

function concrete(url: string, ids: { Users: string; Groups: string } | null): string {
  return url.replace(/\/scim\/v2\/(\w+)\/:id/, (_, resource: string) => {
    if (resource === "ResourceTypes") return "/scim/v2/ResourceTypes/User";
    if (resource === "Schemas")
      return "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User";
    const id = ids?.[resource as "Users" | "Groups"] ?? randomUUID();
    return `/scim/v2/${resource}/${id}`;
  });
}

/** A well-made body for the route, so that a request reaches the record it names. */
function bodyFor(method: string, url: string): unknown {
  const groups = url.includes("/Groups");
  if (method === "PATCH") {
    return {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: groups ? "externalId" : "title", value: "walked" }],
    };
  }
  if (method === "PUT" || method === "POST") {
    const unique = randomUUID();
    return groups
      ? { displayName: `Walk ${unique}` }
      : {
          userName: `walk-${unique}@example.test`,
          emails: [{ value: `walk-${unique}@example.test` }],
        };
  }
  return undefined;
}

function send(client: Client, method: string, url: string): Promise<Reply> {
  const body = bodyFor(method, url);
  return client.request(
    method,
    url,
    body === undefined ? undefined : JSON.stringify(body),
    body ? { "content-type": "application/scim+json" } : {},
  );
}

describe("the SCIM walk", () => {
  it("lists the SCIM routes, each declaring access scim", () => {
    const routes = scimRoutes().map((r) => `${r.method} ${r.url} ${r.access}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        "GET /scim/v2/ServiceProviderConfig scim",
        "GET /scim/v2/Users scim",
        "PATCH /scim/v2/Groups/:id scim",
      ]),
    );
    expect(routes.every((route) => route.endsWith(" scim"))).toBe(true);
  });

  it("answers every role's session and API token with a SCIM 401 on every route", async () => {
    const problems: string[] = [];
    for (const role of ROLES) {
      const person = role === "owner" ? org.owner : await user(org, role);
      const token = await person.client.post("/api/v1/tokens", { name: `walk ${role}` });
      const withToken = new Client(t.app);
      withToken.bearer = token.body.token;
      for (const route of scimRoutes()) {
        const url = concrete(route.url, existing);
        for (const [how, client] of [
          ["session", person.client],
          ["API token", withToken],
        ] as const) {
          const reply = await send(client, route.method, url);
          if (
            reply.status !== 401 ||
            reply.body?.schemas?.[0] !== "urn:ietf:params:scim:api:messages:2.0:Error"
          ) {
            problems.push(`${role} ${how} ${route.method} ${url}: ${reply.status}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("lets the SCIM token reach every handler; another organization's token finds nothing here", async () => {
    const other = await scimClient(await organization(t));
    const problems: string[] = [];
    for (const route of scimRoutes()) {
      if (route.url.includes(":id") && !/ResourceTypes|Schemas/.test(route.url)) {
        // Before this organization's own request, which may delete the record.
        const theirs = await send(other, route.method, concrete(route.url, existing));
        if (theirs.status !== 404)
          problems.push(`other ${route.method} ${route.url}: ${theirs.status}`);
      }
      const mine = await send(idp, route.method, concrete(route.url, existing));
      if ([401, 403].includes(mine.status) || mine.status >= 500) {
        problems.push(`own ${route.method} ${route.url}: ${mine.status}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
