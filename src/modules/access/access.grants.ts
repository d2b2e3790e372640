import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemOwner, systemsNow } from "../systems/systems.queries.ts";
import { revokeGrant } from "./access.changes.ts";
import { approvedRequests, grantConditions, rulesInForce } from "./access.queries.ts";
import { actingScope, actorPersonId, assertMayActOnSystem } from "./access.rules.ts";
import type { GrantsQuery, NewGrant } from "./access.schema.ts";

/**
 * Grants: a person's access on a system. Given by hand here (for access that exists, or with
 * an approved exception), revoked (never deleted), and given an exception; each answered with
 * what justifies it now and least-privilege's flag, computed from the rules and requests in
 * force now (grantConditions, the same SQL the checks run at any asOf).
 */

type GrantCursor = { createdAt: string; id: string };

export function grantRows(tx: Tx, now: Date) {
  const c = grantConditions(now);
  return tx
    .selectFrom("access_grants as g")
    .innerJoin(peopleAsOf(tx, now).as("p"), "p.id", "g.person_id")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "g.system_id")
    .leftJoin(rulesInForce(tx, now).as("rr"), (join) =>
      join
        .onRef("rr.system_id", "=", "g.system_id")
        .onRef("rr.job_role", "=", "p.job_role")
        .onRef("rr.system_role", "=", "g.system_role"),
    )
    .leftJoin(approvedRequests(tx, now).as("ar"), "ar.id", "g.access_request_id")
    .select([
      "g.id",
      "g.person_id",
      "p.name as person_name",
      "p.number as person_number",
      "g.system_id",
      "s.name as system_name",
      "s.owner_id as system_owner_id",
      "g.system_role",
      "g.admin",
      "g.basis",
      "g.created_at",
      "g.granted_at",
      "g.revoked_at",
      "g.cancelled_at",
      "g.revoke_reason",
      "g.exception_reason",
      "g.exception_expires_at",
      "g.exception_approved_at",
      c.justification.as("justification"),
      c.flag.as("flag"),
    ]);
}

type GrantRowView = Awaited<ReturnType<ReturnType<typeof grantRows>["executeTakeFirstOrThrow"]>>;

type Scope = Awaited<ReturnType<typeof actingScope>>;

function present(row: GrantRowView, now: Date, scope: Scope) {
  const state = row.cancelled_at
    ? ("cancelled" as const)
    : row.revoked_at
      ? ("revoked" as const)
      : row.granted_at
        ? ("active" as const)
        : ("pending" as const);
  return {
    id: row.id,
    person: {
      id: row.person_id,
      name: row.person_name,
      reference: personReference(row.person_number),
    },
    system: { id: row.system_id, name: row.system_name },
    systemRole: row.system_role,
    admin: row.admin,
    basis: row.basis,
    state,
    createdAt: row.created_at,
    grantedAt: row.granted_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    exception:
      row.exception_approved_at && row.exception_expires_at && row.exception_reason
        ? {
            reason: row.exception_reason,
            expiresAt: row.exception_expires_at,
            approvedAt: row.exception_approved_at,
            expired: row.exception_expires_at <= now,
          }
        : null,
    justification: row.justification,
    flag: row.flag,
    mayAct: scope.mayActOn(row.system_owner_id),
  };
}

export type GrantView = ReturnType<typeof present>;

export async function listGrants(ctx: Context, query: GrantsQuery, after?: GrantCursor) {
  const now = new Date();
  const { rows, scope } = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let q = grantRows(tx, now);
    if (query.systemId) q = q.where("g.system_id", "=", query.systemId);
    if (query.personId) q = q.where("g.person_id", "=", query.personId);
    if (query.state === "active") {
      q = q.where("g.granted_at", "is not", null).where("g.revoked_at", "is", null);
    } else if (query.state === "pending") {
      q = q.where("g.granted_at", "is", null).where("g.cancelled_at", "is", null);
    } else if (query.state === "revoked") {
      q = q.where((eb) =>
        eb.or([eb("g.revoked_at", "is not", null), eb("g.cancelled_at", "is not", null)]),
      );
    }
    if (query.admin !== undefined) q = q.where("g.admin", "=", query.admin);
    if (query.basis) q = q.where("g.basis", "=", query.basis);
    if (query.flagged !== undefined) {
      const flag = grantConditions(now).flag;
      q = q.where((eb) => eb(flag, query.flagged ? "is not" : "is", null));
    }
    if (after) {
      const at = new Date(after.createdAt);
      q = q.where((eb) =>
        eb.or([
          eb("g.created_at", "<", at),
          eb.and([eb("g.created_at", "=", at), eb("g.id", "<", after.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy("g.created_at", "desc")
      .orderBy("g.id", "desc")
      .limit(query.limit + 1)
      .execute();
    return { rows, scope: await actingScope(ctx, tx) };
  });
  const items = rows.slice(0, query.limit).map((row) => present(row, now, scope));
  const last = rows.length > query.limit ? items.at(-1) : undefined;
  return {
    items,
    next: last ? { createdAt: last.createdAt.toISOString(), id: last.id } : null,
  };
}

async function findGrant(ctx: Context, tx: Tx, id: string, now = new Date()) {
  const row = await grantRows(tx, now).where("g.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Grant");
  return present(row, now, await actingScope(ctx, tx));
}

export function getGrant(ctx: Context, id: string): Promise<GrantView> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => findGrant(ctx, tx, id));
}

/** An exception's approver: a user, and not the person the grant is for (four eyes). */
async function exceptionApprover(ctx: Context, tx: Tx, personId: string): Promise<string> {
  const userId = actorUserId(ctx.actor);
  if (!userId) throw errors.forbidden();
  if ((await actorPersonId(ctx, tx)) === personId) {
    throw errors.forbidden("Someone else must approve an exception for your own access.");
  }
  return userId;
}

function checkExpiry(expiresAt: Date, now: Date, field: string) {
  if (expiresAt <= now) throw errors.validation(field, "must be in the future");
}

export async function createGrant(ctx: Context, input: NewGrant): Promise<GrantView> {
  const now = new Date();
  const grantedAt = input.grantedAt ?? now;
  if (grantedAt > now) throw errors.validation("grantedAt", "must not be in the future");
  if (input.exception) checkExpiry(input.exception.expiresAt, now, "exception.expiresAt");
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const system = await systemOwner(tx, input.systemId);
    if (!system) throw errors.validation("systemId", "names no system of this organization");
    await assertMayActOnSystem(ctx, tx, input.systemId);
    if (system.archived) throw errors.invalidState("This system is archived.");
    const person = await peopleAsOf(tx, now)
      .where("people.id", "=", input.personId)
      .executeTakeFirst();
    if (!person) throw errors.validation("personId", "names no person of this organization");
    if (!person.active) throw errors.invalidState(`${person.name} is not active.`);
    const existing = await tx
      .selectFrom("access_grants")
      .select("id")
      .where("system_id", "=", input.systemId)
      .where("person_id", "=", input.personId)
      .where("system_role", "=", input.systemRole)
      .where("revoked_at", "is", null)
      .where("cancelled_at", "is", null)
      .executeTakeFirst();
    if (existing) {
      throw errors.conflict(
        `${person.name} already holds (or is being given) ${input.systemRole} on ${system.name}.`,
        "systemRole",
      );
    }
    const approver = input.exception ? await exceptionApprover(ctx, tx, input.personId) : undefined;
    // A grant a role rule implies records that rule as its basis.
    const rule = person.job_role
      ? await tx
          .selectFrom("role_rules")
          .select("id")
          .where("system_id", "=", input.systemId)
          .where("job_role", "=", person.job_role)
          .where("system_role", "=", input.systemRole)
          .where("removed_at", "is", null)
          .where((eb) => eb.or([eb("admin", "=", true), eb.lit(!input.admin)]))
          .executeTakeFirst()
      : undefined;
    const by = actorUserId(ctx.actor);
    const row = await tx
      .insertInto("access_grants")
      .values({
        organization_id: ctx.organizationId,
        system_id: input.systemId,
        person_id: input.personId,
        system_role: input.systemRole,
        admin: input.admin,
        basis: input.exception ? "exception" : rule ? "role_rule" : "manual",
        role_rule_id: rule?.id ?? null,
        exception_reason: input.exception?.reason ?? null,
        exception_expires_at: input.exception?.expiresAt ?? null,
        exception_approved_by: approver ?? null,
        exception_approved_at: approver ? now : null,
        created_by: by,
        granted_at: grantedAt,
        granted_by: by,
      })
      .returning(["id", "basis"])
      .executeTakeFirstOrThrow();
    await audit({
      action: "access_grant.created",
      targetType: "access_grant",
      targetId: row.id,
      after: {
        personId: input.personId,
        systemId: input.systemId,
        systemRole: input.systemRole,
        admin: input.admin,
        basis: row.basis,
        grantedAt: grantedAt.toISOString(),
        exception: input.exception
          ? { reason: input.exception.reason, expiresAt: input.exception.expiresAt.toISOString() }
          : null,
      },
    });
    return findGrant(ctx, tx, row.id, now);
  });
}

async function grantToChange(ctx: Context, tx: Tx, id: string) {
  const grant = await tx
    .selectFrom("access_grants")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!grant) throw errors.notFound("Grant");
  await assertMayActOnSystem(ctx, tx, grant.system_id);
  if (grant.revoked_at || grant.cancelled_at) {
    throw errors.invalidState("This grant was taken away already.");
  }
  return grant;
}

export async function revokeGrantById(
  ctx: Context,
  id: string,
  input: { revokedAt?: Date | undefined; reason: string },
): Promise<GrantView> {
  const now = new Date();
  const at = input.revokedAt ?? now;
  if (at > now) throw errors.validation("revokedAt", "must not be in the future");
  return applyChange(ctx, "access", async (scope) => {
    const grant = await grantToChange(ctx, scope.tx, id);
    if (grant.granted_at && at < grant.granted_at) {
      throw errors.validation(
        "revokedAt",
        `must not be before the grant was given (${grant.granted_at.toISOString()})`,
      );
    }
    await revokeGrant(scope, id, { at, by: actorUserId(ctx.actor), reason: input.reason });
    return findGrant(ctx, scope.tx, id, now);
  });
}

export async function approveException(
  ctx: Context,
  id: string,
  input: { reason: string; expiresAt: Date },
): Promise<GrantView> {
  const now = new Date();
  checkExpiry(input.expiresAt, now, "expiresAt");
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const grant = await grantToChange(ctx, tx, id);
    const approver = await exceptionApprover(ctx, tx, grant.person_id);
    await tx
      .updateTable("access_grants")
      .set({
        exception_reason: input.reason,
        exception_expires_at: input.expiresAt,
        exception_approved_by: approver,
        exception_approved_at: now,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "access_grant.exception_approved",
      targetType: "access_grant",
      targetId: id,
      before: grant.exception_approved_at
        ? {
            reason: grant.exception_reason,
            expiresAt: grant.exception_expires_at?.toISOString() ?? null,
          }
        : null,
      after: { reason: input.reason, expiresAt: input.expiresAt.toISOString() },
    });
    return findGrant(ctx, tx, id, now);
  });
}
