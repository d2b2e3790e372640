import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import {
  organization,
  personByEmail,
  scimClient,
  scimGroup,
  scimUser,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The job role each SCIM group gives its members, as an owner sets it under
 * /api/v1/scim-groups: the members move to it at once, with their dated job-role history, and
 * back to the group's display name when it is cleared.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const emailOf = (scimUserDoc: { emails: { value: string }[] }) =>
  scimUserDoc.emails[0]?.value as string;

async function history(organizationId: string, personId: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx
      .selectFrom("person_job_roles")
      .select(["job_role", "valid_to"])
      .where("person_id", "=", personId)
      .orderBy("valid_from")
      .orderBy("id")
      .execute(),
  );
}

describe("the job role a SCIM group gives", () => {
  it("moves the group's members to the job role set, with history, and back when cleared", async () => {
    const org = await organization(t);
    const scim = await scimClient(org);
    const ada = await scimUser(scim);
    const bob = await scimUser(scim);
    const cy = await scimUser(scim);
    const eng = await scimGroup(scim, {
      displayName: "okta-eng-all",
      members: [{ value: ada.id }, { value: bob.id }, { value: cy.id }],
    });
    // Cy joins another group later: that newer membership gives Cy's job role.
    await scimGroup(scim, { displayName: "Support", members: [{ value: cy.id }] });

    const listed = await org.owner.client.get("/api/v1/scim-groups");
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      {
        id: eng.id,
        displayName: "okta-eng-all",
        externalId: null,
        jobRole: null,
        effectiveJobRole: "okta-eng-all",
        members: 3,
      },
      expect.objectContaining({ displayName: "Support", members: 1 }),
    ]);

    const set = await org.owner.client.patch(`/api/v1/scim-groups/${eng.id}`, {
      jobRole: "  Engineer ",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ jobRole: "Engineer", effectiveJobRole: "Engineer" });
    const adaPerson = await personByEmail(org, emailOf(ada));
    expect(adaPerson.jobRole).toBe("Engineer");
    expect((await personByEmail(org, emailOf(bob))).jobRole).toBe("Engineer");
    expect((await personByEmail(org, emailOf(cy))).jobRole).toBe("Support");
    expect(await history(org.id, adaPerson.id)).toEqual([
      { job_role: null, valid_to: expect.any(Date) },
      { job_role: "okta-eng-all", valid_to: expect.any(Date) },
      { job_role: "Engineer", valid_to: null },
    ]);

    const events = await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .selectFrom("audit_events")
        .select(["action", "actor_id", "target_id", "before", "after"])
        .where("action", "in", ["scim_group.job_role_set", "person.updated"])
        .where("actor_id", "=", org.owner.id)
        .orderBy("seq")
        .execute(),
    );
    expect(events.map((e) => e.action)).toEqual([
      "scim_group.job_role_set",
      "person.updated",
      "person.updated",
    ]);
    expect(events[0]).toMatchObject({
      target_id: eng.id,
      before: { displayName: "okta-eng-all", jobRole: null },
      after: { displayName: "okta-eng-all", jobRole: "Engineer" },
    });

    // Setting the same again changes nothing and records nothing.
    expect(
      (await org.owner.client.patch(`/api/v1/scim-groups/${eng.id}`, { jobRole: "Engineer" }))
        .status,
    ).toBe(200);
    const cleared = await org.owner.client.patch(`/api/v1/scim-groups/${eng.id}`, {
      jobRole: null,
    });
    expect(cleared.body).toMatchObject({ jobRole: null, effectiveJobRole: "okta-eng-all" });
    expect((await personByEmail(org, emailOf(ada))).jobRole).toBe("okta-eng-all");
    const sets = await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .selectFrom("audit_events")
        .select("action")
        .where("action", "=", "scim_group.job_role_set")
        .execute(),
    );
    expect(sets).toHaveLength(2);
  });

  it("is the owner's alone, names a bad job role, and finds no other organization's group", async () => {
    const org = await organization(t);
    const scim = await scimClient(org);
    const group = await scimGroup(scim, { displayName: "Finance" });
    const admin = await user(org, "admin");
    expect((await admin.client.get("/api/v1/scim-groups")).status).toBe(403);
    expect(
      (await admin.client.patch(`/api/v1/scim-groups/${group.id}`, { jobRole: "CFO" })).status,
    ).toBe(403);

    for (const body of [{ jobRole: "" }, { jobRole: "x".repeat(201) }, { jobRole: 7 }, {}]) {
      const reply = await org.owner.client.patch(`/api/v1/scim-groups/${group.id}`, body);
      expect(reply.status).toBe(400);
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(["jobRole"]);
    }
    const other = await organization(t);
    const foreign = await other.owner.client.patch(`/api/v1/scim-groups/${group.id}`, {
      jobRole: "Thief",
    });
    expect(foreign.status).toBe(404);
    expect((await other.owner.client.get("/api/v1/scim-groups")).body.items).toEqual([]);
    const [row] = await withTenant(t.deps.db, org.id, (tx) =>
      tx.selectFrom("scim_groups").select("job_role").where("id", "=", group.id).execute(),
    );
    expect(row?.job_role).toBeNull();
  });
});
