import { sql } from "kysely";
import type { AccessRequestRow, AccessRequestStatus } from "../../db/tables/access.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import { can } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { actorPersonId, mayActOnSystem } from "./access.rules.ts";
import { actingUser, openTask, systemsById } from "./access.tasks.ts";

/**
 * Access requests: a person (or their manager) asks for a role on a system with a reason; the
 * system's owner (or an owner or admin of the organization) approves or denies — never the
 * person the access is for, nor whoever asked. Approval opens a pending grant and a task for
 * the system's owner to carry it out.
 */

export interface NewAccessRequest {
  personId?: string | undefined;
  systemId: string;
  systemRole: string;
  admin: boolean;
  reason: string;
}

export async function createAccessRequest(ctx: Context, input: NewAccessRequest) {
  const { userId, role } = actingUser(ctx);
  const id = await applyChange(ctx, "access", async ({ tx, audit }) => {
    const me = await actorPersonId(ctx, tx);
    const personId = input.personId ?? me;
    if (!personId) {
      throw errors.validation("personId", "your account is not linked to a person: name one");
    }
    const [person] = await peopleByIds(tx, [personId]);
    if (!person) throw errors.validation("personId", "no such person");
    if (personId !== me && !can(role, "access.manage") && (!me || person.manager_id !== me)) {
      throw errors.forbidden("You may ask for access for yourself and your direct reports only.");
    }
    if (!(await systemsById(tx, [input.systemId])).has(input.systemId)) {
      throw errors.validation("systemId", "no such system (or it is archived)");
    }
    const created = await tx
      .insertInto("access_requests")
      .values({
        organization_id: ctx.organizationId,
        person_id: personId,
        system_id: input.systemId,
        system_role: input.systemRole,
        admin: input.admin,
        reason: input.reason,
        requested_by: userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "access_request.created",
      targetType: "access_request",
      targetId: created.id,
      after: {
        personId,
        systemId: input.systemId,
        systemRole: input.systemRole,
        admin: input.admin,
        reason: input.reason,
      },
    });
    return created.id;
  });
  return getAccessRequest(ctx, id);
}

export interface RequestFilter {
  status?: AccessRequestStatus | undefined;
  systemId?: string | undefined;
  personId?: string | undefined;
  mine?: boolean | undefined;
  after?: { requestedAt: string; id: string } | undefined;
  limit: number;
}

export async function listAccessRequests(ctx: Context, filter: RequestFilter) {
  const { userId, role } = actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const me = await actorPersonId(ctx, tx);
    let query = tx.selectFrom("access_requests").selectAll();
    if (filter.mine || !can(role, "access.read")) {
      const owned = tx
        .selectFrom(systemsAsOf(tx, new Date()).as("s"))
        .select("s.id")
        .where("s.owner_id", "=", me);
      query = query.where((eb) =>
        eb.or([
          eb("requested_by", "=", userId),
          ...(me ? [eb("person_id", "=", me), eb("system_id", "in", owned)] : []),
        ]),
      );
    }
    if (filter.status) query = query.where("status", "=", filter.status);
    if (filter.systemId) query = query.where("system_id", "=", filter.systemId);
    if (filter.personId) query = query.where("person_id", "=", filter.personId);
    if (filter.after) {
      const { requestedAt, id } = filter.after;
      query = query.where(sql<boolean>`(requested_at, id) < (${new Date(requestedAt)}, ${id})`);
    }
    const rows = await query
      .orderBy("requested_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await presentRequests(ctx, tx, items),
      next: last ? { requestedAt: last.requested_at.toISOString(), id: last.id } : null,
    };
  });
}

async function findRequest(tx: Tx, id: string): Promise<AccessRequestRow> {
  const row = await tx
    .selectFrom("access_requests")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw errors.notFound("Access request");
  return row;
}

/** Whether the caller may see a request: access.read, or theirs to ask, have or decide. */
async function maySee(ctx: Context, tx: Tx, request: AccessRequestRow) {
  const { userId, role } = actingUser(ctx);
  if (can(role, "access.read") || request.requested_by === userId) return true;
  const me = await actorPersonId(ctx, tx);
  if (me && request.person_id === me) return true;
  return mayDecide(ctx, tx, request);
}

/** The system's owner or an owner or admin, never the person concerned nor the requester. */
async function mayDecide(ctx: Context, tx: Tx, request: AccessRequestRow) {
  const { userId } = actingUser(ctx);
  if (request.requested_by === userId) return false;
  if (request.person_id === (await actorPersonId(ctx, tx))) return false;
  return mayActOnSystem(ctx, tx, request.system_id);
}

export async function getAccessRequest(ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const request = await findRequest(tx, id);
    if (!(await maySee(ctx, tx, request))) throw errors.notFound("Access request");
    const [view] = await presentRequests(ctx, tx, [request]);
    return view as NonNullable<typeof view>;
  });
}

async function decidable(ctx: Context, tx: Tx, id: string) {
  const request = await findRequest(tx, id);
  if (!(await maySee(ctx, tx, request))) throw errors.notFound("Access request");
  if (!(await mayDecide(ctx, tx, request))) {
    throw errors.forbidden(
      "The system's owner (or an owner or admin) decides, never the person concerned or whoever asked.",
    );
  }
  if (request.status !== "pending") {
    throw errors.invalidState(`The request is already ${request.status}.`);
  }
  return request;
}

export async function approveAccessRequest(ctx: Context, id: string, input: { comment?: string }) {
  const { userId } = actingUser(ctx);
  await applyChange(ctx, "access", async (scope) => {
    const { tx, audit } = scope;
    const request = await decidable(ctx, tx, id);
    const existing = await tx
      .selectFrom("access_grants")
      .select("id")
      .where("system_id", "=", request.system_id)
      .where("person_id", "=", request.person_id)
      .where("system_role", "=", request.system_role)
      .where("revoked_at", "is", null)
      .where("cancelled_at", "is", null)
      .executeTakeFirst();
    if (existing) {
      throw errors.conflict("The person already has (or is being given) this role on the system.");
    }
    const now = new Date();
    await tx
      .updateTable("access_requests")
      .set({
        status: "approved",
        decided_by: userId,
        decided_at: now,
        decision_comment: input.comment ?? null,
      })
      .where("id", "=", id)
      .execute();
    const grant = await tx
      .insertInto("access_grants")
      .values({
        organization_id: ctx.organizationId,
        system_id: request.system_id,
        person_id: request.person_id,
        system_role: request.system_role,
        admin: request.admin,
        basis: "request",
        access_request_id: id,
        created_by: userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const settings = await organizationSettings(tx, ctx.organizationId);
    await openTask(ctx, scope, {
      kind: "grant",
      reason: "request",
      systemId: request.system_id,
      personId: request.person_id,
      grantId: grant.id,
      dueAt: addDays(now, settings.accessProvisionDays),
    });
    await audit({
      action: "access_request.approved",
      targetType: "access_request",
      targetId: id,
      after: { grantId: grant.id, comment: input.comment ?? null },
    });
  });
  return getAccessRequest(ctx, id);
}

export async function denyAccessRequest(ctx: Context, id: string, input: { comment: string }) {
  const { userId } = actingUser(ctx);
  await applyChange(ctx, "access", async ({ tx, audit }) => {
    await decidable(ctx, tx, id);
    await tx
      .updateTable("access_requests")
      .set({
        status: "denied",
        decided_by: userId,
        decided_at: new Date(),
        decision_comment: input.comment,
      })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "access_request.denied",
      targetType: "access_request",
      targetId: id,
      after: { comment: input.comment },
    });
  });
  return getAccessRequest(ctx, id);
}

export async function cancelAccessRequest(ctx: Context, id: string) {
  const { userId } = actingUser(ctx);
  await applyChange(ctx, "access", async ({ tx, audit }) => {
    const request = await findRequest(tx, id);
    if (!(await maySee(ctx, tx, request))) throw errors.notFound("Access request");
    if (request.requested_by !== userId) {
      throw errors.forbidden("Only whoever asked cancels a request.");
    }
    if (request.status !== "pending") {
      throw errors.invalidState(`The request is already ${request.status}.`);
    }
    await tx
      .updateTable("access_requests")
      .set({ status: "cancelled", decided_by: userId, decided_at: new Date() })
      .where("id", "=", id)
      .execute();
    await audit({ action: "access_request.cancelled", targetType: "access_request", targetId: id });
  });
  return getAccessRequest(ctx, id);
}

async function presentRequests(ctx: Context, tx: Tx, rows: AccessRequestRow[]) {
  if (rows.length === 0) return [];
  const people = new Map(
    (await peopleByIds(tx, [...new Set(rows.map((r) => r.person_id))])).map((p) => [p.id, p]),
  );
  const systems = await systemsById(tx, [...new Set(rows.map((r) => r.system_id))]);
  const users = await userNames(
    tx,
    rows.flatMap((r) => [r.requested_by, r.decided_by]).filter((v): v is string => v !== null),
  );
  const user = (id: string | null) => (id ? { id, name: users.get(id) ?? "(unknown)" } : null);
  const { userId, role } = actingUser(ctx);
  const me = await actorPersonId(ctx, tx);
  const decides = (row: AccessRequestRow) =>
    row.status === "pending" &&
    row.requested_by !== userId &&
    row.person_id !== me &&
    (role === "owner" ||
      role === "admin" ||
      (me !== null && systems.get(row.system_id)?.owner_id === me));
  return rows.map((row) => ({
    id: row.id,
    person: { id: row.person_id, name: people.get(row.person_id)?.name ?? "(unknown)" },
    system: { id: row.system_id, name: systems.get(row.system_id)?.name ?? "(archived system)" },
    systemRole: row.system_role,
    admin: row.admin,
    reason: row.reason,
    requestedBy: user(row.requested_by),
    requestedAt: row.requested_at,
    status: row.status,
    decidedBy: user(row.decided_by),
    decidedAt: row.decided_at,
    decisionComment: row.decision_comment,
    mayDecide: decides(row),
  }));
}

/** The systems one may ask for access to (every current system, by name): the request form. */
export async function systemChoices(ctx: Context) {
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom(systemsAsOf(tx, new Date()).as("s"))
      .select(["s.id", "s.name"])
      .orderBy("s.name")
      .orderBy("s.id")
      .limit(1000)
      .execute(),
  );
}
