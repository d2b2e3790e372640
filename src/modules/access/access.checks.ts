import { sql } from "kysely";
import type { ControlTest, TestContext, TestOutcome } from "../monitoring/registry.ts";
import { accountsUnique } from "./access.checks.accounts.ts";
import {
  type GrantCheckResult,
  type GrantFinding,
  grantChecks,
  grantOffenders,
  grantOutcome,
} from "./access.checks.grants.ts";
import { grantConditions } from "./access.queries.ts";

/**
 * The grant and account checks (CONTROLS.md): customer-data-need-to-know,
 * admin-grants-approved, grants-justified, accounts-unique. Each reads the grants, accounts
 * and role rules, the people (their job role and whether active) and the inventory, all as
 * they stood at asOf.
 */
const SOURCES = ["access", "people", "systems"] as const;

/**
 * The three grant checks, judged in one pass over the grants and shared within an evaluation:
 * customer-data-need-to-know (grants on systems holding customer data), admin-grants-approved
 * (admin grants on production systems) and grants-justified (every active grant).
 */
function grantSpecs(asOf: Date) {
  const c = grantConditions(asOf);
  return {
    customerData: {
      scope: sql`sy.customer_data`,
      grants: sql`true`,
      fine: sql`(p.active and p.job_role = any(sy.allowed_roles))`,
      finding: sql`'not_allowed'`,
    },
    admin: {
      scope: sql`sy.production`,
      grants: sql`g.admin`,
      fine: sql`(p.active and p.job_role = any(sy.admin_roles))`,
      finding: sql`'not_admin_role'`,
    },
    justified: {
      scope: sql`true`,
      grants: sql`true`,
      fine: sql`(${c.byRule} or ${c.byRequest})`,
      finding: sql`case when g.admin and ${c.sameRoleRule} then 'broader_than_rule'
                        when ${c.exceptionExpired} then 'exception_expired'
                        else 'unjustified' end`,
    },
  };
}

async function sharedGrantCheck(
  context: TestContext,
  name: keyof ReturnType<typeof grantSpecs>,
): Promise<GrantCheckResult> {
  const all = await context.shared("access-grant-checks", () =>
    grantChecks(context, grantSpecs(context.asOf)),
  );
  return all[name];
}

function whyNotAllowed(f: GrantFinding, what: string): string {
  if (!f.person_active) return `${f.person_name} is not active`;
  return f.job_role
    ? `their job role (${f.job_role}) is not among the roles allowed ${what} there`
    : `they have no job role, so none allows ${what} there`;
}

async function customerDataNeedToKnow(context: TestContext): Promise<TestOutcome> {
  const result = await sharedGrantCheck(context, "customerData");
  if (result.inScope === 0) {
    return { state: "not_applicable", message: "No system holds customer data.", offenders: [] };
  }
  const offenders = grantOffenders(
    result.findings,
    (f) =>
      `${f.person_name} holds access to customer data but ${whyNotAllowed(f, "on it")}: revoke the grant, allow the job role on the system, or approve an exception with a reason and an expiry.`,
  );
  return grantOutcome(result, offenders, {
    passing: `Every one of the ${result.grants} grants on the ${result.inScope} systems holding customer data belongs to an active person whose job role is allowed there, or has an approved exception.`,
    failing: `${result.failing} grants on systems holding customer data belong to people whose job role is not allowed there (or who left), with no exception in force.`,
    dueSoon: `${result.dueSoon} grants on systems holding customer data rely on exceptions that expire soon.`,
  });
}

async function adminGrantsApproved(context: TestContext): Promise<TestOutcome> {
  const result = await sharedGrantCheck(context, "admin");
  if (result.inScope === 0) {
    return { state: "not_applicable", message: "No system is marked production.", offenders: [] };
  }
  const offenders = grantOffenders(
    result.findings,
    (f) =>
      `${f.person_name} is an administrator of a production system but ${whyNotAllowed(f, "admin")}: revoke the admin grant, allow the job role admin on the system, or approve an exception with a reason and an expiry.`,
  );
  return grantOutcome(result, offenders, {
    passing: `Every one of the ${result.grants} administrative grants on the ${result.inScope} production systems belongs to an active person whose job role may hold admin there, or has an approved exception.`,
    failing: `${result.failing} administrative grants on production systems are not allowed by the holder's job role, with no exception in force.`,
    dueSoon: `${result.dueSoon} administrative grants on production systems rely on exceptions that expire soon.`,
  });
}

function justifyAction(f: GrantFinding): string {
  if (f.finding === "broader_than_rule") {
    return `The role rule for ${f.job_role ?? "their job role"} gives ${f.system_role} on ${f.system_name} without admin, but ${f.person_name} holds it as admin: remove the admin right, change the rule, or approve a request or an exception for it.`;
  }
  if (f.finding === "exception_expired") {
    return `The exception that justified this grant has expired: revoke the grant, or approve a new exception (or a request) for ${f.person_name}.`;
  }
  return `No role rule for ${f.job_role ?? "their (missing) job role"} implies this grant and no approved request asked for it: revoke it, add a role rule, or approve a request or an exception.`;
}

async function grantsJustified(context: TestContext): Promise<TestOutcome> {
  const result = await sharedGrantCheck(context, "justified");
  if (result.grants === 0) {
    return { state: "not_applicable", message: "Nobody holds an active grant.", offenders: [] };
  }
  const offenders = grantOffenders(result.findings, justifyAction);
  return grantOutcome(result, offenders, {
    passing: `Every one of the ${result.grants} active grants is implied by a role rule, was approved through an access request, or has an approved exception.`,
    failing: `${result.failing} active grants are neither implied by a role rule nor approved through a request (or are broader than their rule), with no exception in force.`,
    dueSoon: `${result.dueSoon} active grants rely on exceptions that expire soon.`,
  });
}

export const accessChecks: readonly ControlTest[] = [
  {
    testKey: "customer-data-need-to-know",
    controls: ["customer-data-access-restricted"],
    sources: SOURCES,
    run: customerDataNeedToKnow,
  },
  {
    testKey: "admin-grants-approved",
    controls: ["admin-access-restricted"],
    sources: SOURCES,
    run: adminGrantsApproved,
  },
  {
    testKey: "grants-justified",
    controls: ["least-privilege"],
    sources: SOURCES,
    run: grantsJustified,
  },
  {
    testKey: "accounts-unique",
    controls: ["unique-access-ids"],
    sources: SOURCES,
    run: accountsUnique,
  },
];
