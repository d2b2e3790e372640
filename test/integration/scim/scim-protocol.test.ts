import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Org,
  organization,
  type ScimClient,
  scimClient,
  scimGroup,
  scimUser,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * RFC 7644 as a client meets it: discovery documents, filtering (eq, co, sw, ew, pr, and/or/not,
 * value paths) and pagination as SQL, attributes/excludedAttributes, application/json as well as
 * application/scim+json, and each refusal with its status and scimType.
 */
let t: TestApp;
let org: Org;
let idp: ScimClient;
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const tag = `p${Date.now().toString(36)}`;
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  idp = await scimClient(org);
  for (const [i, dept] of ["Sales", "Sales", "Support", "Legal", "Sales"].entries()) {
    const userName = `${tag}.user${i}@example.test`;
    const created = await scimUser(idp, {
      userName,
      emails: [{ value: userName, type: "work", primary: true }],
      externalId: `ext-${tag}-${i}`,
      displayName: `User ${i} ${tag}`,
      ...(i === 3 ? { title: "Counsel", active: false } : {}),
      [ENTERPRISE]: { department: dept },
    });
    ids.push(created.id);
  }
});
afterAll(() => t?.close());

const list = (filter: string, extra = "") =>
  idp.scim("GET", `/Users?filter=${encodeURIComponent(filter)}${extra}`);
const found = async (filter: string) => {
  const reply = await list(filter);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.Resources.map((r: { id: string }) => ids.indexOf(r.id)).sort();
};

describe("discovery", () => {
  it("serves ServiceProviderConfig, ResourceTypes and Schemas", async () => {
    const config = await idp.scim("GET", "/ServiceProviderConfig");
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      etag: { supported: true },
      changePassword: { supported: false },
      sort: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: "oauthbearertoken" })],
    });
    const types = await idp.scim("GET", "/ResourceTypes");
    expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(["User", "Group"]);
    expect((await idp.scim("GET", "/ResourceTypes/User")).body.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
    ]);
    const schemas = await idp.scim("GET", "/Schemas");
    expect(schemas.body.totalResults).toBe(3);
    const enterprise = await idp.scim("GET", `/Schemas/${ENTERPRISE}`);
    expect(enterprise.body.attributes.map((a: { name: string }) => a.name)).toEqual([
      "employeeNumber",
      "department",
      "manager",
    ]);
    expect((await idp.scim("GET", "/Schemas/urn:nope")).status).toBe(404);
    expect((await idp.scim("GET", "/Nope")).body).toMatchObject({
      schemas: [ERROR],
      status: "404",
    });
  });
});

describe("filters", () => {
  it("compare with eq, ne, co, sw, ew, pr, and, or, not and value paths", async () => {
    expect(await found(`userName sw "${tag}." and ${ENTERPRISE}:department eq "sales"`)).toEqual([
      0, 1, 4,
    ]);
    expect(
      await found(`userName sw "${tag}." and not (${ENTERPRISE}:department eq "Sales")`),
    ).toEqual([2, 3]);
    expect(await found(`externalId eq "ext-${tag}-2" or externalId eq "ext-${tag}-3"`)).toEqual([
      2, 3,
    ]);
    expect(await found(`externalId eq "EXT-${tag}-2"`)).toEqual([]);
    expect(await found(`displayName co "${tag}" and title pr`)).toEqual([3]);
    expect(
      await found(`emails co "${tag}.user1@" or emails.value ew "${tag}.user2@example.test"`),
    ).toEqual([1, 2]);
    expect(await found(`emails[type eq "work" and value sw "${tag}.user4"]`)).toEqual([4]);
    expect(await found(`userName sw "${tag}." and active eq false`)).toEqual([3]);
    expect(
      await found(
        `userName sw "${tag}." and userName ne "${tag}.user0@example.test" and active eq true`,
      ),
    ).toEqual([1, 2, 4]);
    expect(
      await found(`meta.created gt "2000-01-01T00:00:00Z" and userName sw "${tag}.user0"`),
    ).toEqual([0]);
    expect(await found(`userName eq "${tag}.user1%@example.test"`)).toEqual([]);
  });

  it("refuses bad and unsupported filters with 400 invalidFilter naming the problem", async () => {
    for (const [filter, detail] of [
      ['userName eq "x" and', /end/],
      ['nickName eq "x"', /unsupported attribute nickname/],
      ['active eq "yes"', /boolean/],
      ["userName gt 3", /string/],
      ['urn:example:custom:attr eq "x"', /unsupported attribute/],
      ['meta.created gt "soon"', /date-time/],
    ] as const) {
      const reply = await list(filter);
      expect({ filter, status: reply.status, scimType: reply.body.scimType }).toEqual({
        filter,
        status: 400,
        scimType: "invalidFilter",
      });
      expect(reply.body.detail).toMatch(detail);
    }
  });
});

describe("pagination and attributes", () => {
  it("pages with startIndex and count, totalResults counting all", async () => {
    const page = await list(`userName sw "${tag}."`, "&startIndex=2&count=2");
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[1], ids[2]]);
    const past = await list(`userName sw "${tag}."`, "&startIndex=9");
    expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const counted = await list(`userName sw "${tag}."`, "&count=0");
    expect(counted.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    expect((await list(`userName sw "${tag}."`, "&count=abc")).body.scimType).toBe("invalidValue");
  });

  it("keeps only the asked attributes, or drops the excluded ones", async () => {
    const only = await idp.scim("GET", `/Users/${ids[0]}?attributes=userName`);
    expect(Object.keys(only.body).sort()).toEqual(["id", "meta", "schemas", "userName"]);
    const without = await idp.scim(
      "GET",
      `/Users/${ids[0]}?excludedAttributes=emails,${ENTERPRISE}`,
    );
    expect(without.body).not.toHaveProperty("emails");
    expect(without.body).not.toHaveProperty(ENTERPRISE);
    const group = await scimGroup(idp, { members: [{ value: ids[0] }] });
    const names = await idp.scim(
      "GET",
      `/Groups?attributes=displayName&filter=${encodeURIComponent(`id eq "${group.id}"`)}`,
    );
    expect(names.body.Resources).toEqual([
      {
        schemas: expect.any(Array),
        id: group.id,
        displayName: group.displayName,
        meta: expect.any(Object),
      },
    ]);
  });
});

describe("media types and refusals", () => {
  it("takes application/json bodies as well", async () => {
    const reply = await idp.request(
      "POST",
      "/scim/v2/Groups",
      { displayName: `Json ${tag}` },
      {
        "content-type": "application/json",
      },
    );
    expect(reply.status).toBe(201);
    expect(reply.headers["content-type"]).toMatch(/^application\/scim\+json/);
  });

  it("answers each refusal with its status and scimType", async () => {
    const user = ids[0] as string;
    const cases: [string, string, unknown, number, string | undefined][] = [
      ["POST", "/Users", { emails: [{ value: "a@b.c" }] }, 400, "invalidValue"],
      ["POST", "/Users", { userName: `noemail-${tag}` }, 400, "invalidValue"],
      [
        "POST",
        "/Users",
        { userName: `x-${tag}@example.test`, active: "maybe" },
        400,
        "invalidValue",
      ],
      ["POST", "/Users", [1, 2], 400, "invalidSyntax"],
      ["PATCH", `/Users/${user}`, { schemas: [PATCH_OP], Operations: [] }, 400, "invalidSyntax"],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "move", path: "title" }] },
        400,
        "invalidSyntax",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "shoeSize", value: 9 }] },
        400,
        "invalidPath",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "emails[type eq", value: 9 }] },
        400,
        "invalidPath",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "remove", path: 'emails[type eq "home"]' }] },
        400,
        "noTarget",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "remove" }] },
        400,
        "noTarget",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "remove", path: "userName" }] },
        400,
        "mutability",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "id", value: "x" }] },
        400,
        "mutability",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", path: "userName", value: `${tag}.user1@example.test` }],
        },
        409,
        "uniqueness",
      ],
      [
        "PATCH",
        `/Users/${user}`,
        {
          schemas: [PATCH_OP],
          Operations: [{ op: "add", path: `${ENTERPRISE}:manager`, value: user }],
        },
        400,
        "invalidValue",
      ],
      ["POST", "/Groups", { displayName: "" }, 400, "invalidValue"],
    ];
    for (const [method, path, body, status, scimType] of cases) {
      const reply = await idp.scim(method, path, body);
      expect({ method, path, body, status: reply.status, scimType: reply.body?.scimType }).toEqual({
        method,
        path,
        body,
        status,
        scimType,
      });
      expect(reply.body).toMatchObject({ schemas: [ERROR], status: String(status) });
    }
    const broken = await idp.request("POST", "/scim/v2/Users", "{not json", {
      "content-type": "application/scim+json",
    });
    expect(broken.status).toBe(400);
    expect(broken.body.scimType).toBe("invalidSyntax");
    const group = await scimGroup(idp);
    const duplicate = await idp.scim("POST", "/Groups", {
      displayName: group.displayName.toUpperCase(),
    });
    expect(duplicate.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    // Nothing half written: the refused PATCH left the user as it was.
    expect((await idp.scim("GET", `/Users/${user}`)).body.meta.version).toBe('W/"1"');
  });
});
