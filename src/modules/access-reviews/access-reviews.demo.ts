import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import { reviewableAccess } from "../access/access.reviews.service.ts";
import {
  carryOutDemoRevocations,
  type DemoRevocation,
} from "../access/access.reviews-demo.service.ts";
import type { DemoContext } from "../area.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";

/**
 * The demo's year of user access reviews: a campaign each quarter over every system in scope
 * (production or holding customer data), each item decided by the system's owner, a couple of
 * "revoke" decisions a quarter carried out within days, and the campaign signed off. The third
 * campaign finished twelve days late, so user-access-reviews' history shows the weeks its
 * systems went unreviewed; the latest one, two months ago, keeps the control passing now.
 */
const CAMPAIGNS = [
  { startedDaysAgo: 340, tookDays: 9, scheduled: false },
  { startedDaysAgo: 250, tookDays: 12, scheduled: false },
  { startedDaysAgo: 160, tookDays: 26, scheduled: true },
  { startedDaysAgo: 70, tookDays: 8, scheduled: true },
] as const;
const DUE_DAYS = 14;
const REVOCATION_DAYS = 7;
const REVOKES_PER_CAMPAIGN = 2;
const HOUR = 3_600_000;

function quarterName(at: Date): string {
  const quarter = Math.floor(at.getUTCMonth() / 3) + 1;
  return `Q${quarter} ${at.getUTCFullYear()} access review`;
}

export async function seedDemoAccessReviews(db: Kysely<Database>, demo: DemoContext) {
  const userOf = new Map(demo.people.map((p) => [p.id, p.userId]));
  const leaving = new Set(demo.people.filter((p) => p.endDate).map((p) => p.id));
  // The areas before this one have just bulk-loaded the year (250,000 grants in the large
  // demo) and autovacuum has not looked yet: without statistics the planner takes the freeze
  // below for a handful of rows and nests its loops until it never ends.
  await sql`analyze`.execute(db);
  let campaigns = 0;
  for (const spec of CAMPAIGNS) {
    const startedAt = addDays(demo.now, -spec.startedDaysAgo);
    startedAt.setUTCHours(9, 0, 0, 0);
    const completedAt = new Date(startedAt.getTime() + spec.tookDays * 24 * HOUR);
    const closedAt = new Date(completedAt.getTime() + (REVOCATION_DAYS - 1) * 24 * HOUR);
    const made = await withTenant(db, demo.organizationId, async (tx) => {
      const systems = (await systemsAsOf(tx, startedAt).execute()).filter(
        (s) => (s.production || s.customer_data) && s.owner_id,
      );
      if (systems.length === 0) return null;
      const review = await tx
        .insertInto("access_reviews")
        .values({
          organization_id: demo.organizationId,
          name: quarterName(startedAt),
          scheduled: spec.scheduled,
          started_at: startedAt,
          started_by: spec.scheduled ? null : demo.owner.userId,
          due_at: addDays(startedAt, DUE_DAYS),
          completed_at: completedAt,
          closed_at: closedAt,
          closed_by: demo.owner.userId,
          updated_at: closedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const systemIds = systems.map((s) => s.id);
      const productionIds = new Set(systems.filter((s) => s.production).map((s) => s.id));
      await tx
        .insertInto("access_review_systems")
        .values(
          systems.map((s) => ({
            review_id: review.id,
            organization_id: demo.organizationId,
            system_id: s.id,
            owner_id: s.owner_id,
          })),
        )
        .execute();
      // The freeze, as a campaign makes it; an owner's own access goes to the company's owner.
      const [first, second] = demo.people;
      await sql`
        insert into access_review_items (organization_id, review_id, system_id, grant_id,
          account_id, person_id, username, system_role, admin, basis, role_rule_id, job_role,
          granted_at, last_login_at, service, reviewer_id)
        select ${demo.organizationId}::uuid, ${review.id}::uuid, a.system_id, a.grant_id,
          a.account_id, a.person_id, a.username, a.system_role, a.admin, a.basis,
          a.role_rule_id, a.job_role, a.granted_at, a.last_login_at, a.service,
          case when a.person_id is distinct from a.owner_id then a.owner_id
               when a.person_id = ${first?.id ?? null}::uuid then ${second?.id ?? null}::uuid
               else ${first?.id ?? null}::uuid end
        from (${reviewableAccess(tx, systemIds, startedAt)}) a`.execute(tx);
      // Decided through the weeks it took, the last item on the day it completed.
      await sql`
        update access_review_items i set decision = 'keep',
          decided_at = ${startedAt}::timestamptz
            + (abs(hashtext(i.id::text)) % 1000) / 1000.0 * (${completedAt}::timestamptz - ${startedAt}::timestamptz)
        where i.review_id = ${review.id}`.execute(tx);
      const picks = (
        await tx
          .selectFrom("access_review_items")
          .select(["id", "grant_id", "system_id", "person_id", "system_role", "reviewer_id"])
          .where("review_id", "=", review.id)
          .where("grant_id", "is not", null)
          .where("admin", "=", false)
          .orderBy(sql`hashtext(id::text)`)
          .limit(200)
          .execute()
      )
        // Revoked where no host listing or key follows the grant: systems not in production.
        .filter((i) => i.person_id && !leaving.has(i.person_id) && !productionIds.has(i.system_id))
        .slice(0, REVOKES_PER_CAMPAIGN);
      const revocations: (DemoRevocation & { itemId: string })[] = picks.map((item, n) => {
        const decidedAt = new Date(startedAt.getTime() + (2 + n) * 24 * HOUR);
        return {
          itemId: item.id,
          grantId: item.grant_id,
          accountId: null,
          systemId: item.system_id,
          personId: item.person_id,
          assigneeId: systems.find((s) => s.id === item.system_id)?.owner_id ?? null,
          decidedAt,
          doneAt: new Date(decidedAt.getTime() + (2 + n) * 24 * HOUR),
          doneBy: userOf.get(item.reviewer_id ?? "") ?? demo.owner.userId,
          revocationDays: REVOCATION_DAYS,
        };
      });
      const tasks = await carryOutDemoRevocations(tx, demo.organizationId, revocations);
      for (const r of revocations) {
        await tx
          .updateTable("access_review_items")
          .set({
            decision: "revoke",
            decided_at: r.decidedAt,
            comment: `No longer needs this access: their work moved off the system this quarter.`,
            task_id: tasks.get(r.grantId as string) ?? null,
          })
          .where("id", "=", r.itemId)
          .execute();
      }
      await sql`
        update access_review_items i set decided_by = u.user_id
        from (select unnest(${sql.val(demo.people.map((p) => p.id))}::uuid[]) as person_id,
                     unnest(${sql.val(demo.people.map((p) => p.userId))}::uuid[]) as user_id) u
        where i.review_id = ${review.id} and u.person_id = i.reviewer_id`.execute(tx);
      await sql`
        update access_review_systems rs set item_count = c.n, completed_at = coalesce(c.last, ${startedAt})
        from (select system_id, count(*)::int as n, max(decided_at) as last
              from access_review_items where review_id = ${review.id} group by system_id) c
        where rs.review_id = ${review.id} and rs.system_id = c.system_id`.execute(tx);
      await sql`
        update access_review_systems set completed_at = ${startedAt}
        where review_id = ${review.id} and completed_at is null`.execute(tx);
      const count = await tx
        .selectFrom("access_review_items")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("review_id", "=", review.id)
        .executeTakeFirstOrThrow();
      return { id: review.id, items: Number(count.n) };
    });
    if (!made) continue;
    const { id, items } = made;
    campaigns++;
    const name = quarterName(startedAt);
    demo.event({
      at: startedAt,
      actor: demo.owner,
      action: "access_review.started",
      targetType: "access_review",
      targetId: id,
      after: { name, scheduled: spec.scheduled, items, dueAt: addDays(startedAt, DUE_DAYS) },
    });
    demo.event({
      at: completedAt,
      actor: demo.owner,
      action: "access_review.completed",
      targetType: "access_review",
      targetId: id,
      after: { name },
    });
    demo.event({
      at: closedAt,
      actor: demo.owner,
      action: "access_review.signed_off",
      targetType: "access_review",
      targetId: id,
      after: { items },
    });
  }
  demo.counts["access reviews"] = campaigns;
}
