import { sql } from "kysely";
import type { AccessKeyRow, AccessTaskRow, TaskKind, TaskReason } from "../../db/tables/access.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { can } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { peopleByIds, personReference } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { carryOutGrant, removeAccount, revokeGrant, revokeKey } from "./access.changes.ts";
import { actorPersonId } from "./access.rules.ts";

/**
 * Access tasks: the work that carries an access change out (give a pending grant, take a grant
 * or an account away), assigned to the system's owner and due by its SLA. The owner's user
 * completes them, or anyone with access.manage.
 */

/** The signed-in user acting, or a 403. */
export function actingUser(ctx: Context) {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, role: actor.role };
}

/** The current systems (name, owner) by id; archived ones are absent. */
export async function systemsById(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0)
    return new Map<string, { id: string; name: string; owner_id: string | null }>();
  const rows = await tx
    .selectFrom(systemsAsOf(tx, new Date()).as("s"))
    .select(["s.id", "s.name", "s.owner_id"])
    .where("s.id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export interface NewTask {
  kind: TaskKind;
  reason: TaskReason;
  systemId: string;
  personId: string;
  grantId?: string;
  accountId?: string;
  accessKeyId?: string;
  dueAt: Date;
}

/** Opens a task assigned to the system's current owner (inside a change). */
export async function openTask(ctx: Context, scope: ChangeScope, task: NewTask) {
  const system = (await systemsById(scope.tx, [task.systemId])).get(task.systemId);
  const row = await scope.tx
    .insertInto("access_tasks")
    .values({
      organization_id: ctx.organizationId,
      kind: task.kind,
      reason: task.reason,
      system_id: task.systemId,
      person_id: task.personId,
      grant_id: task.grantId ?? null,
      account_id: task.accountId ?? null,
      access_key_id: task.accessKeyId ?? null,
      assignee_id: system?.owner_id ?? null,
      due_at: task.dueAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scope.audit({
    action: "access_task.opened",
    targetType: "access_task",
    targetId: row.id,
    after: { kind: row.kind, reason: row.reason, dueAt: row.due_at.toISOString() },
  });
  return row;
}

export interface TaskFilter {
  mine?: boolean | undefined;
  systemId?: string | undefined;
  personId?: string | undefined;
  state: "open" | "done" | "cancelled" | "overdue" | "all";
  kind?: TaskKind | undefined;
  reason?: TaskReason | undefined;
  after?: { dueAt: string; id: string } | undefined;
  limit: number;
}

export async function listTasks(ctx: Context, filter: TaskFilter) {
  const { role } = actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const me = await actorPersonId(ctx, tx);
    const onlyMine = filter.mine || !can(role, "access.read");
    if (onlyMine && !me) return { items: [], next: null };
    const now = new Date();
    let query = tx.selectFrom("access_tasks").selectAll();
    if (onlyMine) query = query.where("assignee_id", "=", me);
    if (filter.systemId) query = query.where("system_id", "=", filter.systemId);
    if (filter.personId) query = query.where("person_id", "=", filter.personId);
    if (filter.kind) query = query.where("kind", "=", filter.kind);
    if (filter.reason) query = query.where("reason", "=", filter.reason);
    if (filter.state === "open" || filter.state === "overdue") {
      query = query.where("completed_at", "is", null).where("cancelled_at", "is", null);
      if (filter.state === "overdue") query = query.where("due_at", "<", now);
    } else if (filter.state === "done") {
      query = query.where("completed_at", "is not", null);
    } else if (filter.state === "cancelled") {
      query = query.where("cancelled_at", "is not", null);
    }
    if (filter.after) {
      const { dueAt, id } = filter.after;
      query = query.where(sql<boolean>`(due_at, id) > (${new Date(dueAt)}, ${id})`);
    }
    const rows = await query
      .orderBy("due_at")
      .orderBy("id")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await presentTasks(ctx, tx, items),
      next: last ? { dueAt: last.due_at.toISOString(), id: last.id } : null,
    };
  });
}

async function findTask(tx: Tx, id: string): Promise<AccessTaskRow> {
  const task = await tx
    .selectFrom("access_tasks")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!task) throw errors.notFound("Access task");
  return task;
}

export async function getTask(ctx: Context, id: string) {
  const { role } = actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const task = await findTask(tx, id);
    if (!can(role, "access.read") && task.assignee_id !== (await actorPersonId(ctx, tx))) {
      throw errors.notFound("Access task");
    }
    const [view] = await presentTasks(ctx, tx, [task]);
    return view as NonNullable<typeof view>;
  });
}

/** The assignee's user, or anyone with access.manage. */
async function assertMayWork(ctx: Context, tx: Tx, task: AccessTaskRow) {
  const { role } = actingUser(ctx);
  if (can(role, "access.manage")) return;
  if (task.assignee_id && task.assignee_id === (await actorPersonId(ctx, tx))) return;
  throw errors.forbidden("Only the system's owner (the task's assignee) or an admin does this.");
}

function assertOpen(task: AccessTaskRow) {
  if (task.completed_at || task.cancelled_at) {
    throw errors.invalidState(`The task is already ${task.completed_at ? "done" : "cancelled"}.`);
  }
}

export async function completeTask(ctx: Context, id: string, input: { at?: Date | undefined }) {
  const { userId } = actingUser(ctx);
  const now = new Date();
  const at = input.at ?? now;
  if (at > now) throw errors.validation("at", "must not be in the future");
  await applyChange(ctx, "access", async (scope) => {
    const task = await findTask(scope.tx, id);
    await assertMayWork(ctx, scope.tx, task);
    assertOpen(task);
    const done = { at, by: userId };
    let result: unknown;
    if (task.grant_id && task.kind === "grant") {
      result = await carryOutGrant(scope, task.grant_id, done);
    } else if (task.grant_id) {
      const grant = await scope.tx
        .selectFrom("access_grants")
        .select("granted_at")
        .where("id", "=", task.grant_id)
        .executeTakeFirstOrThrow();
      if (grant.granted_at && at < grant.granted_at) {
        throw errors.validation("at", "must not be before the access was given");
      }
      result = await revokeGrant(scope, task.grant_id, { ...done, reason: task.reason });
    } else if (task.account_id) {
      result = await removeAccount(scope, task.account_id, done);
    } else if (task.access_key_id) {
      const key = await scope.tx
        .selectFrom("access_keys")
        .select("created_on")
        .where("id", "=", task.access_key_id)
        .executeTakeFirstOrThrow();
      if (isoDay(at) < key.created_on) {
        throw errors.validation("at", "must not be before the key was made");
      }
      result = await revokeKey(scope, task.access_key_id, { ...done, reason: task.reason });
    }
    if (!result) {
      // The grant or account had changed already: the task has nothing left to do.
      await scope.tx
        .updateTable("access_tasks")
        .set({ completed_at: at, completed_by: userId })
        .where("id", "=", id)
        .execute();
    }
    await scope.audit({
      action: "access_task.completed",
      targetType: "access_task",
      targetId: id,
      after: { at: at.toISOString() },
    });
  });
  return getTask(ctx, id);
}

export async function cancelTask(ctx: Context, id: string, input: { reason: string }) {
  const { userId } = actingUser(ctx);
  await applyChange(ctx, "access", async (scope) => {
    const task = await findTask(scope.tx, id);
    await assertMayWork(ctx, scope.tx, task);
    assertOpen(task);
    await scope.tx
      .updateTable("access_tasks")
      .set({ cancelled_at: new Date(), cancelled_by: userId, cancel_reason: input.reason })
      .where("id", "=", id)
      .execute();
    // A grant that was to be given and never will be is cancelled with its task.
    if (task.kind === "grant" && task.grant_id) {
      await scope.tx
        .updateTable("access_grants")
        .set({ cancelled_at: new Date(), revoke_reason: input.reason, updated_at: new Date() })
        .where("id", "=", task.grant_id)
        .where("granted_at", "is", null)
        .where("cancelled_at", "is", null)
        .execute();
    }
    await scope.audit({
      action: "access_task.cancelled",
      targetType: "access_task",
      targetId: id,
      after: { reason: input.reason },
    });
  });
  return getTask(ctx, id);
}

async function keysById(tx: Tx, ids: string[]) {
  if (ids.length === 0)
    return new Map<string, Pick<AccessKeyRow, "id" | "name" | "fingerprint" | "revoked_at">>();
  const rows = await tx
    .selectFrom("access_keys")
    .select(["id", "name", "fingerprint", "revoked_at"])
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((k) => [k.id, k]));
}

/** Tasks as the API shows them: with person, system, grant or account and who may act. */
export async function presentTasks(ctx: Context, tx: Tx, tasks: AccessTaskRow[]) {
  if (tasks.length === 0) return [];
  const ids = (pick: (t: AccessTaskRow) => string | null) => [
    ...new Set(tasks.map(pick).filter((v): v is string => v !== null)),
  ];
  const people = new Map(
    (await peopleByIds(tx, [...ids((t) => t.person_id), ...ids((t) => t.assignee_id)])).map((p) => [
      p.id,
      p,
    ]),
  );
  const systems = await systemsById(
    tx,
    ids((t) => t.system_id),
  );
  const grantIds = ids((t) => t.grant_id);
  const grants = new Map(
    grantIds.length === 0
      ? []
      : (
          await tx.selectFrom("access_grants").selectAll().where("id", "in", grantIds).execute()
        ).map((g) => [g.id, g]),
  );
  const accountIds = ids((t) => t.account_id);
  const accounts = new Map(
    accountIds.length === 0
      ? []
      : (
          await tx
            .selectFrom("accounts")
            .select(["id", "username", "removed_at"])
            .where("id", "in", accountIds)
            .execute()
        ).map((a) => [a.id, a]),
  );
  const keys = await keysById(
    tx,
    ids((t) => t.access_key_id),
  );
  const { role } = actingUser(ctx);
  const manager = can(role, "access.manage");
  const me = await actorPersonId(ctx, tx);
  const now = new Date();
  return tasks.map((task) => {
    const person = task.person_id ? people.get(task.person_id) : undefined;
    const assignee = task.assignee_id ? people.get(task.assignee_id) : undefined;
    const grant = task.grant_id ? grants.get(task.grant_id) : undefined;
    const account = task.account_id ? accounts.get(task.account_id) : undefined;
    const key = task.access_key_id ? keys.get(task.access_key_id) : undefined;
    const state = task.completed_at ? "done" : task.cancelled_at ? "cancelled" : "open";
    return {
      id: task.id,
      kind: task.kind,
      reason: task.reason,
      system: {
        id: task.system_id,
        name: systems.get(task.system_id)?.name ?? "(archived system)",
      },
      person: person
        ? { id: person.id, name: person.name, reference: personReference(person.number) }
        : null,
      grant: grant
        ? {
            id: grant.id,
            systemRole: grant.system_role,
            admin: grant.admin,
            status: grant.cancelled_at
              ? ("cancelled" as const)
              : grant.revoked_at
                ? ("revoked" as const)
                : grant.granted_at
                  ? ("active" as const)
                  : ("pending" as const),
          }
        : null,
      account: account
        ? { id: account.id, username: account.username, removed: account.removed_at !== null }
        : null,
      accessKey: key
        ? {
            id: key.id,
            name: key.name,
            fingerprint: key.fingerprint,
            revoked: key.revoked_at !== null,
          }
        : null,
      assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      dueAt: task.due_at,
      createdAt: task.created_at,
      completedAt: task.completed_at,
      cancelledAt: task.cancelled_at,
      cancelReason: task.cancel_reason,
      state: state as "open" | "done" | "cancelled",
      overdue: state === "open" && task.due_at < now,
      mayAct: state === "open" && (manager || (me !== null && task.assignee_id === me)),
    };
  });
}
