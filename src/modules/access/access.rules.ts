import type { Tx } from "../../db/tenant.ts";
import { can } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { personOfUser } from "../people/people.queries.ts";
import { systemOwner } from "../systems/systems.queries.ts";

/**
 * Who may change access on a system beyond the role table: the organization's owners and
 * admins (access.manage) on every system, and the person who owns a system on that system,
 * whatever their role.
 */
export async function mayActOnSystem(ctx: Context, tx: Tx, systemId: string): Promise<boolean> {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") return false;
  if (can(actor.role, "access.manage")) return true;
  const system = await systemOwner(tx, systemId);
  if (!system?.ownerId) return false;
  const person = await personOfUser(tx, actor.userId);
  return person?.id === system.ownerId;
}

/** Throws forbidden unless the actor may act on the system (see mayActOnSystem). */
export async function assertMayActOnSystem(ctx: Context, tx: Tx, systemId: string) {
  if (!(await mayActOnSystem(ctx, tx, systemId))) {
    throw errors.forbidden(
      "Only the system's owner or an organization owner or admin may do this.",
    );
  }
}

/** The person (id) of the acting user, if their account is linked to one. */
export async function actorPersonId(ctx: Context, tx: Tx): Promise<string | null> {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") return null;
  return (await personOfUser(tx, actor.userId))?.id ?? null;
}

/**
 * Who the caller acts as on systems, for answers that say per row whether they may act:
 * everywhere (access.manage), or on the systems whose owner is `personId`.
 */
export async function actingScope(ctx: Context, tx: Tx) {
  const actor = ctx.actor;
  const everywhere =
    (actor.type === "user" || actor.type === "token") && can(actor.role, "access.manage");
  const personId = everywhere ? null : await actorPersonId(ctx, tx);
  return {
    mayActOn: (systemOwnerId: string | null) =>
      everywhere || (personId !== null && systemOwnerId === personId),
  };
}
