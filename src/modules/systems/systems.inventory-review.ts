import type { InventoryReviewRow } from "../../db/tables/systems.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { userNames } from "../users/users.queries.ts";
import type { InventoryChanges, InventoryReviewView } from "./systems.schema.ts";
import { differingFields } from "./systems.service.ts";

/**
 * The inventory review: an owner or admin signs off the whole inventory, seeing what changed
 * since the last sign-off (from system_versions) and what is wrong with it now.
 */

async function lastSignOff(tx: Tx): Promise<Date | null> {
  const last = await tx
    .selectFrom("inventory_reviews")
    .select("signed_at")
    .orderBy("signed_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return last?.signed_at ?? null;
}

/** What changed since `since` (every system is new when null), and the problems of today. */
async function changesSince(tx: Tx, since: Date | null): Promise<InventoryChanges> {
  const current = await tx
    .selectFrom("system_versions")
    .selectAll()
    .where("valid_to", "is", null)
    .orderBy("name")
    .execute();
  const earlier = since
    ? await tx
        .selectFrom("system_versions")
        .selectAll()
        .where("valid_from", "<=", since)
        .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", since)]))
        .execute()
    : [];
  const before = new Map(earlier.map((v) => [v.system_id, v]));
  const changes: InventoryChanges = {
    since,
    systemCount: 0,
    added: [],
    changed: [],
    archived: [],
    problems: { unowned: [], unclassified: [] },
  };
  const owners = new Map(
    (
      await tx
        .selectFrom(peopleAsOf(tx, new Date()).as("p"))
        .select(["p.id", "p.active"])
        .where(
          "p.id",
          "in",
          tx.selectFrom("systems").select("owner_id").where("owner_id", "is not", null),
        )
        .execute()
    ).map((p) => [p.id, Boolean(p.active)]),
  );
  for (const now of current) {
    const ref = { id: now.system_id, name: now.name };
    const then = before.get(now.system_id);
    const wasListed = then !== undefined && !then.archived;
    if (!now.archived) {
      changes.systemCount++;
      if (!now.owner_id) changes.problems.unowned.push({ ...ref, reason: "no_owner" });
      else if (!owners.get(now.owner_id)) {
        changes.problems.unowned.push({ ...ref, reason: "owner_left" });
      }
      if (!now.classification) changes.problems.unclassified.push(ref);
    }
    if (!wasListed && !now.archived) changes.added.push(ref);
    else if (wasListed && now.archived) changes.archived.push(ref);
    else if (wasListed && then) {
      const fields = differingFields(then, now);
      if (fields.length > 0) changes.changed.push({ ...ref, fields });
    }
  }
  return changes;
}

export async function inventoryChanges(ctx: Context): Promise<InventoryChanges> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    changesSince(tx, await lastSignOff(tx)),
  );
}

async function present(tx: Tx, rows: InventoryReviewRow[]): Promise<InventoryReviewView[]> {
  const names = await userNames(
    tx,
    rows.flatMap((r) => (r.signed_by ? [r.signed_by] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    signedAt: r.signed_at,
    signedBy: r.signed_by,
    signedByName: r.signed_by ? (names.get(r.signed_by) ?? null) : null,
    comment: r.comment,
    systemCount: r.system_count,
    changes: storedChanges(r.changes),
    evidenceId: r.evidence_id,
  }));
}

function storedChanges(stored: unknown): InventoryChanges | null {
  if (!stored || typeof stored !== "object" || !("added" in stored)) return null;
  const changes = stored as InventoryChanges & { since: string | Date | null };
  return { ...changes, since: changes.since ? new Date(changes.since) : null };
}

export async function listInventoryReviews(
  ctx: Context,
  filter: { limit: number; after?: { signedAt: string; id: string } | undefined },
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx.selectFrom("inventory_reviews").selectAll();
    if (filter.after) {
      const signedAt = new Date(filter.after.signedAt);
      const { id } = filter.after;
      query = query.where((eb) =>
        eb.or([
          eb("signed_at", "<", signedAt),
          eb.and([eb("signed_at", "=", signedAt), eb("id", "<", id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy("signed_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await present(tx, items),
      next: last ? { signedAt: last.signed_at.toISOString(), id: last.id } : null,
    };
  });
}

export async function getInventoryReview(ctx: Context, id: string): Promise<InventoryReviewView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await tx
      .selectFrom("inventory_reviews")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw errors.notFound("Inventory review");
    return (await present(tx, [row]))[0] as InventoryReviewView;
  });
}

/**
 * Signs off the inventory as it stands: stores the count and what changed since the last
 * sign-off. The sign-off itself is the dated evidence inventory-reviewed reads.
 */
export async function signOffInventory(
  ctx: Context,
  input: { comment: string },
): Promise<InventoryReviewView> {
  return applyChange(ctx, "systems", async ({ tx, audit }) => {
    const changes = await changesSince(tx, await lastSignOff(tx));
    const row = await tx
      .insertInto("inventory_reviews")
      .values({
        organization_id: ctx.organizationId,
        signed_at: new Date(),
        signed_by: actorUserId(ctx.actor),
        comment: input.comment,
        system_count: changes.systemCount,
        changes: JSON.stringify(changes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "inventory.signed_off",
      targetType: "inventory_review",
      targetId: row.id,
      after: {
        comment: row.comment,
        systemCount: row.system_count,
        added: changes.added.length,
        changed: changes.changed.length,
        archived: changes.archived.length,
      },
    });
    return (await present(tx, [row]))[0] as InventoryReviewView;
  });
}
