import type { AccountRow } from "../../db/tables/access.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemOwner, systemsNow } from "../systems/systems.queries.ts";
import { removeAccount } from "./access.changes.ts";
import { actingScope, assertMayActOnSystem } from "./access.rules.ts";
import type { AccountChanges, AccountsQuery, NewAccount } from "./access.schema.ts";

/**
 * Accounts on systems. Each is one person's (linked), a service account owned by a person
 * (person_id is then the owner), or unlinked until someone decides. A person-account link is
 * never shared: the schema gives an account one person, and an account known to be used by
 * several people (`shared`) is recorded as what it is — linked to nobody — so accounts-unique
 * fails on it until it is removed or registered as a service account with one owner (which
 * clears `shared`). Marking a linked personal account shared is refused; unlink it first.
 */

type AccountCursor = { username: string; id: string };

function accountRows(tx: Tx) {
  return tx
    .selectFrom("accounts as a")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "a.system_id")
    .leftJoin(peopleAsOf(tx, new Date()).as("p"), "p.id", "a.person_id")
    .select([
      "a.id",
      "a.system_id",
      "s.name as system_name",
      "s.owner_id as system_owner_id",
      "a.username",
      "a.email",
      "a.person_id",
      "p.name as person_name",
      "p.number as person_number",
      "a.service",
      "a.shared",
      "a.linked_at",
      "a.last_login_at",
      "a.created_at",
      "a.removed_at",
    ]);
}

type AccountRowView = Awaited<
  ReturnType<ReturnType<typeof accountRows>["executeTakeFirstOrThrow"]>
>;

function statusOf(row: Pick<AccountRow, "removed_at" | "shared" | "service" | "person_id">) {
  if (row.removed_at) return "removed" as const;
  if (row.shared) return "shared" as const;
  if (row.service) return "service" as const;
  return row.person_id ? ("linked" as const) : ("unlinked" as const);
}

type Scope = Awaited<ReturnType<typeof actingScope>>;

function present(row: AccountRowView, scope: Scope) {
  return {
    id: row.id,
    system: { id: row.system_id, name: row.system_name },
    username: row.username,
    email: row.email,
    person:
      row.person_id && row.person_name !== null && row.person_number !== null
        ? {
            id: row.person_id,
            name: row.person_name,
            reference: personReference(row.person_number),
          }
        : null,
    status: statusOf(row),
    service: row.service,
    shared: row.shared,
    linkedAt: row.linked_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    mayAct: scope.mayActOn(row.system_owner_id),
  };
}

export type AccountView = ReturnType<typeof present>;

export async function listAccounts(ctx: Context, query: AccountsQuery, after?: AccountCursor) {
  const { rows, scope } = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let q = accountRows(tx);
    if (query.systemId) q = q.where("a.system_id", "=", query.systemId);
    if (query.personId) q = q.where("a.person_id", "=", query.personId);
    if (query.status === "removed") q = q.where("a.removed_at", "is not", null);
    else if (query.status) {
      q = q.where("a.removed_at", "is", null);
      if (query.status === "shared") q = q.where("a.shared", "=", true);
      else {
        q = q.where("a.shared", "=", false);
        if (query.status === "service") q = q.where("a.service", "=", true);
        else {
          q = q.where("a.service", "=", false);
          q = q.where("a.person_id", query.status === "linked" ? "is not" : "is", null);
        }
      }
    }
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb("a.username", ">", after.username),
          eb.and([eb("a.username", "=", after.username), eb("a.id", ">", after.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy("a.username")
      .orderBy("a.id")
      .limit(query.limit + 1)
      .execute();
    return { rows, scope: await actingScope(ctx, tx) };
  });
  const items = rows.slice(0, query.limit).map((row) => present(row, scope));
  const last = rows.length > query.limit ? items.at(-1) : undefined;
  return { items, next: last ? { username: last.username, id: last.id } : null };
}

async function findAccount(ctx: Context, tx: Tx, id: string) {
  const row = await accountRows(tx).where("a.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Account");
  return present(row, await actingScope(ctx, tx));
}

export function getAccount(ctx: Context, id: string): Promise<AccountView> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => findAccount(ctx, tx, id));
}

async function assertPerson(tx: Tx, id: string, field: string) {
  const found = await peopleAsOf(tx, new Date()).where("people.id", "=", id).executeTakeFirst();
  if (!found) throw errors.validation(field, "names no person of this organization");
  return found;
}

interface Link {
  personId: string | null;
  service: boolean;
  shared: boolean;
}

/** The account's person, service and shared flags once the request's fields apply. */
async function resolveLink(tx: Tx, link: Link, fields: { person: string; owner: string }) {
  if (link.shared && link.personId !== null) {
    throw errors.validation(
      link.service ? fields.owner : "shared",
      "a shared account links to nobody: a person-account link is never shared (unlink it, or register it as a service account with one owner)",
    );
  }
  if (link.service && link.personId === null) {
    throw errors.validation(fields.owner, "a service account needs an owning person");
  }
  if (link.personId) {
    const person = await assertPerson(
      tx,
      link.personId,
      link.service ? fields.owner : fields.person,
    );
    if (link.service && !person.active) {
      throw errors.validation(fields.owner, "the owner of a service account must be active");
    }
  }
  return link;
}

function snapshot(a: Pick<AccountRow, "person_id" | "service" | "shared" | "username">) {
  return { username: a.username, personId: a.person_id, service: a.service, shared: a.shared };
}

export async function createAccount(ctx: Context, input: NewAccount): Promise<AccountView> {
  if (input.service && input.personId && input.ownerId && input.personId !== input.ownerId) {
    throw errors.validation("personId", "a service account has one person: its owner (ownerId)");
  }
  if (!input.service && input.ownerId) {
    throw errors.validation("ownerId", "only a service account has an owner; set service");
  }
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const system = await systemOwner(tx, input.systemId);
    if (!system) throw errors.validation("systemId", "names no system of this organization");
    await assertMayActOnSystem(ctx, tx, input.systemId);
    if (system.archived) throw errors.invalidState("This system is archived.");
    const link = await resolveLink(
      tx,
      {
        personId: (input.service ? (input.ownerId ?? input.personId) : input.personId) ?? null,
        service: input.service,
        shared: input.shared,
      },
      { person: "personId", owner: "ownerId" },
    );
    const username = input.username;
    const taken = await tx
      .selectFrom("accounts")
      .select("id")
      .where("system_id", "=", input.systemId)
      .where((eb) => eb(eb.fn("lower", ["username"]), "=", username.toLowerCase()))
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (taken) {
      throw errors.conflict(`${system.name} already has an account ${username}.`, "username");
    }
    const now = new Date();
    const row = await tx
      .insertInto("accounts")
      .values({
        organization_id: ctx.organizationId,
        system_id: input.systemId,
        username,
        email: input.email?.toLowerCase() ?? null,
        person_id: link.personId,
        service: link.service,
        shared: link.shared,
        linked_at: link.personId ? now : null,
        last_login_at: input.lastLoginAt ?? null,
        created_by: actorUserId(ctx.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "account.created",
      targetType: "account",
      targetId: row.id,
      after: { systemId: row.system_id, ...snapshot(row) },
    });
    return findAccount(ctx, tx, row.id);
  });
}

async function accountToChange(ctx: Context, tx: Tx, id: string) {
  const account = await tx
    .selectFrom("accounts")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!account) throw errors.notFound("Account");
  await assertMayActOnSystem(ctx, tx, account.system_id);
  if (account.removed_at) throw errors.invalidState("This account was removed.");
  return account;
}

export async function updateAccount(
  ctx: Context,
  id: string,
  changes: AccountChanges,
): Promise<AccountView> {
  return applyChange(ctx, "access", async ({ tx, audit }) => {
    const before = await accountToChange(ctx, tx, id);
    const service = changes.service ?? before.service;
    if (!service && changes.ownerId) {
      throw errors.validation("ownerId", "only a service account has an owner; set service");
    }
    let personId = changes.personId === undefined ? before.person_id : (changes.personId ?? null);
    if (service && changes.ownerId) personId = changes.ownerId;
    // Registering a service account with one owner settles a shared account.
    const shared = changes.shared ?? (service && !before.service ? false : before.shared);
    const link = await resolveLink(
      tx,
      { personId, service, shared },
      { person: "personId", owner: changes.ownerId ? "ownerId" : "personId" },
    );
    const now = new Date();
    const relinked = link.personId !== before.person_id;
    const after = await tx
      .updateTable("accounts")
      .set({
        person_id: link.personId,
        service: link.service,
        shared: link.shared,
        linked_at: link.personId ? (relinked ? now : before.linked_at) : null,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "account.updated",
      targetType: "account",
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return findAccount(ctx, tx, id);
  });
}

export async function removeAccountById(
  ctx: Context,
  id: string,
  input: { removedAt?: Date | undefined },
): Promise<AccountView> {
  const now = new Date();
  const at = input.removedAt ?? now;
  if (at > now) throw errors.validation("removedAt", "must not be in the future");
  return applyChange(ctx, "access", async (scope) => {
    const account = await accountToChange(ctx, scope.tx, id);
    if (at < account.created_at) {
      throw errors.validation("removedAt", "must not be before the account was recorded");
    }
    await removeAccount(scope, id, { at, by: actorUserId(ctx.actor) });
    return findAccount(ctx, scope.tx, id);
  });
}
