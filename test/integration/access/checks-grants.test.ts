import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessSystem,
  changeAccessSystem,
  grant,
  type Org,
  organization,
  person,
  roleRule,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import {
  approvedRequestFor,
  dayAgo,
  daysAgo,
  setGrantDates,
  setJobRoleSince,
  setRoleRuleCreated,
  testOf,
} from "./checks-helpers.ts";

/**
 * customer-data-need-to-know, admin-grants-approved and grants-justified through the API:
 * each state (not applicable, passing, failing, due soon) now and through ?asOf= with
 * backdated grants, exceptions, rules and job roles. Each check gets an organization of its
 * own, so the grants of one do not count in another.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("customer-data-need-to-know", () => {
  const control = "customer-data-access-restricted";
  const test = "customer-data-need-to-know";
  let org: Org;
  beforeAll(async () => {
    org = await organization(t, { name: "Customer Data Co" });
  });

  it("should go from not applicable to passing, failing, due soon, and read the past as it was", async () => {
    await accessSystem(org, { name: "Wiki" });
    expect((await testOf(org, control, test)).state).toBe("not_applicable");

    const crm = await accessSystem(org, {
      name: "CRM",
      customerData: true,
      allowedRoles: ["Support"],
    });
    const support = await person(org, { name: "Sam Support", jobRole: "Support" });
    const sales = await person(org, { name: "Sal Sales", jobRole: "Sales" });
    const good = await grant(org, { personId: support.id, systemId: crm.id, systemRole: "agent" });
    await setGrantDates(org, good.id, { grantedDaysAgo: 40 });
    expect((await testOf(org, control, test)).state).toBe("passing");

    const bad = await grant(org, { personId: sales.id, systemId: crm.id, systemRole: "agent" });
    await setGrantDates(org, bad.id, { grantedDaysAgo: 10 });
    const failing = await testOf(org, control, test);
    expect(failing.state).toBe("failing");
    expect(failing.offenders).toHaveLength(1);
    expect(failing.offenders[0]).toMatchObject({
      kind: "access_grant",
      id: bad.id,
      link: `/people/${sales.id}`,
      state: "failing",
    });
    expect(failing.offenders[0]?.label).toContain("Sal Sales");
    expect(failing.offenders[0]?.action).toMatch(/Sales.*not among the roles allowed/);
    // Before the bad grant was given, only the good one counted.
    expect((await testOf(org, control, test, dayAgo(20))).state).toBe("passing");
    // Before either, and before the system holding customer data existed, nothing was in scope.
    expect((await testOf(org, control, test, dayAgo(400))).state).toBe("not_applicable");

    // An exception expiring within the warning window (14 days): due soon.
    const excepted = await org.owner.client.post(`/api/v1/access-grants/${bad.id}/exception`, {
      reason: "Covering for support during the launch",
      expiresAt: inDays(10),
    });
    expect(excepted.status).toBe(200);
    const dueSoon = await testOf(org, control, test);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id: bad.id, state: "due_soon" });
    // The exception was approved today: five days ago the grant was failing.
    expect((await testOf(org, control, test, dayAgo(5))).state).toBe("failing");
    // Expiring later than the window: passing.
    await setGrantDates(org, bad.id, { exceptionExpiresInDays: 60 });
    expect((await testOf(org, control, test)).state).toBe("passing");
    // Expired: failing again.
    await setGrantDates(org, bad.id, { exceptionApprovedDaysAgo: 9, exceptionExpiresInDays: -1 });
    expect((await testOf(org, control, test)).state).toBe("failing");
  });

  it("should read the job role a person held then, and who was active", async () => {
    const crm = await accessSystem(org, { customerData: true, allowedRoles: ["Support"] });
    const mover = await person(org, { name: "Mo Mover", jobRole: "Support" });
    await setJobRoleSince(org, mover.id, 60);
    const given = await grant(org, { personId: mover.id, systemId: crm.id, systemRole: "viewer" });
    await setGrantDates(org, given.id, { grantedDaysAgo: 30 });
    const changed = await org.owner.client.patch(`/api/v1/people/${mover.id}`, {
      jobRole: "Sales",
    });
    expect(changed.status).toBe(200);
    const now = await testOf(org, control, test);
    expect(now.offenders.map((o) => o.id)).toContain(given.id);
    const before = await testOf(org, control, test, dayAgo(3));
    expect(before.offenders.map((o) => o.id)).not.toContain(given.id);
    // The system's allowed roles as they stood: allowing Sales from today on changes now only.
    await changeAccessSystem(org, crm.id, { allowedRoles: ["Support", "Sales"] }, daysAgo(0));
    const allowed = await testOf(org, control, test);
    expect(allowed.offenders.map((o) => o.id)).not.toContain(given.id);
    // A leaver's grant fails from their end date on, whatever their role.
    const leaver = await person(org, { name: "Lee Leaver", jobRole: "Support" });
    const kept = await grant(org, { personId: leaver.id, systemId: crm.id, systemRole: "viewer" });
    await setGrantDates(org, kept.id, { grantedDaysAgo: 30 });
    await org.owner.client.patch(`/api/v1/people/${leaver.id}`, { endDate: dayAgo(2) });
    const left = await testOf(org, control, test);
    const offender = left.offenders.find((o) => o.id === kept.id);
    expect(offender?.action).toContain("Lee Leaver is not active");
    const stillThere = await testOf(org, control, test, dayAgo(4));
    expect(stillThere.offenders.map((o) => o.id)).not.toContain(kept.id);
  });
});

describe("admin-grants-approved", () => {
  const control = "admin-access-restricted";
  const test = "admin-grants-approved";

  it("should go from not applicable to passing, failing and due soon, and read the past", async () => {
    const org = await organization(t, { name: "Admin Co" });
    await accessSystem(org);
    expect((await testOf(org, control, test)).state).toBe("not_applicable");
    const prod = await accessSystem(org, { name: "Prod", production: true, adminRoles: ["SRE"] });
    const sre = await person(org, { jobRole: "SRE" });
    const dev = await person(org, { name: "Dee Dev", jobRole: "Developer" });
    const ok = await grant(org, {
      personId: sre.id,
      systemId: prod.id,
      systemRole: "root",
      admin: true,
    });
    // A grant without admin is not this check's business.
    await grant(org, { personId: dev.id, systemId: prod.id, systemRole: "deploy" });
    await setGrantDates(org, ok.id, { grantedDaysAgo: 30 });
    expect((await testOf(org, control, test)).state).toBe("passing");

    const bad = await grant(org, {
      personId: dev.id,
      systemId: prod.id,
      systemRole: "root",
      admin: true,
    });
    await setGrantDates(org, bad.id, { grantedDaysAgo: 5 });
    const failing = await testOf(org, control, test);
    expect(failing.state).toBe("failing");
    expect(failing.offenders.map((o) => o.id)).toEqual([bad.id]);
    expect(failing.offenders[0]?.action).toMatch(/administrator.*Developer/);
    expect((await testOf(org, control, test, dayAgo(10))).state).toBe("passing");

    await org.owner.client.post(`/api/v1/access-grants/${bad.id}/exception`, {
      reason: "Incident response rota",
      expiresAt: inDays(7),
    });
    expect((await testOf(org, control, test)).state).toBe("due_soon");
    // Revoked yesterday: passing now, failing as of before that.
    await org.owner.client.post(`/api/v1/access-grants/${bad.id}/revoke`, { reason: "Rota over" });
    expect((await testOf(org, control, test)).state).toBe("passing");
  });
});

describe("grants-justified", () => {
  const control = "least-privilege";
  const test = "grants-justified";

  it("should be not applicable without grants, pass on rules and requests, fail otherwise", async () => {
    const org = await organization(t, { name: "Least Co" });
    const system = await accessSystem(org, { name: "Tracker" });
    expect((await testOf(org, control, test)).state).toBe("not_applicable");

    const dev = await person(org, { name: "Ada Dev", jobRole: "Developer" });
    // Listed before the rule: a joiner after it would be given the rule's grant as a task.
    const other = await person(org, { jobRole: "Developer" });
    const rule = await roleRule(org, {
      jobRole: "Developer",
      systemId: system.id,
      systemRole: "member",
    });
    await setRoleRuleCreated(org, rule.id, 10);
    const implied = await grant(org, {
      personId: dev.id,
      systemId: system.id,
      systemRole: "member",
    });
    await setGrantDates(org, implied.id, { grantedDaysAgo: 20 });
    expect((await testOf(org, control, test)).state).toBe("passing");
    // Before the rule existed the grant was unjustified.
    const early = await testOf(org, control, test, dayAgo(15));
    expect(early.state).toBe("failing");
    expect(early.offenders[0]?.action).toMatch(/No role rule/);
    // Before the grant, nobody held anything.
    expect((await testOf(org, control, test, dayAgo(25))).state).toBe("not_applicable");

    // Admin beyond the rule: broader than the rule.
    const broader = await grant(org, {
      personId: other.id,
      systemId: system.id,
      systemRole: "member",
      admin: true,
    });
    const failing = await testOf(org, control, test);
    expect(failing.state).toBe("failing");
    expect(failing.offenders.map((o) => o.id)).toEqual([broader.id]);
    expect(failing.offenders[0]?.action).toMatch(/without admin/);
    const listed = await org.owner.client.get("/api/v1/access-grants?flagged=true");
    expect(listed.body.items.map((g: { id: string; flag: string }) => [g.id, g.flag])).toEqual([
      [broader.id, "broader_than_rule"],
    ]);

    // Approved through an access request (decided 3 days ago): justified from then on.
    await setGrantDates(org, broader.id, { grantedDaysAgo: 8 });
    await approvedRequestFor(org, broader.id, 3);
    expect((await testOf(org, control, test)).state).toBe("passing");
    expect((await testOf(org, control, test, dayAgo(5))).state).toBe("failing");
  });

  it("should be due soon on an expiring exception and fail once it expired", async () => {
    const org = await organization(t, { name: "Exception Co" });
    const system = await accessSystem(org);
    const someone = await person(org, { jobRole: "Finance" });
    const excepted = await grant(org, {
      personId: someone.id,
      systemId: system.id,
      exception: { reason: "Year-end close", expiresAt: inDays(5) },
    });
    const dueSoon = await testOf(org, control, test);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id: excepted.id, state: "due_soon" });
    await setGrantDates(org, excepted.id, {
      grantedDaysAgo: 30,
      exceptionApprovedDaysAgo: 30,
      exceptionExpiresInDays: -2,
    });
    const expired = await testOf(org, control, test);
    expect(expired.state).toBe("failing");
    expect(expired.offenders[0]?.action).toMatch(/expired/);
    // While the exception was in force, with more than the warning window left: passing.
    expect((await testOf(org, control, test, dayAgo(25))).state).toBe("passing");
    const view = (await org.owner.client.get(`/api/v1/access-grants/${excepted.id}`)).body;
    expect(view).toMatchObject({ flag: "exception_expired", exception: { expired: true } });
  });
});
