import { sql } from "kysely";
import type { SystemRow } from "../../db/tables/systems.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { activePeopleOn, peopleAsOf } from "../people/people.queries.ts";
import { userNames } from "../users/users.queries.ts";
import type {
  NewSystem,
  SystemChanges,
  SystemsListQuery,
  SystemVersionView,
  SystemView,
} from "./systems.schema.ts";

/**
 * The inventory of systems: every write changes the systems row and, in the same
 * transaction, closes the open system_versions row and opens a new one, so the checks can read
 * the inventory as it stood on any day.
 */

/** The attributes a version keeps, as the API names them. */
export const VERSIONED_FIELDS = [
  "name",
  "kind",
  "ownerId",
  "production",
  "classification",
  "customerData",
  "backedUp",
  "scanned",
  "internetFacing",
  "allowedRoles",
  "adminRoles",
  "reviewPeriodDays",
  "archived",
] as const;

type Versioned = Pick<
  SystemRow,
  | "name"
  | "kind"
  | "owner_id"
  | "production"
  | "classification"
  | "customer_data"
  | "backed_up"
  | "scanned"
  | "internet_facing"
  | "allowed_roles"
  | "admin_roles"
  | "review_period_days"
> & { archived: boolean };

function apiAttributes(row: Versioned) {
  return {
    name: row.name,
    kind: row.kind,
    ownerId: row.owner_id,
    production: row.production,
    classification: row.classification,
    customerData: row.customer_data,
    backedUp: row.backed_up,
    scanned: row.scanned,
    internetFacing: row.internet_facing,
    allowedRoles: row.allowed_roles,
    adminRoles: row.admin_roles,
    reviewPeriodDays: row.review_period_days,
    archived: row.archived,
  };
}

/** The fields (API names) in which two states of a system differ. */
export function differingFields(before: Versioned, after: Versioned): string[] {
  const a = apiAttributes(before);
  const b = apiAttributes(after);
  return VERSIONED_FIELDS.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

function snapshot(row: SystemRow) {
  return { ...apiAttributes(versionedOf(row)), description: row.description };
}

function versionedOf(row: SystemRow): Versioned {
  return { ...row, archived: row.archived_at !== null };
}

/** The owners' names and whether they are active today, joined set-based. */
function ownersNow(tx: Tx) {
  return peopleAsOf(tx, new Date()).as("owner");
}

async function present(tx: Tx, rows: SystemRow[]): Promise<SystemView[]> {
  const ownerIds = [...new Set(rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])))];
  const owners =
    ownerIds.length === 0
      ? []
      : await tx
          .selectFrom(ownersNow(tx))
          .select(["owner.id", "owner.name", "owner.active"])
          .where("owner.id", "in", ownerIds)
          .execute();
  const byId = new Map(owners.map((o) => [o.id, o]));
  return rows.map((row) => {
    const owner = row.owner_id ? byId.get(row.owner_id) : undefined;
    return {
      id: row.id,
      ...apiAttributes(versionedOf(row)),
      description: row.description,
      ownerName: owner?.name ?? null,
      ownerActive: Boolean(owner?.active),
      archived: row.archived_at !== null,
      archivedAt: row.archived_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

export async function findSystem(tx: Tx, id: string): Promise<SystemRow> {
  const row = await tx.selectFrom("systems").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("System");
  return row;
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function listSystems(
  ctx: Context,
  filter: Omit<SystemsListQuery, "cursor"> & { after?: { name: string; id: string } | undefined },
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx.selectFrom("systems").selectAll();
    query = filter.archived
      ? query.where("archived_at", "is not", null)
      : query.where("archived_at", "is", null);
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where("name", "ilike", pattern);
    }
    if (filter.kind) query = query.where("kind", "=", filter.kind);
    if (filter.production !== undefined) query = query.where("production", "=", filter.production);
    if (filter.customerData !== undefined) {
      query = query.where("customer_data", "=", filter.customerData);
    }
    if (filter.classification === "none") query = query.where("classification", "is", null);
    else if (filter.classification) {
      query = query.where("classification", "=", filter.classification);
    }
    if (filter.ownerId) query = query.where("owner_id", "=", filter.ownerId);
    if (filter.after) {
      const { name, id } = filter.after;
      query = query.where((eb) =>
        eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]),
      );
    }
    const rows = await query
      .orderBy("name")
      .orderBy("id")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit);
    const last = rows.length > filter.limit ? items.at(-1) : undefined;
    return {
      items: await present(tx, items),
      next: last ? { name: last.name, id: last.id } : null,
    };
  });
}

export async function getSystem(ctx: Context, id: string): Promise<SystemView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const [view] = await present(tx, [await findSystem(tx, id)]);
    return view as SystemView;
  });
}

/** Every version of a system, newest first, with who made it and what it changed. */
export async function systemHistory(ctx: Context, id: string): Promise<SystemVersionView[]> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findSystem(tx, id);
    const versions = await tx
      .selectFrom("system_versions as v")
      .leftJoin(ownersNow(tx), "owner.id", "v.owner_id")
      .selectAll("v")
      .select("owner.name as owner_name")
      .where("v.system_id", "=", id)
      .orderBy("v.valid_from")
      .orderBy("v.id")
      .execute();
    const names = await userNames(
      tx,
      versions.flatMap((v) => (v.changed_by ? [v.changed_by] : [])),
    );
    const views = versions.map((v, i) => {
      const before = versions[i - 1];
      return {
        id: v.id,
        validFrom: v.valid_from,
        validTo: v.valid_to,
        ...apiAttributes(v),
        ownerName: v.owner_name ?? null,
        changedBy: v.changed_by,
        changedByName: v.changed_by ? (names.get(v.changed_by) ?? null) : null,
        changedFields: before ? differingFields(before, v) : [],
      };
    });
    return views.reverse();
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

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
  return applyChange(ctx, "systems", async ({ tx, audit }) => {
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
    return (await present(tx, [row]))[0] as SystemView;
  });
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
    const before = await findSystem(scope.tx, id);
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
    const before = await findSystem(scope.tx, id);
    if (before.archived_at) throw errors.invalidState("This system is archived already.");
    const set = { archived_at: new Date(), archived_by: actorUserId(ctx.actor) };
    return changeSystem(ctx, scope, before, set, "system.archived");
  });
}

export async function restoreSystem(ctx: Context, id: string): Promise<SystemView> {
  return applyChange(ctx, "systems", async (scope) => {
    const before = await findSystem(scope.tx, id);
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
const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Deletes a system entered by mistake: only while it has its first version alone and nothing
 * refers to it (grants, accounts, rules, requests, tasks: the foreign keys refuse it).
 */
export async function deleteSystem(ctx: Context, id: string): Promise<void> {
  try {
    await applyChange(ctx, "systems", async ({ tx, audit }) => {
      const row = await findSystem(tx, id);
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
