import { sql } from "kysely";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { ownerPersonId } from "../../factories/shared.ts";
import { type Org, system } from "../../factories.ts";

/**
 * The access-reviews checks' tests: in-scope systems, campaigns (TEMPORARY: by SQL until the
 * campaign routes are on this branch) and moving their dates into the past by SQL, then
 * re-evaluating like the scheduled run would.
 */

const interval = (days: number) => sql`make_interval(days => ${days})`;

async function shift(org: Org, work: Parameters<typeof withTenant>[2]) {
  await withTenant(org.t.deps.db, org.id, work);
  await reevaluate(org.t.deps.db, org.id);
}

/** A production system (owned by the org owner's person), in the inventory since `days` ago. */
export async function inScopeSystem(
  org: Org,
  input: { days?: number; reviewPeriodDays?: number; name?: string } = {},
) {
  const made = await system(org, {
    production: true,
    ...(input.reviewPeriodDays ? { reviewPeriodDays: input.reviewPeriodDays } : {}),
    ...(input.name ? { name: input.name } : {}),
  });
  await systemSince(org, made.id, input.days ?? 400);
  return made;
}

/** Moves a system's whole history `days` into the past. */
export function systemSince(org: Org, systemId: string, days: number) {
  return shift(org, async (tx) => {
    await sql`update system_versions set valid_from = valid_from - ${interval(days)},
                valid_to = valid_to - ${interval(days)}
              where system_id = ${systemId}`.execute(tx);
    await sql`update systems set created_at = created_at - ${interval(days)}
              where id = ${systemId}`.execute(tx);
  });
}

/** TEMPORARY (SQL): a campaign over systems, freezing their active grants now. */
export async function campaign(org: Org, systemIds: string[]): Promise<string> {
  const owner = await ownerPersonId(org);
  return withTenant(org.t.deps.db, org.id, async (tx) => {
    const review = await sql<{ id: string }>`
      insert into access_reviews (organization_id, name, due_at)
      values (${org.id}, 'Review', now() + interval '14 days') returning id`.execute(tx);
    const id = (review.rows[0] as { id: string }).id;
    for (const systemId of systemIds) {
      await sql`insert into access_review_systems (review_id, organization_id, system_id, owner_id)
                values (${id}, ${org.id}, ${systemId}, ${owner})`.execute(tx);
      await sql`insert into access_review_items (organization_id, review_id, system_id, grant_id,
                  person_id, system_role, reviewer_id)
                select ${org.id}, ${id}, system_id, id, person_id, system_role, ${owner}
                from access_grants where system_id = ${systemId} and granted_at is not null
                  and revoked_at is null`.execute(tx);
    }
    return id;
  });
}

/** TEMPORARY (SQL): decides every undecided item of a campaign (or those given). */
export async function decideAll(
  org: Org,
  reviewId: string,
  decision: "keep" | "revoke",
  grantIds?: string[],
) {
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    await sql`update access_review_items set decision = ${decision}, decided_at = now(),
                comment = 'Not needed'
              where review_id = ${reviewId} and decision is null
                and (${grantIds ?? null}::uuid[] is null or grant_id = any(${grantIds ?? null}::uuid[]))`.execute(
      tx,
    );
    await sql`update access_review_systems rs set completed_at = now()
              where review_id = ${reviewId} and not exists (select 1 from access_review_items i
                where i.review_id = rs.review_id and i.system_id = rs.system_id
                  and i.decision is null)`.execute(tx);
    await sql`update access_reviews r set completed_at = now()
              where id = ${reviewId} and not exists (select 1 from access_review_items i
                where i.review_id = r.id and i.decision is null)`.execute(tx);
  });
  await reevaluate(org.t.deps.db, org.id);
}

/** Moves every date of a campaign (start, due, completions, decisions) `days` into the past. */
export function shiftReview(org: Org, reviewId: string, days: number) {
  return shift(org, async (tx) => {
    const by = interval(days);
    await sql`update access_reviews set started_at = started_at - ${by}, due_at = due_at - ${by},
                completed_at = completed_at - ${by}, closed_at = closed_at - ${by},
                cancelled_at = cancelled_at - ${by}, reminded_at = reminded_at - ${by}
              where id = ${reviewId}`.execute(tx);
    await sql`update access_review_systems set completed_at = completed_at - ${by}
              where review_id = ${reviewId}`.execute(tx);
    await sql`update access_review_items set decided_at = decided_at - ${by}
              where review_id = ${reviewId}`.execute(tx);
  });
}
