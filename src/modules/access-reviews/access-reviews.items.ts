import { sql } from "kysely";
import type { AccessReviewItemRow } from "../../db/tables/access-reviews.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { accessEndedAt, revocationTasks } from "../access/access.reviews.service.ts";
import { peopleByIds, personReference } from "../people/people.queries.ts";
import { systemNames, systemsNow } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import {
  actingUser,
  actorPerson,
  findReview,
  ownedSystems,
  readScope,
} from "./access-reviews.rules.ts";
import type { DECISION_FILTERS } from "./access-reviews.schema.ts";

/** A campaign's items, and a reviewer's undecided items across open campaigns. */

export interface ItemFilter {
  systemId?: string | undefined;
  reviewerId?: string | undefined;
  decision?: (typeof DECISION_FILTERS)[number] | undefined;
  after?: { systemName: string; sort: string; id: string } | undefined;
  limit: number;
}

export async function listItems(ctx: Context, reviewId: string, filter: ItemFilter) {
  actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findReview(tx, reviewId);
    const scope = await readScope(ctx, tx, reviewId);
    let query = tx
      .selectFrom("access_review_items as i")
      .innerJoin(systemsNow(tx).as("s"), "s.id", "i.system_id")
      .selectAll("i")
      .select(["s.name as system_name", sql<string>`coalesce(i.username, '')`.as("sort")])
      .where("i.review_id", "=", reviewId);
    if (!scope.all) {
      const owned = [...(await ownedSystems(tx, reviewId, scope.personId))];
      query = query.where((eb) =>
        eb.or([
          eb("i.reviewer_id", "=", scope.personId),
          ...(owned.length > 0 ? [eb("i.system_id", "in", owned)] : []),
        ]),
      );
    }
    if (filter.systemId) query = query.where("i.system_id", "=", filter.systemId);
    if (filter.reviewerId) query = query.where("i.reviewer_id", "=", filter.reviewerId);
    if (filter.decision === "undecided") query = query.where("i.decision", "is", null);
    else if (filter.decision) query = query.where("i.decision", "=", filter.decision);
    if (filter.after) {
      const { systemName, sort, id } = filter.after;
      query = query.where(
        sql<boolean>`(s.name, coalesce(i.username, ''), i.id) > (${systemName}, ${sort}, ${id})`,
      );
    }
    const rows = await query
      .orderBy("s.name")
      .orderBy(sql`coalesce(i.username, '')`)
      .orderBy("i.id")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await presentItems(ctx, tx, items),
      next: last ? { systemName: last.system_name, sort: last.sort, id: last.id } : null,
    };
  });
}

/** The caller's undecided items across open campaigns, the soonest due first. */
export async function assignedItems(
  ctx: Context,
  filter: { after?: { dueAt: string; id: string } | undefined; limit: number },
) {
  actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const me = await actorPerson(ctx, tx);
    if (!me) return { items: [], next: null };
    let query = tx
      .selectFrom("access_review_items as i")
      .innerJoin("access_reviews as r", "r.id", "i.review_id")
      .selectAll("i")
      .select("r.due_at as review_due_at")
      .where("i.reviewer_id", "=", me)
      .where("i.decision", "is", null)
      .where("r.completed_at", "is", null)
      .where("r.cancelled_at", "is", null);
    if (filter.after) {
      const { dueAt, id } = filter.after;
      query = query.where(sql<boolean>`(r.due_at, i.id) > (${new Date(dueAt)}, ${id})`);
    }
    const rows = await query
      .orderBy("r.due_at")
      .orderBy("i.id")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await presentItems(ctx, tx, items),
      next: last ? { dueAt: last.review_due_at.toISOString(), id: last.id } : null,
    };
  });
}

/** Items as the API shows them: names, the reviewer, and for a revoke its revocation. */
export async function presentItems(ctx: Context, tx: Tx, items: AccessReviewItemRow[]) {
  if (items.length === 0) return [];
  const reviews = new Map(
    (
      await tx
        .selectFrom("access_reviews")
        .select(["id", "name", "due_at", "completed_at", "cancelled_at"])
        .where("id", "in", [...new Set(items.map((i) => i.review_id))])
        .execute()
    ).map((r) => [r.id, r]),
  );
  const people = new Map(
    (
      await peopleByIds(tx, [
        ...new Set(items.flatMap((i) => [i.person_id, i.reviewer_id]).filter((v) => v !== null)),
      ])
    ).map((p) => [p.id, p]),
  );
  const systems = await systemNames(
    tx,
    items.map((i) => i.system_id),
  );
  const users = await userNames(
    tx,
    items.flatMap((i) => (i.decided_by ? [i.decided_by] : [])),
  );
  const revoked = items.filter((i) => i.decision === "revoke");
  const tasks = await revocationTasks(
    tx,
    revoked.flatMap((i) => (i.task_id ? [i.task_id] : [])),
  );
  const ended = await accessEndedAt(
    tx,
    revoked.flatMap((i) => [i.grant_id ?? i.account_id ?? ""]).filter((v) => v !== ""),
  );
  const me = await actorPerson(ctx, tx);
  return items.map((item) => {
    const review = reviews.get(item.review_id);
    const person = item.person_id ? people.get(item.person_id) : undefined;
    const reviewer = item.reviewer_id ? people.get(item.reviewer_id) : undefined;
    const task = item.task_id ? tasks.get(item.task_id) : undefined;
    const open = review !== undefined && !review.completed_at && !review.cancelled_at;
    return {
      id: item.id,
      review: {
        id: item.review_id,
        name: review?.name ?? "",
        dueAt: review?.due_at ?? new Date(0),
      },
      system: { id: item.system_id, name: systems.get(item.system_id) ?? "(unknown system)" },
      kind: item.grant_id ? ("grant" as const) : ("account" as const),
      grantId: item.grant_id,
      accountId: item.account_id,
      person: person
        ? { id: person.id, name: person.name, reference: personReference(person.number) }
        : null,
      username: item.username,
      systemRole: item.system_role,
      admin: item.admin,
      basis: item.basis,
      roleRuleId: item.role_rule_id,
      jobRole: item.job_role,
      grantedAt: item.granted_at,
      lastLoginAt: item.last_login_at,
      service: item.service,
      reviewer: reviewer ? { id: reviewer.id, name: reviewer.name } : null,
      decision: item.decision,
      comment: item.comment,
      decidedAt: item.decided_at,
      decidedBy: item.decided_by
        ? { id: item.decided_by, name: users.get(item.decided_by) ?? "(deleted user)" }
        : null,
      revocation:
        item.decision === "revoke"
          ? {
              taskId: item.task_id,
              dueAt: task?.dueAt ?? null,
              doneAt: ended.get(item.grant_id ?? item.account_id ?? "") ?? null,
            }
          : null,
      mayDecide: open && item.decision === null && me !== null && item.reviewer_id === me,
    };
  });
}
