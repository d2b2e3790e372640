import { sql } from "kysely";
import type { SystemRow } from "../../db/tables/systems.ts";
import type { Tx } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { activePeopleOn } from "../people/people.queries.ts";
import type { NewSystem, SystemChanges, SystemView } from "./systems.schema.ts";
import { differingFields, present, snapshot, versionedOf } from "./systems.service.ts";

/**
 * The inventory's changes: each updates the systems row and, in the same transaction, closes
 * the open system_versions row and opens the new state, with an audit event.
 */

/** The system, locked until the change commits: two changes at once take turns. */
async function lockSystem(tx: Tx, id: string): Promise<SystemRow> {
  const row = await tx
    .selectFrom("systems")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("System");
  return row;
}

/** Closes the open version of the system and opens its new state, at `at`. */
async function recordVersion(tx: Tx, ctx: Context, row: SystemRow, at: Date) {
  await tx
    .updateTable("system_versions")
    .set({ valid_to: at })
    .where("system_id", "=", row.id)
    .where("valid_to", "is", null)
    .execute();
  await tx
    .insertInto("system_versions")
    .values({
      organization_id: ctx.organizationId,
      system_id: row.id,
      valid_from: at,
      name: row.name,
      kind: row.kind,
      owner_id: row.owner_id,
      production: row.production,
      classification: row.classification,
      customer_data: row.customer_data,
      backed_up: row.backed_up,
      scanned: row.scanned,
      internet_facing: row.internet_facing,
      allowed_roles: row.allowed_roles,
      admin_roles: row.admin_roles,
      review_period_days: row.review_period_days,
      archived: row.archived_at !== null,
      changed_by: actorUserId(ctx.actor),
    })
    .execute();
}

async function checkOwner(tx: Tx, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const active = await tx
    .selectFrom(activePeopleOn(tx, isoDay(new Date())).as("p"))
    .select("p.id")
    .where("p.id", "=", ownerId)
    .executeTakeFirst();
  if (!active) throw errors.validation("ownerId", "must be an active person");
}

async function checkNameFree(tx: Tx, name: string, except?: string) {
  let query = tx
    .selectFrom("systems")
    .select("id")
    .where(sql<string>`lower(name)`, "=", name.toLowerCase())
    .where("archived_at", "is", null);
  if (except) query = query.where("id", "<>", except);
  if (await query.executeTakeFirst()) {
    throw errors.conflict("A system with this name is already listed.", "name");
  }
}

function uniqueRoles(roles: string[] | undefined): string[] | undefined {
  return roles ? [...new Set(roles)] : undefined;
}

export async function createSystem(ctx: Context, input: NewSystem): Promise<SystemView> {
  return applyChange(ctx, "systems", async (scope) => {
    const row = await insertSystem(ctx, scope, input);
    return (await present(scope.tx, [row]))[0] as SystemView;
  });
}

/** Adds a system to the inventory inside a change, with its first version and audit event. */
export async function insertSystem(
  ctx: Context,
  { tx, audit }: ChangeScope,
  input: NewSystem,
  builtin: "attest" | null = null,
): Promise<SystemRow> {
  await checkNameFree(tx, input.name);
  await checkOwner(tx, input.ownerId);
  const now = new Date();
  const row = await tx
    .insertInto("systems")
    .values({
      organization_id: ctx.organizationId,
      name: input.name,
      kind: input.kind,
      description: input.description ?? "",
      owner_id: input.ownerId ?? null,
      production: input.production ?? false,
      classification: input.classification ?? null,
      customer_data: input.customerData ?? false,
      backed_up: input.backedUp ?? false,
      scanned: input.scanned ?? false,
      internet_facing: input.internetFacing ?? false,
      allowed_roles: uniqueRoles(input.allowedRoles) ?? [],
      admin_roles: uniqueRoles(input.adminRoles) ?? [],
      review_period_days: input.reviewPeriodDays ?? null,
      builtin,
      created_by: actorUserId(ctx.actor),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordVersion(tx, ctx, row, row.created_at);
  await audit({
    action: "system.created",
    targetType: "system",
    targetId: row.id,
    after: snapshot(row),
  });
  return row;
}

/** Applies a change to a system's row and its versions, audited; nothing when nothing differs. */
async function changeSystem(
  ctx: Context,
  { tx, audit }: ChangeScope,
  before: SystemRow,
  set: Partial<SystemRow>,
  action: string,
): Promise<SystemView> {
  const candidate = { ...before, ...set };
  const differs =
    differingFields(versionedOf(before), versionedOf(candidate)).length > 0 ||
    candidate.description !== before.description;
  if (!differs) return (await present(tx, [before]))[0] as SystemView;
  const now = new Date();
  const { id: _id, organization_id: _org, created_at: _c, created_by: _b, ...values } = candidate;
  const after = await tx
    .updateTable("systems")
    .set({ ...values, updated_at: now })
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordVersion(tx, ctx, after, now);
  await audit({
    action,
    targetType: "system",
    targetId: after.id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return (await present(tx, [after]))[0] as SystemView;
}

export async function updateSystem(
  ctx: Context,
  id: string,
  changes: SystemChanges,
): Promise<SystemView> {
  return applyChange(ctx, "systems", async (scope) => {
    const before = await lockSystem(scope.tx, id);
    if (changes.name !== undefined && before.archived_at === null) {
      await checkNameFree(scope.tx, changes.name, id);
    }
    if (changes.ownerId !== undefined && changes.ownerId !== before.owner_id) {
      await checkOwner(scope.tx, changes.ownerId);
    }
    const set: Partial<SystemRow> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.kind !== undefined) set.kind = changes.kind;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.ownerId !== undefined) set.owner_id = changes.ownerId;
    if (changes.production !== undefined) set.production = changes.production;
    if (changes.classification !== undefined) set.classification = changes.classification;
    if (changes.customerData !== undefined) set.customer_data = changes.customerData;
    if (changes.backedUp !== undefined) set.backed_up = changes.backedUp;
    if (changes.scanned !== undefined) set.scanned = changes.scanned;
    if (changes.internetFacing !== undefined) set.internet_facing = changes.internetFacing;
    if (changes.allowedRoles !== undefined) set.allowed_roles = [...new Set(changes.allowedRoles)];
    if (changes.adminRoles !== undefined) set.admin_roles = [...new Set(changes.adminRoles)];
    if (changes.reviewPeriodDays !== undefined) set.review_period_days = changes.reviewPeriodDays;
    return changeSystem(ctx, scope, before, set, "system.updated");
  });
}

export async function archiveSystem(ctx: Context, id: string): Promise<SystemView> {
  return applyChange(ctx, "systems", async (scope) => {
    const before = await lockSystem(scope.tx, id);
    if (before.archived_at) throw errors.invalidState("This system is archived already.");
    const set = { archived_at: new Date(), archived_by: actorUserId(ctx.actor) };
    return changeSystem(ctx, scope, before, set, "system.archived");
  });
}

export async function restoreSystem(ctx: Context, id: string): Promise<SystemView> {
  return applyChange(ctx, "systems", async (scope) => {
    const before = await lockSystem(scope.tx, id);
    if (!before.archived_at) throw errors.invalidState("This system is not archived.");
    await checkNameFree(scope.tx, before.name, id);
    return changeSystem(
      ctx,
      scope,
      before,
      { archived_at: null, archived_by: null },
      "system.restored",
    );
  });
}

const HAS_HISTORY = "This system has history: archive it instead.";
const BUILTIN = "This system stands for Attest itself and cannot be deleted: archive it instead.";
const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Deletes a system entered by mistake: only while it has its first version alone and nothing
 * refers to it (grants, accounts, rules, requests, tasks: the foreign keys refuse it).
 */
export async function deleteSystem(ctx: Context, id: string): Promise<void> {
  try {
    await applyChange(ctx, "systems", async ({ tx, audit }) => {
      const row = await lockSystem(tx, id);
      if (row.builtin) throw errors.conflict(BUILTIN);
      const { count } = await tx
        .selectFrom("system_versions")
        .select((eb) => eb.fn.countAll<string>().as("count"))
        .where("system_id", "=", id)
        .executeTakeFirstOrThrow();
      if (Number(count) > 1) throw errors.conflict(HAS_HISTORY);
      await audit({
        action: "system.deleted",
        targetType: "system",
        targetId: id,
        before: snapshot(row),
      });
      await tx.deleteFrom("systems").where("id", "=", id).execute();
    });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === FOREIGN_KEY_VIOLATION) {
      throw errors.conflict(HAS_HISTORY);
    }
    throw error;
  }
}
