import { type Kysely, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database, User } from "../../db/types.ts";
import { type Role, requiresAccessExpiry } from "../../domain/permissions.ts";
import type { Actor, Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { assertStrongPassword } from "../../platform/password-strength.ts";
import { hashPassword } from "../../platform/passwords.ts";
import { revokeUserSessions, revokeUserTokens } from "../auth/sessions.service.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { organizationRows } from "../organizations/organizations.queries.ts";
import { linkPersonToUser } from "../people/people.service.ts";
import { assertKeepsAnOwner, assertMayAssignRole, assertMayChange } from "./users.rules.ts";

export const INVITE_DAYS = 7;

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: User["status"];
  mfaEnabled: boolean;
  accessExpiresAt: Date | null;
  createdAt: Date;
}

export function presentUser(user: User): UserView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    status: user.status,
    mfaEnabled: user.mfa_enabled_at !== null,
    accessExpiresAt: user.access_expires_at,
    createdAt: user.created_at,
  };
}

/** The audit snapshot of a user: never a secret. */
export function snapshot(user: User) {
  return {
    name: user.name,
    email: user.email,
    role: user.role,
    status: user.status,
    accessExpiresAt: user.access_expires_at?.toISOString() ?? null,
  };
}

export function actorRole(actor: Actor): { userId: string; role: Role } {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, role: actor.role };
}

export async function listUsers(
  ctx: Context,
  page: { after?: { createdAt: Date; id: string } | undefined; limit: number },
) {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let query = tx.selectFrom("users").selectAll();
    if (page.after) {
      const { createdAt, id } = page.after;
      query = query.where((eb) =>
        eb.or([
          eb("created_at", ">", createdAt),
          eb.and([eb("created_at", "=", createdAt), eb("id", ">", id)]),
        ]),
      );
    }
    return query
      .orderBy("created_at")
      .orderBy("id")
      .limit(page.limit + 1)
      .execute();
  });
  const items = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? items.at(-1) : undefined;
  return {
    items: items.map(presentUser),
    next: last ? { createdAt: last.created_at, id: last.id } : null,
  };
}

export async function getUser(ctx: Context, id: string): Promise<UserView> {
  const user = await withTenant(ctx.db, ctx.organizationId, (tx) => findUser(tx, id));
  return presentUser(user);
}

export interface Invitation {
  email: string;
  name: string;
  role: Role;
  accessExpiresAt?: Date | undefined;
}

export async function inviteUser(ctx: Context, input: Invitation) {
  const actor = actorRole(ctx.actor);
  assertMayAssignRole(actor.role, input.role);
  const accessExpiresAt = checkAccessExpiry(input.role, input.accessExpiresAt ?? null);
  const email = input.email.trim().toLowerCase();
  const token = randomToken(32);
  // Checked before the transaction: PGlite has one connection, which the transaction holds.
  await assertEmailFree(ctx.db, email);
  const user = await applyChange(ctx, null, async ({ tx, audit }) => {
    const created = await tx
      .insertInto("users")
      .values({
        organization_id: ctx.organizationId,
        email,
        name: input.name.trim(),
        role: input.role,
        status: "invited",
        invite_token_hash: sha256Hex(token),
        invite_expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000),
        invited_by: actor.userId,
        access_expires_at: accessExpiresAt,
        // Millisecond precision, as JavaScript dates carry, keeps list cursors exact.
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Auditors are outside the organization: no person record, no policies to acknowledge.
    if (created.role !== "auditor") {
      await linkPersonToUser(tx, {
        organizationId: ctx.organizationId,
        userId: created.id,
        name: created.name,
        email,
      });
    }
    await audit({
      action: "user.invited",
      targetType: "user",
      targetId: created.id,
      after: snapshot(created),
    });
    return created;
  });
  return { user: presentUser(user), inviteToken: token };
}

export interface UserChanges {
  name?: string | undefined;
  role?: Role | undefined;
  accessExpiresAt?: Date | null | undefined;
}

export async function updateUser(ctx: Context, id: string, changes: UserChanges) {
  const actor = actorRole(ctx.actor);
  return applyChange(ctx, null, async ({ tx, audit }) => {
    await lockUserChanges(tx, ctx.organizationId);
    const before = await findUser(tx, id);
    const roleChanges = changes.role !== undefined && changes.role !== before.role;
    assertMayChange(actor, before, roleChanges ? "role" : "details");
    const role = changes.role ?? before.role;
    if (roleChanges) {
      assertMayAssignRole(actor.role, role);
      if (before.role === "owner" && before.status === "active") {
        assertKeepsAnOwner((await countActiveOwners(tx)) - 1);
      }
    }
    const accessExpiresAt = checkAccessExpiry(
      role,
      changes.accessExpiresAt === undefined ? before.access_expires_at : changes.accessExpiresAt,
    );
    const after = await tx
      .updateTable("users")
      .set({
        name: changes.name?.trim() ?? before.name,
        role,
        access_expires_at: accessExpiresAt,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: roleChanges ? "user.role_changed" : "user.updated",
      targetType: "user",
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return presentUser(after);
  });
}

export async function deactivateUser(ctx: Context, id: string) {
  const actor = actorRole(ctx.actor);
  return applyChange(ctx, null, async (scope) => {
    await lockUserChanges(scope.tx, ctx.organizationId);
    const before = await findUser(scope.tx, id);
    assertMayChange(actor, before, "deactivate");
    return presentUser(await deactivate(scope, before));
  });
}

/**
 * Deactivates an account inside the caller's change, as an organization-level actor (SCIM
 * provisioning ending someone's employment): no role rule applies, but the last active owner
 * is kept. Answers whether the account was active before.
 */
export async function deactivateUserIn(
  ctx: Context,
  scope: ChangeScope,
  id: string,
): Promise<boolean> {
  await lockUserChanges(scope.tx, ctx.organizationId);
  const before = await findUser(scope.tx, id);
  if (before.status === "deactivated") return false;
  await deactivate(scope, before);
  return true;
}

async function deactivate({ tx, audit }: ChangeScope, before: User): Promise<User> {
  if (before.status === "deactivated") return before;
  if (before.role === "owner" && before.status === "active") {
    assertKeepsAnOwner((await countActiveOwners(tx)) - 1);
  }
  const now = new Date();
  const after = await tx
    .updateTable("users")
    .set({
      status: "deactivated",
      deactivated_at: now,
      invite_token_hash: null,
      updated_at: now,
    })
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await revokeUserSessions(tx, before.id);
  await revokeUserTokens(tx, before.id);
  await audit({
    action: "user.deactivated",
    targetType: "user",
    targetId: before.id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}

/** What the invitation page shows before the invitee sets a password. */
export async function getInvitation(db: Kysely<Database>, token: string) {
  const row = await withSystem(db, (tx) => findOpenInvitation(tx, token));
  return {
    email: row.email,
    name: row.name,
    role: row.role,
    organizationName: row.organization_name,
  };
}

/** Activates an invited account with its first password. Returns the user, signed in later. */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: { token: string; name: string; password: string; requestId: string },
  afterActivation: (tx: Tx, user: User) => Promise<void>,
) {
  const invitation = await withSystem(db, (tx) => findOpenInvitation(tx, input.token));
  assertStrongPassword("password", input.password, {
    email: invitation.email,
    name: input.name,
    organizationName: invitation.organization_name,
  });
  const passwordHash = await hashPassword(input.password);
  // The invitee acts as the account they are activating.
  const ctx: Context = {
    db,
    organizationId: invitation.organization_id,
    actor: { type: "user", userId: invitation.id, name: input.name.trim(), role: invitation.role },
    requestId: input.requestId,
  };
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const user = await tx
      .updateTable("users")
      .set({
        name: input.name.trim(),
        password_hash: passwordHash,
        status: "active",
        invite_token_hash: null,
        invite_expires_at: null,
        updated_at: new Date(),
      })
      .where("id", "=", invitation.id)
      .where("status", "=", "invited")
      .returningAll()
      .executeTakeFirst();
    if (!user) throw errors.notFound("Invitation");
    await audit({
      action: "user.invitation_accepted",
      targetType: "user",
      targetId: user.id,
      before: { status: "invited" },
      after: { status: "active", name: user.name },
    });
    await afterActivation(tx, user);
    return user;
  });
}

async function findOpenInvitation(tx: Tx, token: string) {
  const row = await tx
    .selectFrom("users as u")
    .innerJoin(organizationRows(tx).as("o"), "o.id", "u.organization_id")
    .select([
      "u.id",
      "u.organization_id",
      "u.email",
      "u.name",
      "u.role",
      "u.invite_expires_at",
      "o.name as organization_name",
    ])
    .where("u.invite_token_hash", "=", sha256Hex(token))
    .where("u.status", "=", "invited")
    .executeTakeFirst();
  if (!row?.invite_expires_at || row.invite_expires_at <= new Date()) {
    throw errors.notFound("Invitation (it may have expired or been used)");
  }
  return row;
}

export async function findUser(tx: Tx, id: string): Promise<User> {
  const user = await tx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  if (!user) throw errors.notFound("User");
  return user;
}

/**
 * Serialises role changes and deactivations within one organization, taken before the target
 * is read: two owners demoting or deactivating each other at once must not both count two
 * active owners and leave none.
 */
export async function lockUserChanges(tx: Tx, organizationId: string) {
  const key = `attest.users:${organizationId}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}

async function countActiveOwners(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("role", "=", "owner")
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function checkAccessExpiry(role: Role, accessExpiresAt: Date | null): Date | null {
  if (requiresAccessExpiry(role) && !accessExpiresAt) {
    throw errors.validation(
      "accessExpiresAt",
      "is required for auditors, whose access is time-boxed",
    );
  }
  if (accessExpiresAt && accessExpiresAt <= new Date()) {
    throw errors.validation("accessExpiresAt", "must be in the future");
  }
  return accessExpiresAt;
}

/** Emails are unique across the installation: one account per person. */
async function assertEmailFree(db: Kysely<Database>, email: string) {
  const taken = await withSystem(db, (tx) =>
    tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst(),
  );
  if (taken) throw errors.conflict("A user with this email already exists.", "email");
}
