import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import type { TestApp } from "./app.ts";

/**
 * Moves every date of a policy (creation, versions, approvals, acknowledgements) `days` into
 * the past, as if the work had happened then, and re-evaluates like the scheduled job would.
 */
export async function backdatePolicy(
  t: TestApp,
  organizationId: string,
  policyId: string,
  days: number,
) {
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(t.deps.db, organizationId, async (tx) => {
    await sql`update policies set created_at = created_at - ${shift} where id = ${policyId}`.execute(
      tx,
    );
    await sql`update policy_versions set created_at = created_at - ${shift},
                submitted_at = submitted_at - ${shift}, published_at = published_at - ${shift},
                superseded_at = superseded_at - ${shift}
              where policy_id = ${policyId}`.execute(tx);
    await sql`update policy_approvals set approved_at = approved_at - ${shift}
              where version_id in (select id from policy_versions where policy_id = ${policyId})`.execute(
      tx,
    );
    await sql`update policy_acknowledgements set acknowledged_at = acknowledged_at - ${shift}
              where version_id in (select id from policy_versions where policy_id = ${policyId})`.execute(
      tx,
    );
  });
  await reevaluate(t.deps.db, organizationId);
}

/** Moves only the approvals (publication and reviews) of a policy into the past. */
export async function backdateApprovals(
  t: TestApp,
  organizationId: string,
  policyId: string,
  days: number,
) {
  await withTenant(t.deps.db, organizationId, (tx) =>
    sql`update policy_approvals set approved_at = approved_at - make_interval(days => ${days})
        where version_id in (select id from policy_versions where policy_id = ${policyId})`.execute(
      tx,
    ),
  );
  await reevaluate(t.deps.db, organizationId);
}
