import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import {
  apiPerson,
  type Org,
  organization,
  sqlAccount,
  sqlGrant,
  sqlRoleRule,
  system,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayAgo, daysAgo, setJobRoleSince, testOf } from "../access/checks-helpers.ts";
import { campaign, carryOut, decideAll, shiftReview } from "./checks-helpers.ts";

/**
 * access-removal's unneeded-access-removed through the API: a review's "revoke" decision and a
 * change of job role that leaves a role-rule grant without its reason are each due 7 days
 * later; due soon while open before then, failing when open after or carried out late (for a
 * year after the due date), passing when carried out in time; not applicable with nothing in
 * that year. Now and ?asOf=, with backdated data.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const removal = (org: Org, asOf?: string) =>
  testOf(org, "access-removal", "unneeded-access-removed", asOf);

async function revokeGrant(org: Org, grantId: string, at: Date) {
  await withTenant(t.deps.db, org.id, (tx) =>
    sql`update access_grants set revoked_at = ${at} where id = ${grantId}`.execute(tx),
  );
  await reevaluate(t.deps.db, org.id);
}

/** A person with a grant on a new system, reviewed in a campaign that decides to revoke it. */
async function revokedInReview(org: Org) {
  const sys = await system(org, { production: true, name: "Warehouse" });
  const personId = await apiPerson(org, { name: "Rita Revoked" });
  const grantId = await sqlGrant(org, { personId, systemId: sys.id });
  const reviewId = await campaign(org, [sys.id]);
  await decideAll(org, reviewId, "revoke");
  return { systemId: sys.id, personId, grantId, reviewId };
}

// Each test re-evaluates a dozen times as it moves dates: more than 30 s on a busy machine.
describe("unneeded-access-removed: revoke decisions", { timeout: 90_000 }, () => {
  it("is not applicable while nothing was asked to be revoked", async () => {
    const org = await organization(t);
    expect((await removal(org)).state).toBe("not_applicable");
    const sys = await system(org, { production: true });
    await sqlGrant(org, { personId: await apiPerson(org), systemId: sys.id });
    await decideAll(org, await campaign(org, [sys.id]), "keep");
    expect((await removal(org)).state).toBe("not_applicable");
  });

  it("is due soon after a revoke decision, fails once 7 days pass, passes when carried out in time", async () => {
    const org = await organization(t);
    const { personId, reviewId } = await revokedInReview(org);
    const soon = await removal(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders).toHaveLength(1);
    expect(soon.offenders[0]).toMatchObject({
      kind: "access_review_item",
      link: `/people/${personId}`,
      state: "due_soon",
    });
    expect(soon.offenders[0]?.label).toMatch(/^Rita Revoked \(P-\d+\): user on Warehouse$/);
    expect(soon.offenders[0]?.action).toMatch(
      /^Revoke the grant by \d{4}-\d\d-\d\d: the access review "/,
    );
    expect((await removal(org, dayAgo(1))).state).toBe("not_applicable");

    await shiftReview(org, reviewId, 10); // decided 10 days ago: 3 days overdue
    const late = await removal(org);
    expect(late.state).toBe("failing");
    expect(late.offenders[0]?.dueAt?.slice(0, 10)).toBe(dayAgo(3));
    expect(late.offenders[0]?.action).toMatch(/^Revoke the grant now: .*; it was due on /);
    expect((await removal(org, dayAgo(5))).state).toBe("due_soon");

    await carryOut(org, reviewId, daysAgo(6)); // 4 days after the decision: in time
    expect((await removal(org)).state).toBe("passing");
    expect((await removal(org, dayAgo(8))).state).toBe("due_soon");
  });

  it("keeps a late revocation failing for a year after its due date", async () => {
    const org = await organization(t);
    const { grantId, reviewId } = await revokedInReview(org);
    await shiftReview(org, reviewId, 20);
    await carryOut(org, reviewId, daysAgo(2)); // 18 days after the decision
    const late = await removal(org);
    expect(late.state).toBe("failing");
    expect(late.offenders[0]?.action).toMatch(
      `It was revoked on ${dayAgo(2)}, after its deadline of ${dayAgo(13)}`,
    );
    expect((await removal(org, dayAgo(10))).state).toBe("failing");
    expect((await removal(org, dayAgo(15))).state).toBe("due_soon");

    // 400 days on: out of the lookback now, still failing as of then.
    await shiftReview(org, reviewId, 400);
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_grants set granted_at = granted_at - make_interval(days => 400),
            created_at = created_at - make_interval(days => 400)
          where id = ${grantId}`.execute(tx),
    );
    await revokeGrant(org, grantId, daysAgo(402));
    expect((await removal(org)).state).toBe("not_applicable");
    expect((await removal(org, dayAgo(400))).state).toBe("failing");
    expect((await removal(org, dayAgo(13 + 400 - 364))).state).toBe("failing");
    expect((await removal(org, dayAgo(13 + 400 - 366))).state).toBe("not_applicable");
  });

  it("counts a grant already revoked when the decision was taken as carried out", async () => {
    const org = await organization(t);
    const sys = await system(org, { production: true });
    const grantId = await sqlGrant(org, { personId: await apiPerson(org), systemId: sys.id });
    const reviewId = await campaign(org, [sys.id]);
    await revokeGrant(org, grantId, new Date());
    await decideAll(org, reviewId, "revoke");
    expect((await removal(org)).state).toBe("passing");
  });
});

describe("unneeded-access-removed: accounts", { timeout: 90_000 }, () => {
  it("asks to remove an account a review decided to revoke, passing once removed in time", async () => {
    const org = await organization(t);
    const sys = await system(org, { production: true, name: "Mailer" });
    const personId = await apiPerson(org, { name: "Ada Account" });
    await sqlAccount(org, { personId, systemId: sys.id, username: "ada" });
    const reviewId = await campaign(org, [sys.id]);
    await decideAll(org, reviewId, "revoke");
    const soon = await removal(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]?.label).toMatch(/^Ada Account \(P-\d+\): account ada on Mailer$/);
    expect(soon.offenders[0]?.action).toMatch(
      /^Remove the account by .*decided on .* to remove it\.$/,
    );
    await shiftReview(org, reviewId, 3);
    await carryOut(org, reviewId, daysAgo(1));
    expect((await removal(org)).state).toBe("passing");
    expect((await removal(org, dayAgo(2))).state).toBe("due_soon");
  });
});

describe("unneeded-access-removed: ended role assignments", { timeout: 90_000 }, () => {
  async function engineerWithRuleGrant(org: Org, input: { admin?: boolean } = {}) {
    const sys = await system(org);
    // The person first: a rule already there would open their joiner grant.
    const personId = await apiPerson(org, { name: "Mo Mover", jobRole: "Engineer" });
    const ruleId = await sqlRoleRule(org, {
      jobRole: "Engineer",
      systemId: sys.id,
      admin: input.admin ?? false,
    });
    const grantId = await sqlGrant(org, {
      personId,
      systemId: sys.id,
      basis: "role_rule",
      roleRuleId: ruleId,
    });
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_grants set admin = ${input.admin ?? false} where id = ${grantId}`.execute(
        tx,
      ),
    );
    return { systemId: sys.id, personId, grantId };
  }

  async function changeRole(org: Org, personId: string, jobRole: string) {
    const reply = await org.owner.client.patch(`/api/v1/people/${personId}`, { jobRole });
    expect(reply.status).toBe(200);
  }

  it("asks to revoke a role rule's grant once the role ends: due soon, then failing", async () => {
    const org = await organization(t);
    const { personId, grantId } = await engineerWithRuleGrant(org);
    expect((await removal(org)).state).toBe("not_applicable");
    await changeRole(org, personId, "Accountant");
    const soon = await removal(org);
    expect(soon.state).toBe("due_soon");
    expect(soon.offenders[0]).toMatchObject({
      kind: "access_grant",
      id: grantId,
      link: `/people/${personId}`,
      state: "due_soon",
    });
    expect(soon.offenders[0]?.action).toMatch(
      /^Revoke the grant by .*: Mo Mover moved from Engineer to Accountant on .* and no rule of the new role implies it\.$/,
    );

    await setJobRoleSince(org, personId, 10);
    expect((await removal(org)).state).toBe("failing");
    expect((await removal(org, dayAgo(2))).state).toBe("failing");
    expect((await removal(org, dayAgo(5))).state).toBe("due_soon");
    expect((await removal(org, dayAgo(11))).state).toBe("not_applicable");

    await revokeGrant(org, grantId, daysAgo(7)); // 3 days after the change
    expect((await removal(org)).state).toBe("passing");
  });

  it("leaves a grant the new role's rules imply, unless the new rule is narrower", async () => {
    const org = await organization(t);
    const kept = await engineerWithRuleGrant(org);
    await sqlRoleRule(org, { jobRole: "Lead", systemId: kept.systemId });
    await changeRole(org, kept.personId, "Lead");
    expect((await removal(org)).state).toBe("not_applicable");

    const admin = await engineerWithRuleGrant(org, { admin: true });
    await sqlRoleRule(org, { jobRole: "Lead", systemId: admin.systemId, admin: false });
    await changeRole(org, admin.personId, "Lead");
    const result = await removal(org);
    expect(result.state).toBe("due_soon");
    expect(result.offenders.map((o) => o.id)).toEqual([admin.grantId]);
  });

  it("leaves a grant an approved request justifies", async () => {
    const org = await organization(t);
    const { personId, grantId, systemId } = await engineerWithRuleGrant(org);
    await withTenant(t.deps.db, org.id, async (tx) => {
      const request = await sql<{ id: string }>`
        insert into access_requests (organization_id, person_id, system_id, system_role, reason,
          requested_at, status, decided_at)
        values (${org.id}, ${personId}, ${systemId}, 'user', 'Still on call for deploys',
          ${daysAgo(3)}, 'approved', ${daysAgo(2)}) returning id`.execute(tx);
      await sql`update access_grants set access_request_id = ${request.rows[0]?.id}
                where id = ${grantId}`.execute(tx);
    });
    await changeRole(org, personId, "Accountant");
    expect((await removal(org)).state).toBe("not_applicable");
  });
});
