import { sql } from "kysely";
import type { AccessReviewRow } from "../../db/tables/access-reviews.ts";
import type { Tx } from "../../db/tenant.ts";
import { can, type Permission } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { personOfUser } from "../people/people.queries.ts";

/**
 * Who may do what on a campaign beyond the role table: a reviewer (any role) reads the
 * campaign and their items and decides them; a system's owner also reads its items and
 * reassigns them; access.read reads everything; access.manage reassigns anything.
 */

export function actingUser(ctx: Context) {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, role: actor.role };
}

export function actorCan(ctx: Context, permission: Permission): boolean {
  const actor = ctx.actor;
  return (actor.type === "user" || actor.type === "token") && can(actor.role, permission);
}

/** The person (id) of the acting user, if their account is linked to one. */
export async function actorPerson(ctx: Context, tx: Tx): Promise<string | null> {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") return null;
  return (await personOfUser(tx, actor.userId))?.id ?? null;
}

/** A campaign's status from its dates. */
export function reviewStatus(
  row: Pick<AccessReviewRow, "cancelled_at" | "closed_at" | "completed_at">,
) {
  if (row.cancelled_at) return "cancelled" as const;
  if (row.closed_at) return "closed" as const;
  if (row.completed_at) return "completed" as const;
  return "open" as const;
}

export async function findReview(tx: Tx, id: string): Promise<AccessReviewRow> {
  const row = await tx
    .selectFrom("access_reviews")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw errors.notFound("Access review");
  return row;
}

/**
 * What the caller sees of a campaign: everything (access.read), the items of the systems
 * they own in it and the items they review ("own"), or nothing (a 404, as for another
 * organization's campaign).
 */
export async function readScope(
  ctx: Context,
  tx: Tx,
  reviewId: string,
): Promise<{ all: true } | { all: false; personId: string }> {
  if (actorCan(ctx, "access.read")) return { all: true };
  const me = await actorPerson(ctx, tx);
  if (me && (await involved(tx, reviewId, me))) return { all: false, personId: me };
  throw errors.notFound("Access review");
}

async function involved(tx: Tx, reviewId: string, personId: string): Promise<boolean> {
  const row = await tx
    .selectFrom("access_reviews as r")
    .select(
      sql<boolean>`exists (select 1 from access_review_items i where i.review_id = r.id and i.reviewer_id = ${personId})
        or exists (select 1 from access_review_systems s where s.review_id = r.id and s.owner_id = ${personId})`.as(
        "involved",
      ),
    )
    .where("r.id", "=", reviewId)
    .executeTakeFirst();
  return row?.involved === true;
}

/** The systems (ids) of the campaign whose items the person may reassign: those they own. */
export async function ownedSystems(tx: Tx, reviewId: string, personId: string | null) {
  if (!personId) return new Set<string>();
  const rows = await tx
    .selectFrom("access_review_systems")
    .select("system_id")
    .where("review_id", "=", reviewId)
    .where("owner_id", "=", personId)
    .execute();
  return new Set(rows.map((r) => r.system_id));
}
