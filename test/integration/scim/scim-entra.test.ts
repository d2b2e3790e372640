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
 * The requests Microsoft Entra ID's provisioning service documents (and its SCIM validator
 * sends): users matched by userName and externalId, created with the enterprise extension,
 * changed with capitalised op names and string booleans ("False"), emails[type eq "work"].value
 * and URN-prefixed enterprise paths, the manager by id; groups created, read without members,
 * renamed, members added and removed with a value list, deleted.
 */
let t: TestApp;
let org: Org;
let entra: ScimClient;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  entra = await scimClient(org);
});
afterAll(() => t?.close());

function entraUser(tag: string, extra: Record<string, unknown> = {}) {
  const userName = `Test_User_${tag}_${randomUUID()}`;
  return {
    schemas: [USER, ENTERPRISE],
    externalId: randomUUID(),
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: `${userName}@testuser.com` }],
    meta: { resourceType: "User" },
    name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    roles: [],
    ...extra,
  };
}

const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe("Entra's user requests", () => {
  let manager: { id: string };
  let user: { id: string; userName: string; externalId: string; emails: { value: string }[] };

  it("creates users with the enterprise extension (a userName that is not an email)", async () => {
    const boss = await entra.scim("POST", "/Users", entraUser("boss"));
    expect(boss.status).toBe(201);
    manager = boss.body;
    const body = entraUser("worker", {
      [ENTERPRISE]: {
        department: "Human Resources US",
        employeeNumber: "100009",
        manager: { value: manager.id },
      },
    });
    const reply = await entra.scim("POST", "/Users", body);
    expect(reply.status).toBe(201);
    user = reply.body;
    expect(reply.body).toMatchObject({
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: {
        department: "Human Resources US",
        employeeNumber: "100009",
        manager: { value: manager.id },
      },
    });
    const person = await personByEmail(org, user.emails[0]?.value as string);
    const bossPerson = await personByEmail(org, (boss.body.emails[0] as { value: string }).value);
    expect(person.managerId).toBe(bossPerson.id);
  });

  it("finds the user by userName and by externalId; none for an unknown one", async () => {
    const byName = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
    );
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    const byExternal = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`externalId eq "${user.externalId}"`)}`,
    );
    expect(byExternal.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    const byEmail = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${user.emails[0]?.value}"`)}`,
    );
    expect(byEmail.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    const none = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`,
    );
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("changes multi-valued and single-valued properties with capitalised ops", async () => {
    const email = `updated.${randomUUID()}@microsoft.com`;
    const multi = await entra.scim(
      "PATCH",
      `/Users/${user.id}`,
      patch([
        { op: "Replace", path: 'emails[type eq "work"].value', value: email },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ]),
    );
    expect(multi.status).toBe(200);
    expect(multi.body).toMatchObject({
      emails: [{ type: "work", value: email }],
      name: { familyName: "updatedFamilyName" },
    });
    expect((await personByEmail(org, email)).name).toBe("givenName updatedFamilyName");
    const newName = `${randomUUID()}@testuser.com`;
    const single = await entra.scim(
      "PATCH",
      `/Users/${user.id}`,
      patch([{ op: "Replace", path: "userName", value: newName }]),
    );
    expect(single.body.userName).toBe(newName);
  });

  it("sets enterprise attributes by their URN-prefixed paths, the manager by its id", async () => {
    const reply = await entra.scim(
      "PATCH",
      `/Users/${user.id}`,
      patch([
        { op: "Add", path: `${ENTERPRISE}:department`, value: "Engineering" },
        { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "42" },
        { op: "Remove", path: `${ENTERPRISE}:manager` },
      ]),
    );
    expect(reply.body[ENTERPRISE]).toEqual({ department: "Engineering", employeeNumber: "42" });
    const back = await entra.scim(
      "PATCH",
      `/Users/${user.id}`,
      patch([{ op: "Add", path: `${ENTERPRISE}:manager`, value: manager.id }]),
    );
    expect(back.body[ENTERPRISE].manager.value).toBe(manager.id);
    const dept = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`${ENTERPRISE}:department eq "engineering"`)}`,
    );
    expect(dept.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
  });

  it('disables the user with "active": "False" (a string), ending employment today', async () => {
    const reply = await entra.scim(
      "PATCH",
      `/Users/${user.id}`,
      patch([{ op: "Replace", path: "active", value: "False" }]),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.active).toBe(false);
    const disabled = await entra.scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${reply.body.userName}"`)}`,
    );
    expect(disabled.body.Resources[0].active).toBe(false);
    const person = await personByEmail(org, reply.body.emails[0].value);
    expect(person.endDate).toBe(new Date().toISOString().slice(0, 10));
  });

  it("deletes the user: 204, then 404; the person stays, ended", async () => {
    const doomed = (await entra.scim("POST", "/Users", entraUser("doomed"))).body;
    expect((await entra.scim("DELETE", `/Users/${doomed.id}`)).status).toBe(204);
    expect((await entra.scim("GET", `/Users/${doomed.id}`)).status).toBe(404);
    expect((await entra.scim("DELETE", `/Users/${doomed.id}`)).status).toBe(404);
    const person = await personByEmail(org, doomed.emails[0].value);
    expect(person.endDate).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe("Entra's group requests", () => {
  let group: { id: string };
  const ids: string[] = [];

  beforeAll(async () => {
    for (const tag of ["m1", "m2"])
      ids.push((await entra.scim("POST", "/Users", entraUser(tag))).body.id);
  });

  it("creates a group (with Microsoft's own schema URN listed) and reads it without members", async () => {
    const reply = await entra.scim("POST", "/Groups", {
      schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
      externalId: randomUUID(),
      displayName: "Sales",
      meta: { resourceType: "Group" },
    });
    expect(reply.status).toBe(201);
    group = reply.body;
    const read = await entra.scim("GET", `/Groups/${group.id}?excludedAttributes=members`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("members");
    const byName = await entra.scim(
      "GET",
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`,
    );
    expect(byName.body.Resources).toEqual([
      expect.not.objectContaining({ members: expect.anything() }),
    ]);
  });

  it("adds and removes members with a value list (204)", async () => {
    const add = await entra.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch([{ op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) }]),
    );
    expect(add.status).toBe(204);
    const member = await entra.scim(
      "GET",
      `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[0]}"]`)}`,
    );
    expect(member.body.totalResults).toBe(1);
    const remove = await entra.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch([{ op: "Remove", path: "members", value: [{ $ref: null, value: ids[0] }] }]),
    );
    expect(remove.status).toBe(204);
    const read = await entra.scim("GET", `/Groups/${group.id}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([ids[1]]);
  });

  it("renames the group (204): members take the new job role", async () => {
    const reply = await entra.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch([{ op: "Replace", path: "displayName", value: "Sales EMEA" }]),
    );
    expect(reply.status).toBe(204);
    const user = (await entra.scim("GET", `/Users/${ids[1]}`)).body;
    expect((await personByEmail(org, user.emails[0].value)).jobRole).toBe("Sales EMEA");
  });

  it("deletes the group (204)", async () => {
    expect((await entra.scim("DELETE", `/Groups/${group.id}`)).status).toBe(204);
  });
});
