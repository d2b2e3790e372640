import { type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";

/**
 * The access area's side of access reviews: the access a campaign freezes when it starts, the
 * revocation tasks its "revoke" decisions open, and when each revoked grant or account was
 * taken away. The access-reviews area reads and writes access only through these.
 */

/**
 * Every active grant and every account not removed on `systemIds` at `at` (systems not
 * archived then), with the context a reviewer decides on: the person's job role, the system
 * role, how it was granted, when, and the last login of the person's account on that system.
 * `owner_id` is the system's owner. A derived table for one set-based INSERT … SELECT: alias it.
 */
export function reviewableAccess(
  db: QueryCreator<Database>,
  systemIds: readonly string[],
  at: Date,
) {
  const ids = [...systemIds];
  const logins = db
    .selectFrom("accounts")
    .select([
      "system_id",
      "person_id",
      sql<string | null>`min(username)`.as("username"),
      sql<Date | null>`max(last_login_at)`.as("last_login_at"),
    ])
    .where("system_id", "in", ids)
    .where("person_id", "is not", null)
    .where("service", "=", false)
    .where("removed_at", "is", null)
    .groupBy(["system_id", "person_id"]);
  const grants = db
    .selectFrom("access_grants as g")
    .innerJoin(systemsAsOf(db, at).as("s"), "s.id", "g.system_id")
    .leftJoin(peopleAsOf(db, at).as("p"), "p.id", "g.person_id")
    .leftJoin(logins.as("l"), (join) =>
      join.onRef("l.system_id", "=", "g.system_id").onRef("l.person_id", "=", "g.person_id"),
    )
    .select([
      "g.system_id",
      sql<string | null>`g.id`.as("grant_id"),
      sql<string | null>`null::uuid`.as("account_id"),
      sql<string | null>`g.person_id`.as("person_id"),
      "l.username",
      sql<string | null>`g.system_role`.as("system_role"),
      "g.admin",
      sql<string | null>`g.basis`.as("basis"),
      "g.role_rule_id",
      sql<string | null>`p.job_role`.as("job_role"),
      sql<Date | null>`g.granted_at`.as("granted_at"),
      "l.last_login_at",
      sql<boolean>`false`.as("service"),
      "s.owner_id",
    ])
    .where("g.system_id", "in", ids)
    .where("g.granted_at", "is not", null)
    .where("g.granted_at", "<=", at)
    .where((eb) => eb.or([eb("g.revoked_at", "is", null), eb("g.revoked_at", ">", at)]))
    .where("g.cancelled_at", "is", null);
  const accounts = db
    .selectFrom("accounts as a")
    .innerJoin(systemsAsOf(db, at).as("s"), "s.id", "a.system_id")
    .leftJoin(peopleAsOf(db, at).as("p"), "p.id", "a.person_id")
    .select([
      "a.system_id",
      sql<string | null>`null::uuid`.as("grant_id"),
      sql<string | null>`a.id`.as("account_id"),
      sql<string | null>`a.person_id`.as("person_id"),
      sql<string | null>`a.username`.as("username"),
      sql<string | null>`null::text`.as("system_role"),
      sql<boolean>`false`.as("admin"),
      sql<string | null>`null::text`.as("basis"),
      sql<string | null>`null::uuid`.as("role_rule_id"),
      sql<string | null>`p.job_role`.as("job_role"),
      sql<Date | null>`a.created_at`.as("granted_at"),
      "a.last_login_at",
      "a.service",
      "s.owner_id",
    ])
    .where("a.system_id", "in", ids)
    .where("a.created_at", "<=", at)
    .where((eb) => eb.or([eb("a.removed_at", "is", null), eb("a.removed_at", ">", at)]));
  return grants.unionAll(accounts);
}

/**
 * When each grant or account was taken away (a grant revoked or cancelled, an account
 * removed): a derived table of `id` (the grant's or the account's) and `ended_at`, to left
 * join on a review item's `coalesce(grant_id, account_id)`.
 */
export function accessEnded(db: QueryCreator<Database>) {
  return db
    .selectFrom("access_grants")
    .select(["id", sql<Date>`coalesce(revoked_at, cancelled_at)`.as("ended_at")])
    .where((eb) => eb.or([eb("revoked_at", "is not", null), eb("cancelled_at", "is not", null)]))
    .unionAll(
      db
        .selectFrom("accounts")
        .select(["id", sql<Date>`removed_at`.as("ended_at")])
        .where("removed_at", "is not", null),
    );
}

/** When each of these grants or accounts was taken away (absent: still there). */
export async function accessEndedAt(tx: Tx, ids: readonly string[]): Promise<Map<string, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom(accessEnded(tx).as("e"))
    .select(["e.id", "e.ended_at"])
    .where("e.id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.ended_at]));
}

/** When revocation tasks are due and done, by id. */
export async function revocationTasks(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { dueAt: Date; completedAt: Date | null }>();
  const rows = await tx
    .selectFrom("access_tasks")
    .select(["id", "due_at", "completed_at"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { dueAt: r.due_at, completedAt: r.completed_at }]));
}

export interface ReviewRevocation {
  itemId: string;
  systemId: string;
  personId: string | null;
  grantId: string | null;
  accountId: string | null;
  decidedAt: Date;
}

/**
 * Opens the revocation task of each "revoke" decision (reason review, due
 * settings.accessReviewRevocationDays after the decision, assigned to the system's owner), in
 * the decision's change. A grant or account already gone needs none (absent from the answer);
 * one with a revocation task already open is given that task. Answers item id → task id.
 */
export async function openReviewRevocations(
  scope: ChangeScope,
  ctx: Context,
  items: readonly ReviewRevocation[],
): Promise<Map<string, string>> {
  const { tx } = scope;
  const opened = new Map<string, string>();
  if (items.length === 0) return opened;
  const settings = await organizationSettings(tx, ctx.organizationId);
  const grantIds = items.flatMap((i) => (i.grantId ? [i.grantId] : []));
  const accountIds = items.flatMap((i) => (i.accountId ? [i.accountId] : []));
  const liveGrants = new Set(
    grantIds.length === 0
      ? []
      : (
          await tx
            .selectFrom("access_grants")
            .select("id")
            .where("id", "in", grantIds)
            .where("revoked_at", "is", null)
            .where("cancelled_at", "is", null)
            .execute()
        ).map((r) => r.id),
  );
  const liveAccounts = new Set(
    accountIds.length === 0
      ? []
      : (
          await tx
            .selectFrom("accounts")
            .select("id")
            .where("id", "in", accountIds)
            .where("removed_at", "is", null)
            .execute()
        ).map((r) => r.id),
  );
  const openTasks = await tx
    .selectFrom("access_tasks")
    .select(["id", "grant_id", "account_id"])
    .where("kind", "=", "revoke")
    .where("completed_at", "is", null)
    .where("cancelled_at", "is", null)
    .where((eb) =>
      eb.or([
        ...(grantIds.length > 0 ? [eb("grant_id", "in", grantIds)] : []),
        ...(accountIds.length > 0 ? [eb("account_id", "in", accountIds)] : []),
      ]),
    )
    .execute();
  const existing = new Map(openTasks.map((t) => [(t.grant_id ?? t.account_id) as string, t.id]));
  const owners = new Map(
    (
      await tx
        .selectFrom(systemsAsOf(tx, new Date()).as("s"))
        .select(["s.id", "s.owner_id"])
        .where("s.id", "in", [...new Set(items.map((i) => i.systemId))])
        .execute()
    ).map((s) => [s.id, s.owner_id]),
  );
  for (const item of items) {
    const target = item.grantId ?? item.accountId;
    if (!target) continue;
    const live = item.grantId ? liveGrants.has(item.grantId) : liveAccounts.has(target);
    if (!live) continue;
    const already = existing.get(target);
    if (already) {
      opened.set(item.itemId, already);
      continue;
    }
    const row = await tx
      .insertInto("access_tasks")
      .values({
        organization_id: ctx.organizationId,
        kind: "revoke",
        reason: "review",
        system_id: item.systemId,
        person_id: item.personId,
        grant_id: item.grantId,
        account_id: item.grantId ? null : item.accountId,
        assignee_id: owners.get(item.systemId) ?? null,
        due_at: addDays(item.decidedAt, settings.accessReviewRevocationDays),
      })
      .returning(["id", "kind", "reason", "due_at"])
      .executeTakeFirstOrThrow();
    existing.set(target, row.id);
    opened.set(item.itemId, row.id);
    await scope.audit({
      action: "access_task.opened",
      targetType: "access_task",
      targetId: row.id,
      after: { kind: row.kind, reason: row.reason, dueAt: row.due_at.toISOString() },
    });
  }
  return opened;
}
