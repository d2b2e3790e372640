import { type Kysely, type QueryCreator, type RawBuilder, sql } from "kysely";
import { type Tx, withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { resolveSettings, type Settings } from "../../domain/settings.ts";
// Read functions of the organizations area for other areas: which organizations, their settings.

/** The organization's settings, defaults filled in. */
export async function organizationSettings(tx: Tx, organizationId: string): Promise<Settings> {
  const row = await tx
    .selectFrom("organizations")
    .select("settings")
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return resolveSettings(row.settings);
}

/** The id of every organization on this installation (a system transaction reads them all). */
export async function allOrganizationIds(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom("organizations").select("id").execute();
  return rows.map((r) => r.id);
}

/** Every organization the transaction sees (all, in a system transaction) with its settings. */
export async function everyOrganizationSettings(
  tx: Tx,
): Promise<{ id: string; settings: Settings }[]> {
  const rows = await tx.selectFrom("organizations").select(["id", "settings"]).execute();
  return rows.map((r) => ({ id: r.id, settings: resolveSettings(r.settings) }));
}

/**
 * A scalar SQL expression that changes whenever the organization's name or row does: the
 * trust center puts it in the freshness stamp of its cached page.
 */
export function organizationStamp(): RawBuilder<string | null> {
  return sql<string | null>`(select name || '|' || updated_at::text from organizations limit 1)`;
}

/** The installation's first organization (the one setup created), across tenants. */
export async function firstOrganization(db: Kysely<Database>) {
  return withSystem(db, (tx) =>
    tx
      .selectFrom("organizations")
      .select(["id", "name"])
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst(),
  );
}

/** Every organization, oldest first, across tenants (for system tasks). */
export async function allOrganizations(db: Kysely<Database>) {
  return withSystem(db, (tx) =>
    tx.selectFrom("organizations").select(["id", "name"]).orderBy("created_at").execute(),
  );
}

/** When the organization was created. */
export async function organizationCreatedAt(tx: Tx, organizationId: string): Promise<Date> {
  const row = await tx
    .selectFrom("organizations")
    .select("created_at")
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return row.created_at;
}

/** The audit log's labels of organizations: their settings page. */
export const organizationsAuditTargets = {
  organization: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("organizations").select(["id", "name"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: r.name, path: "/settings/organization" })),
  },
};

/** The organizations as a derived table (id, name, require_mfa): join it as `o`. */
export function organizationRows(db: QueryCreator<Database>) {
  return db.selectFrom("organizations").select(["id", "name", "require_mfa"]);
}

/** The transaction's organization's name (row-level security shows only that one). */
export async function organizationName(tx: Tx): Promise<string> {
  return (await tx.selectFrom("organizations").select("name").executeTakeFirstOrThrow()).name;
}

/** The transaction's organization's settings (periods, SLAs), defaults filled in. */

/** Whether the organization requires two-factor sign-in of everyone. */
export async function organizationRequiresMfa(tx: Tx, organizationId: string): Promise<boolean> {
  const row = await tx
    .selectFrom("organizations")
    .select("require_mfa")
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return row.require_mfa;
}

/** The installation's first organization (the one setup created), if any. */

/** When the organization last changed, and its name: part of cached answers' stamps. */

/** Whether first-run setup is still to be done: no organization exists yet. */
export async function isSetupRequired(db: Kysely<Database>): Promise<boolean> {
  const any = await withSystem(db, (tx) =>
    tx.selectFrom("organizations").select("id").limit(1).executeTakeFirst(),
  );
  return !any;
}
