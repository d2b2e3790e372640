import { sql } from "kysely";
import { expect } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../../factories.ts";

/**
 * Backdating for the access checks' tests: each moves stored dates by SQL (as if the work had
 * happened then), then re-evaluates like the scheduled run would.
 */

export const daysAgo = (days: number) => addDays(new Date(), -days);
export const dayAgo = (days: number) => isoDay(daysAgo(days));

export interface TestRow {
  key: string;
  state: string;
  message: string;
  offenderCount?: number;
  offenders: {
    kind: string;
    id: string;
    label: string;
    link: string;
    action: string;
    state?: string;
    dueAt?: string;
  }[];
}

/** A test's result on a control, now or as of a day. */
export async function testOf(
  org: Org,
  controlKey: string,
  testKey: string,
  asOf?: string,
): Promise<TestRow> {
  const reply = await org.owner.client.get(
    `/api/v1/controls/${controlKey}${asOf ? `?asOf=${asOf}` : ""}`,
  );
  expect(reply.status).toBe(200);
  const found = (reply.body.tests as TestRow[]).find((test) => test.key === testKey);
  if (!found) throw new Error(`${controlKey} has no test ${testKey}`);
  return found;
}

async function shift(
  org: Org,
  work: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<unknown>,
) {
  await withTenant(org.t.deps.db, org.id, work);
  await reevaluate(org.t.deps.db, org.id);
}

/** Sets a grant's dates (each given as days ago; expiry as days from now, negative = past). */
export function setGrantDates(
  org: Org,
  grantId: string,
  dates: {
    grantedDaysAgo?: number;
    revokedDaysAgo?: number;
    exceptionApprovedDaysAgo?: number;
    exceptionExpiresInDays?: number;
  },
) {
  return shift(org, async (tx) => {
    const set: Record<string, Date> = {};
    if (dates.grantedDaysAgo !== undefined) set.granted_at = daysAgo(dates.grantedDaysAgo);
    if (dates.revokedDaysAgo !== undefined) set.revoked_at = daysAgo(dates.revokedDaysAgo);
    if (dates.exceptionApprovedDaysAgo !== undefined) {
      set.exception_approved_at = daysAgo(dates.exceptionApprovedDaysAgo);
    }
    if (dates.exceptionExpiresInDays !== undefined) {
      set.exception_expires_at = addDays(new Date(), dates.exceptionExpiresInDays);
    }
    await tx.updateTable("access_grants").set(set).where("id", "=", grantId).execute();
  });
}

/** Moves when a role rule came into force. */
export function setRoleRuleCreated(org: Org, ruleId: string, days: number) {
  return shift(org, (tx) =>
    tx
      .updateTable("role_rules")
      .set({ created_at: daysAgo(days) })
      .where("id", "=", ruleId)
      .execute(),
  );
}

/** Moves when an account was recorded and when it was linked. */
export function setAccountDates(
  org: Org,
  accountId: string,
  dates: { createdDaysAgo?: number; linkedDaysAgo?: number },
) {
  return shift(org, async (tx) => {
    if (dates.createdDaysAgo !== undefined) {
      await tx
        .updateTable("accounts")
        .set({ created_at: daysAgo(dates.createdDaysAgo) })
        .where("id", "=", accountId)
        .execute();
    }
    if (dates.linkedDaysAgo !== undefined) {
      await tx
        .updateTable("accounts")
        .set({ linked_at: daysAgo(dates.linkedDaysAgo) })
        .where("id", "=", accountId)
        .execute();
    }
  });
}

/** Moves the start of a person's current job role (person_job_roles.valid_from) into the past. */
export function setJobRoleSince(org: Org, personId: string, days: number) {
  return shift(org, async (tx) => {
    const at = daysAgo(days);
    await sql`update person_job_roles set valid_to = ${at}
              where person_id = ${personId} and valid_to is not null
                and valid_to = (select valid_from from person_job_roles
                                where person_id = ${personId} and valid_to is null)`.execute(tx);
    await sql`update person_job_roles set valid_from = ${at}
              where person_id = ${personId} and valid_to is null`.execute(tx);
  });
}

/** An approved access request, decided `days` ago, that a grant was given for. */
export function approvedRequestFor(org: Org, grantId: string, days: number) {
  return shift(org, async (tx) => {
    const grant = await tx
      .selectFrom("access_grants")
      .selectAll()
      .where("id", "=", grantId)
      .executeTakeFirstOrThrow();
    const request = await tx
      .insertInto("access_requests")
      .values({
        organization_id: org.id,
        person_id: grant.person_id,
        system_id: grant.system_id,
        system_role: grant.system_role,
        admin: grant.admin,
        reason: "Needed for the project",
        requested_at: daysAgo(days + 1),
        status: "approved",
        decided_at: daysAgo(days),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("access_grants")
      .set({ access_request_id: request.id, basis: "request" })
      .where("id", "=", grantId)
      .execute();
  });
}
