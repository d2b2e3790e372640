import { sql } from "kysely";
import { expect } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { accessReview, type Org, system } from "../../factories.ts";
import { itemsOf } from "./helpers.ts";

/**
 * The access-reviews checks' tests: in-scope systems, campaigns started and decided through
 * the API, and moving their dates into the past by SQL (as if the work had happened then),
 * then re-evaluating like the scheduled run would.
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

/** A campaign over the systems, started through the API by the owner. Answers its id. */
export async function campaign(org: Org, systemIds: string[]): Promise<string> {
  return (await accessReview(org, { systemIds })).id;
}

/**
 * The owner (the systems' owner, so their reviewer) decides every undecided item of a
 * campaign through the API, with one comment; a revoke opens each item's revocation task.
 */
export async function decideAll(org: Org, reviewId: string, decision: "keep" | "revoke") {
  const items = await itemsOf(org.owner.client, reviewId, "&decision=undecided");
  expect(items.length).toBeGreaterThan(0);
  const reply = await org.owner.client.post(`/api/v1/access-reviews/${reviewId}/decisions`, {
    itemIds: items.map((i) => i.id),
    decision,
    comment: decision === "revoke" ? "No longer needed for the job." : "Still needed.",
  });
  expect(reply.status).toBe(200);
}

/** Carries out a campaign's revocations through their tasks (the owner, dated `at`). */
export async function carryOut(org: Org, reviewId: string, at: Date) {
  const items = await itemsOf(org.owner.client, reviewId, "&decision=revoke");
  for (const item of items) {
    const taskId = item.revocation?.taskId;
    expect(taskId).toBeTruthy();
    const reply = await org.owner.client.post(`/api/v1/access-tasks/${taskId}/complete`, {
      at: at.toISOString(),
    });
    expect(reply.status).toBe(200);
  }
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
    await sql`update access_tasks set created_at = created_at - ${by}, due_at = due_at - ${by}
              where id in (select task_id from access_review_items
                           where review_id = ${reviewId})`.execute(tx);
  });
}
