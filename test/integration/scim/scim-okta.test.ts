import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Org,
  organization,
  personByEmail,
  type ScimClient,
  scimClient,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * Okta's SCIM 2.0 test sequence (its provisioning spec, the requests Okta's client makes),
 * replayed with the bodies Okta documents: users (filter by userName, create, get, duplicate,
 * replace, deactivate by a PATCH without a path) and pushed groups (create, find, rename with
 * the group's id beside the new name, add and remove members, replace, delete). Status codes
 * and bodies are checked against RFC 7643/7644.
 */
let t: TestApp;
let org: Org;
let okta: ScimClient;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  okta = await scimClient(org);
});
afterAll(() => t?.close());

const filterBy = (userName: string) =>
  `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`;

describe("Okta's user sequence", () => {
  const userName = `Runscope300Xyz${Date.now()}@atko.com`;
  let id: string;

  it("lists users with count=1 as a ListResponse", async () => {
    const reply = await okta.scim("GET", "/Users?count=1&startIndex=1");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect(reply.body).toMatchObject({
      schemas: [LIST],
      startIndex: 1,
      Resources: expect.any(Array),
    });
    expect(reply.body.itemsPerPage).toBeLessThanOrEqual(1);
  });

  it("finds no user by userName before creating one (totalResults 0)", async () => {
    const reply = await okta.scim("GET", filterBy(userName));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      schemas: [LIST],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("creates the user (201, Location, ETag) and lists them as a person", async () => {
    const reply = await okta.scim("POST", "/Users", {
      schemas: [USER],
      userName,
      name: { givenName: "Runscope300", familyName: "Xyz" },
      emails: [{ primary: true, value: userName, type: "work" }],
      displayName: "Runscope300 Xyz",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    });
    expect(reply.status).toBe(201);
    id = reply.body.id;
    expect(reply.body).toMatchObject({
      schemas: [USER],
      userName,
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
      name: { givenName: "Runscope300", familyName: "Xyz" },
      emails: [{ primary: true, value: userName, type: "work" }],
      meta: { resourceType: "User", version: 'W/"1"' },
    });
    expect(reply.body).not.toHaveProperty("password");
    expect(reply.headers.location).toBe(reply.body.meta.location);
    expect(reply.headers.etag).toBe('W/"1"');
    const person = await personByEmail(org, userName);
    expect(person).toMatchObject({ name: "Runscope300 Xyz", active: true, endDate: null });
  });

  it("gets the user by id and finds them by userName, in any case", async () => {
    const got = await okta.scim("GET", `/Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    const found = await okta.scim("GET", filterBy(userName.toUpperCase()));
    expect(found.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id }] });
  });

  it("refuses the same userName again with 409 uniqueness", async () => {
    const reply = await okta.scim("POST", "/Users", {
      schemas: [USER],
      userName,
      name: { givenName: "Again", familyName: "Xyz" },
      emails: [{ primary: true, value: `other-${userName}`, type: "work" }],
      active: true,
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
    });
  });

  it("replaces the user with PUT", async () => {
    const reply = await okta.scim("PUT", `/Users/${id}`, {
      schemas: [USER],
      id,
      userName,
      name: { givenName: "Another", familyName: "Xyz" },
      emails: [{ primary: true, value: userName, type: "work" }],
      displayName: "Another Xyz",
      active: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      name: { givenName: "Another" },
      meta: { version: 'W/"2"' },
    });
    expect(reply.body).not.toHaveProperty("externalId");
    expect((await personByEmail(org, userName)).name).toBe("Another Xyz");
  });

  it("deactivates the user with Okta's PATCH (no path, active false): employment ends today", async () => {
    const reply = await okta.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id, active: false });
    const person = await personByEmail(org, userName);
    expect(person).toMatchObject({ active: false, endDate: new Date().toISOString().slice(0, 10) });
  });

  it("answers 404 in SCIM's error schema for an id it does not know", async () => {
    const reply = await okta.scim("GET", `/Users/${randomUUID()}`);
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
    });
    expect((await okta.scim("GET", "/Users/not-a-uuid")).status).toBe(404);
  });
});

describe("Okta's group push sequence", () => {
  let groupId: string;
  let members: string[];

  beforeAll(async () => {
    members = [];
    for (const name of ["ada", "grace"]) {
      const userName = `${name}.${Date.now()}@okta.local`;
      const reply = await okta.scim("POST", "/Users", {
        schemas: [USER],
        userName,
        name: { givenName: name, familyName: "Tester" },
        emails: [{ primary: true, value: userName, type: "work" }],
        active: true,
      });
      members.push(reply.body.id);
    }
  });

  it("creates a group with no members and finds it by displayName", async () => {
    const created = await okta.scim("POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Test SCIMv2",
      members: [],
    });
    expect(created.status).toBe(201);
    groupId = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [GROUP],
      displayName: "Test SCIMv2",
      members: [],
    });
    const found = await okta.scim(
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`,
    );
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
  });

  it("renames it with the group's id beside the new name", async () => {
    const reply = await okta.scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { id: groupId, displayName: "Engineering" } }],
    });
    expect(reply.status).toBe(204);
    expect((await okta.scim("GET", `/Groups/${groupId}`)).body.displayName).toBe("Engineering");
  });

  it("adds members: they take the group's job role", async () => {
    const reply = await okta.scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: "add",
          path: "members",
          value: members.map((value) => ({ value, display: "someone@okta.local" })),
        },
      ],
    });
    expect(reply.status).toBe(204);
    const group = await okta.scim("GET", `/Groups/${groupId}`);
    expect(group.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [...members].sort(),
    );
    const first = await okta.scim("GET", `/Users/${members[0]}`);
    const person = await personByEmail(org, first.body.userName);
    expect(person.jobRole).toBe("Engineering");
  });

  it("removes a member with a members[value eq …] path", async () => {
    const reply = await okta.scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "remove", path: `members[value eq "${members[1]}"]` }],
    });
    expect(reply.status).toBe(204);
    const group = await okta.scim("GET", `/Groups/${groupId}`);
    expect(group.body.members).toEqual([expect.objectContaining({ value: members[0] })]);
  });

  it("replaces the group with PUT, members and all", async () => {
    const reply = await okta.scim("PUT", `/Groups/${groupId}`, {
      schemas: [GROUP],
      id: groupId,
      displayName: "Engineering",
      members: [{ value: members[1] }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.members).toEqual([expect.objectContaining({ value: members[1] })]);
  });

  it("deletes the group: 204, then 404", async () => {
    expect((await okta.scim("DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect((await okta.scim("GET", `/Groups/${groupId}`)).status).toBe(404);
  });
});
