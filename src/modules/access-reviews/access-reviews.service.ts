import { sql } from "kysely";
import type { AccessReviewRow } from "../../db/tables/access-reviews.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays, endOfDay, isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { accessEndedAt, reviewableAccess } from "../access/access.reviews.service.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { activePeopleOn, peopleByIds } from "../people/people.queries.ts";
import { systemNames, systemsAsOf } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import {
  actingUser,
  actorCan,
  findReview,
  readScope,
  reviewStatus,
} from "./access-reviews.rules.ts";
import type { ReviewStatus } from "./access-reviews.schema.ts";

/**
 * Campaigns: starting one freezes, in one INSERT … SELECT, every grant and account then
 * standing on its systems (the access area's reviewableAccess) as items, each for the system
 * owner to review (never the person under review: an item about the owner awaits a reviewer).
 */

export interface CampaignInput {
  name?: string | undefined;
  systemIds: readonly string[];
  dueAt?: string | Date | undefined;
  scheduled?: boolean;
}

/** Starts a campaign inside a change; answers its id. The systems must all be free. */
export async function startCampaign(
  ctx: Context,
  scope: ChangeScope,
  input: CampaignInput,
  now = new Date(),
): Promise<string> {
  const { tx } = scope;
  const systemIds = [...new Set(input.systemIds)];
  const systems = await tx
    .selectFrom(systemsAsOf(tx, now).as("s"))
    .select(["s.id", "s.name", "s.owner_id"])
    .where("s.id", "in", systemIds)
    .execute();
  const found = new Set(systems.map((s) => s.id));
  const missing = systemIds.findIndex((id) => !found.has(id));
  if (missing >= 0) {
    throw errors.validation(
      `systemIds.${missing}`,
      "is not a system in the inventory (or it is archived)",
    );
  }
  const busy = await tx
    .selectFrom("access_review_systems as rs")
    .innerJoin("access_reviews as r", "r.id", "rs.review_id")
    .select(["rs.system_id", "r.name"])
    .where("rs.system_id", "in", systemIds)
    .where("r.completed_at", "is", null)
    .where("r.cancelled_at", "is", null)
    .executeTakeFirst();
  if (busy) {
    const name = systems.find((s) => s.id === busy.system_id)?.name ?? busy.system_id;
    throw errors.conflict(
      `${name} is already under review in the open campaign "${busy.name}".`,
      "systemIds",
    );
  }
  // An owner who has left reviews nothing: their systems' items wait for a reviewer.
  const owners = [...new Set(systems.flatMap((s) => (s.owner_id ? [s.owner_id] : [])))];
  const activeOwners =
    owners.length === 0
      ? []
      : (
          await tx
            .selectFrom(activePeopleOn(tx, isoDay(now)).as("p"))
            .select("p.id")
            .where("p.id", "in", owners)
            .execute()
        ).map((p) => p.id);
  const settings = await organizationSettings(tx, ctx.organizationId);
  const dueAt =
    input.dueAt === undefined
      ? addDays(now, settings.accessReviewDueDays)
      : typeof input.dueAt === "string"
        ? endOfDay(input.dueAt)
        : input.dueAt;
  if (dueAt <= now) throw errors.validation("dueAt", "must be in the future");
  const review = await tx
    .insertInto("access_reviews")
    .values({
      organization_id: ctx.organizationId,
      name: input.name ?? `Access review of ${isoDay(now)}`,
      scheduled: input.scheduled ?? false,
      started_at: now,
      started_by: actorUserId(ctx.actor),
      due_at: dueAt,
    })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("access_review_systems")
    .values(
      systems.map((s) => ({
        review_id: review.id,
        organization_id: ctx.organizationId,
        system_id: s.id,
        owner_id: s.owner_id,
      })),
    )
    .execute();
  // One set-based statement, however many grants: the access as it stands now, frozen.
  await tx
    .insertInto("access_review_items")
    .columns([
      "organization_id",
      "review_id",
      "system_id",
      "grant_id",
      "account_id",
      "person_id",
      "username",
      "system_role",
      "admin",
      "basis",
      "role_rule_id",
      "job_role",
      "granted_at",
      "last_login_at",
      "service",
      "reviewer_id",
    ])
    .expression((eb) =>
      eb.selectFrom(reviewableAccess(tx, systemIds, now).as("a")).select([
        sql<string>`${ctx.organizationId}::uuid`.as("organization_id"),
        sql<string>`${review.id}::uuid`.as("review_id"),
        "a.system_id",
        "a.grant_id",
        "a.account_id",
        "a.person_id",
        "a.username",
        "a.system_role",
        "a.admin",
        "a.basis",
        "a.role_rule_id",
        "a.job_role",
        "a.granted_at",
        "a.last_login_at",
        "a.service",
        sql<string | null>`case when a.person_id is not distinct from a.owner_id
            or not (a.owner_id = any(${activeOwners}::uuid[])) then null
            else a.owner_id end`.as("reviewer_id"),
      ]),
    )
    .execute();
  await sql`
    update access_review_systems rs
    set item_count = c.n, completed_at = case when c.n = 0 then ${now}::timestamptz end
    from (
      select s.system_id, count(i.id)::int as n
      from access_review_systems s
      left join access_review_items i on i.review_id = s.review_id and i.system_id = s.system_id
      where s.review_id = ${review.id}
      group by s.system_id
    ) c
    where rs.review_id = ${review.id} and rs.system_id = c.system_id`.execute(tx);
  const total = await tx
    .selectFrom("access_review_systems")
    .select(sql<number>`coalesce(sum(item_count), 0)::int`.as("n"))
    .where("review_id", "=", review.id)
    .executeTakeFirstOrThrow();
  if (total.n === 0) {
    await tx
      .updateTable("access_reviews")
      .set({ completed_at: now, updated_at: now })
      .where("id", "=", review.id)
      .execute();
  }
  await scope.audit({
    action: "access_review.started",
    targetType: "access_review",
    targetId: review.id,
    after: {
      name: review.name,
      scheduled: input.scheduled ?? false,
      systemIds,
      items: total.n,
      dueAt: dueAt.toISOString(),
    },
  });
  return review.id;
}

export async function startReview(ctx: Context, input: CampaignInput) {
  actingUser(ctx);
  const id = await applyChange(ctx, "access_reviews", (scope) => startCampaign(ctx, scope, input));
  return getReview(ctx, id);
}

export async function getReview(ctx: Context, id: string) {
  actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await findReview(tx, id);
    await readScope(ctx, tx, id);
    const [view] = await presentReviews(ctx, tx, [row]);
    return view as NonNullable<typeof view>;
  });
}

export interface ReviewFilter {
  status?: ReviewStatus | undefined;
  after?: { startedAt: string; id: string } | undefined;
  limit: number;
}

export async function listReviews(ctx: Context, filter: ReviewFilter) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx.selectFrom("access_reviews").selectAll();
    if (filter.status === "open") {
      query = query.where("completed_at", "is", null).where("cancelled_at", "is", null);
    } else if (filter.status === "completed") {
      query = query
        .where("completed_at", "is not", null)
        .where("closed_at", "is", null)
        .where("cancelled_at", "is", null);
    } else if (filter.status === "closed") {
      query = query.where("closed_at", "is not", null);
    } else if (filter.status === "cancelled") {
      query = query.where("cancelled_at", "is not", null);
    }
    if (filter.after) {
      const { startedAt, id } = filter.after;
      query = query.where(sql<boolean>`(started_at, id) < (${new Date(startedAt)}, ${id})`);
    }
    const rows = await query
      .orderBy("started_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await presentReviews(ctx, tx, items),
      next: last ? { startedAt: last.started_at.toISOString(), id: last.id } : null,
    };
  });
}

export async function cancelReview(ctx: Context, id: string, input: { reason: string }) {
  const { userId } = actingUser(ctx);
  await applyChange(ctx, "access_reviews", async (scope) => {
    const row = await findReview(scope.tx, id);
    const status = reviewStatus(row);
    if (status === "cancelled" || status === "closed") {
      throw errors.invalidState(`The campaign is already ${status}.`);
    }
    const now = new Date();
    await scope.tx
      .updateTable("access_reviews")
      .set({
        cancelled_at: now,
        cancelled_by: userId,
        cancel_reason: input.reason,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await scope.audit({
      action: "access_review.cancelled",
      targetType: "access_review",
      targetId: id,
      before: { status },
      after: { reason: input.reason },
    });
  });
  return getReview(ctx, id);
}

/**
 * Per campaign and system: items, decided, kept, revoked, needing a reviewer, and how many
 * revocations are carried out. The last is looked up for the revoke items alone (a few), by
 * id through the access area, rather than by joining every item to every ended grant: a
 * campaign just started has 50,000 items and no statistics yet, and the planner cannot be
 * trusted with that join then.
 */
async function reviewCounts(tx: Tx, ids: readonly string[]) {
  const rows = await tx
    .selectFrom("access_review_items as i")
    .select([
      "i.review_id",
      "i.system_id",
      sql<number>`count(*)::int`.as("items"),
      sql<number>`count(i.decision)::int`.as("decided"),
      sql<number>`(count(*) filter (where i.decision = 'keep'))::int`.as("kept"),
      sql<number>`(count(*) filter (where i.decision = 'revoke'))::int`.as("revoked"),
      sql<number>`(count(*) filter (where i.decision is null and i.reviewer_id is null))::int`.as(
        "needing_reviewer",
      ),
    ])
    .where("i.review_id", "in", [...ids])
    .groupBy(["i.review_id", "i.system_id"])
    .execute();
  const revoked = await tx
    .selectFrom("access_review_items")
    .select(["review_id", "system_id", sql<string>`coalesce(grant_id, account_id)`.as("access_id")])
    .where("review_id", "in", [...ids])
    .where("decision", "=", "revoke")
    .execute();
  const ended = await accessEndedAt(
    tx,
    revoked.map((r) => r.access_id),
  );
  const done = new Map<string, number>();
  for (const r of revoked) {
    if (!ended.has(r.access_id)) continue;
    const key = `${r.review_id}\u0000${r.system_id}`;
    done.set(key, (done.get(key) ?? 0) + 1);
  }
  return rows.map((row) => ({
    ...row,
    revocations_done: done.get(`${row.review_id}\u0000${row.system_id}`) ?? 0,
  }));
}

/** Campaigns as the API shows them. */
export async function presentReviews(ctx: Context, tx: Tx, rows: AccessReviewRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await reviewCounts(tx, ids);
  const systems = await tx
    .selectFrom("access_review_systems")
    .selectAll()
    .where("review_id", "in", ids)
    .execute();
  const names = await systemNames(
    tx,
    systems.map((s) => s.system_id),
  );
  const owners = new Map(
    (
      await peopleByIds(tx, [...new Set(systems.flatMap((s) => (s.owner_id ? [s.owner_id] : [])))])
    ).map((p) => [p.id, p.name]),
  );
  const users = await userNames(
    tx,
    rows.flatMap((r) => [r.started_by, r.closed_by, r.cancelled_by]).filter((v) => v !== null),
  );
  const user = (id: string | null) => (id ? { id, name: users.get(id) ?? "(deleted user)" } : null);
  const now = new Date();
  const mayManage = actorCan(ctx, "access.manage");
  return rows.map((row) => {
    const mine = counts.filter((c) => c.review_id === row.id);
    const sum = (pick: (c: (typeof mine)[number]) => number) =>
      mine.reduce((total, c) => total + pick(c), 0);
    const status = reviewStatus(row);
    return {
      id: row.id,
      name: row.name,
      scheduled: row.scheduled,
      status,
      startedAt: row.started_at,
      startedBy: user(row.started_by),
      dueAt: row.due_at,
      overdue: status === "open" && row.due_at < now,
      completedAt: row.completed_at,
      closedAt: row.closed_at,
      closedBy: user(row.closed_by),
      cancelledAt: row.cancelled_at,
      cancelledBy: user(row.cancelled_by),
      cancelReason: row.cancel_reason,
      evidenceId: row.evidence_id,
      counts: {
        items: sum((c) => c.items),
        decided: sum((c) => c.decided),
        kept: sum((c) => c.kept),
        revoked: sum((c) => c.revoked),
        revocationsDone: sum((c) => c.revocations_done),
        needingReviewer: sum((c) => c.needing_reviewer),
      },
      systems: systems
        .filter((s) => s.review_id === row.id)
        .map((s) => {
          const c = mine.find((m) => m.system_id === s.system_id);
          return {
            system: { id: s.system_id, name: names.get(s.system_id) ?? "(unknown system)" },
            owner: s.owner_id ? { id: s.owner_id, name: owners.get(s.owner_id) ?? "" } : null,
            items: s.item_count,
            decided: c?.decided ?? 0,
            completedAt: s.completed_at,
          };
        })
        .sort((a, b) => a.system.name.localeCompare(b.system.name)),
      mayManage,
    };
  });
}
