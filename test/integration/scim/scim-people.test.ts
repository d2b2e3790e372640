import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personByEmail,
  type ScimClient,
  scimClient,
  scimGroup,
  scimUser,
  sqlGrant,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * What provisioning does to people: active=false (and DELETE) ends employment today exactly as
 * offboarding does (the access area's revocation tasks open), deactivates the person's account,
 * and active=true re-hires (the end date cleared, the open revocations cancelled); groups give
 * job roles by the most recently added membership, with the dated history kept.
 */
let t: TestApp;
let org: Org;
let idp: ScimClient;
let crm: { id: string };
const today = () => new Date().toISOString().slice(0, 10);
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t);
  idp = await scimClient(org);
  crm = await ownedSystem(org, { ownerId: null, name: "CRM" });
});
afterAll(() => t?.close());

async function openTasks(personId: string) {
  const reply = await org.owner.client.get(`/api/v1/access-tasks?personId=${personId}&state=open`);
  expect(reply.status).toBe(200);
  return reply.body.items.map(
    (task: { kind: string; reason: string; dueAt: string; system: { name: string } }) => ({
      kind: task.kind,
      reason: task.reason,
      dueAt: task.dueAt,
      system: task.system.name,
    }),
  );
}

describe("ending employment", () => {
  it("active=false opens the same revocation tasks as offboarding the person", async () => {
    const provisioned = await scimUser(idp);
    const person = await personByEmail(org, provisioned.userName);
    await sqlGrant(org, { personId: person.id, systemId: crm.id });
    const compared = await apiPerson(org, { startDate: "2025-01-01" });
    await sqlGrant(org, { personId: compared, systemId: crm.id });

    const ended = await idp.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "replace", path: "active", value: false }]),
    );
    expect(ended.status).toBe(200);
    const offboarded = await org.owner.client.post(`/api/v1/people/${compared}/offboard`, {});
    expect(offboarded.status).toBe(200);

    const scimTasks = await openTasks(person.id);
    expect(scimTasks).toHaveLength(1);
    expect(scimTasks).toEqual(await openTasks(compared));
    expect(scimTasks[0]).toMatchObject({ reason: "leaver", system: "CRM" });
    expect(await personByEmail(org, provisioned.userName)).toMatchObject({
      endDate: today(),
      active: false,
    });
  });

  it("active=true afterwards re-hires: the end date is cleared and the revocations cancelled", async () => {
    const provisioned = await scimUser(idp);
    const person = await personByEmail(org, provisioned.userName);
    await sqlGrant(org, { personId: person.id, systemId: crm.id });
    await idp.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "Replace", path: "active", value: "False" }]),
    );
    expect(await openTasks(person.id)).toHaveLength(1);
    const back = await idp.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "Replace", path: "active", value: "True" }]),
    );
    expect(back.body.active).toBe(true);
    expect(await personByEmail(org, provisioned.userName)).toMatchObject({
      endDate: null,
      active: true,
    });
    expect(await openTasks(person.id)).toEqual([]);
  });

  it("deactivates the account of a person who has one (matched by email), and DELETE ends them too", async () => {
    const member = await user(org, "member");
    const provisioned = await scimUser(idp, {
      userName: member.email,
      emails: [{ value: member.email, type: "work", primary: true }],
    });
    const person = await personByEmail(org, member.email);
    expect(person.userId).toBe(member.id);
    await idp.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "replace", value: { active: false } }]),
    );
    const account = await org.owner.client.get(`/api/v1/users/${member.id}`);
    expect(account.body.status).toBe("deactivated");
    expect((await member.client.get("/api/v1/me")).status).toBe(401);

    const other = await user(org, "member");
    const second = await scimUser(idp, { userName: other.email, emails: [{ value: other.email }] });
    expect((await idp.scim("DELETE", `/Users/${second.id}`)).status).toBe(204);
    expect((await org.owner.client.get(`/api/v1/users/${other.id}`)).body.status).toBe(
      "deactivated",
    );
    const kept = await personByEmail(org, other.email);
    expect(kept).toMatchObject({ endDate: today(), userId: other.id });
    // Provisioned again later: the same person, re-hired.
    const again = await scimUser(idp, { userName: other.email, emails: [{ value: other.email }] });
    expect(again.id).not.toBe(second.id);
    expect(await personByEmail(org, other.email)).toMatchObject({ id: kept.id, endDate: null });
  });
});

describe("groups and job roles", () => {
  it("gives the job role of the most recently added membership, back to the other on leaving it", async () => {
    const provisioned = await scimUser(idp);
    const sales = await scimGroup(idp, {
      displayName: "Sales",
      members: [{ value: provisioned.id }],
    });
    const person = await personByEmail(org, provisioned.userName);
    expect((await personByEmail(org, provisioned.userName)).jobRole).toBe("Sales");
    const support = await scimGroup(idp, { displayName: "Support" });
    await idp.scim(
      "PATCH",
      `/Groups/${support.id}`,
      patch([{ op: "add", path: "members", value: [{ value: provisioned.id }] }]),
    );
    expect((await personByEmail(org, provisioned.userName)).jobRole).toBe("Support");
    await idp.scim(
      "PATCH",
      `/Groups/${support.id}`,
      patch([{ op: "remove", path: `members[value eq "${provisioned.id}"]` }]),
    );
    expect((await personByEmail(org, provisioned.userName)).jobRole).toBe("Sales");
    // Out of every group: the job role stays as it was.
    await idp.scim("DELETE", `/Groups/${sales.id}`);
    expect((await personByEmail(org, provisioned.userName)).jobRole).toBe("Sales");
    const history = await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .selectFrom("person_job_roles")
        .select(["job_role", "valid_to"])
        .where("person_id", "=", person.id)
        .orderBy("valid_from")
        .orderBy("id")
        .execute(),
    );
    expect(history.map((row) => row.job_role)).toEqual([null, "Sales", "Support", "Sales"]);
    expect(history.filter((row) => row.valid_to === null)).toHaveLength(1);
  });
});

describe("ETags", () => {
  it("answers 304 to a matching If-None-Match and 412 to a stale If-Match", async () => {
    const provisioned = await scimUser(idp);
    const etag = provisioned.meta.version;
    expect(
      (await idp.scim("GET", `/Users/${provisioned.id}`, undefined, { "if-none-match": etag }))
        .status,
    ).toBe(304);
    const changed = await idp.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "replace", path: "title", value: "CTO" }]),
      {
        "if-match": etag,
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('W/"2"');
    const stale = await idp.scim(
      "PUT",
      `/Users/${provisioned.id}`,
      { userName: provisioned.userName },
      { "if-match": etag },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.status).toBe("412");
    expect(
      (await idp.scim("DELETE", `/Users/${provisioned.id}`, undefined, { "if-match": etag }))
        .status,
    ).toBe(412);
    expect(
      (await idp.scim("GET", `/Users/${provisioned.id}`, undefined, { "if-none-match": etag }))
        .status,
    ).toBe(200);
    const group = await scimGroup(idp);
    const renamed = await idp.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch([{ op: "replace", path: "displayName", value: `R ${group.id}` }]),
      {
        "if-match": 'W/"9"',
      },
    );
    expect(renamed.status).toBe(412);
  });
});
