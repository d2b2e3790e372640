import type { SystemRow } from "../../db/tables/systems.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { userNames } from "../users/users.queries.ts";
import type { SystemsListQuery, SystemVersionView, SystemView } from "./systems.schema.ts";

/**
 * The inventory of systems as read: the list, a system and its versions (every state it was in,
 * kept by systems.changes.ts, so the checks can read the inventory as it stood on any day).
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

export function snapshot(row: SystemRow) {
  return { ...apiAttributes(versionedOf(row)), description: row.description };
}

export function versionedOf(row: SystemRow): Versioned {
  return { ...row, archived: row.archived_at !== null };
}

/** The owners' names and whether they are active today, joined set-based. */
function ownersNow(tx: Tx) {
  return peopleAsOf(tx, new Date()).as("owner");
}

export async function present(tx: Tx, rows: SystemRow[]): Promise<SystemView[]> {
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
      builtin: row.builtin !== null,
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
