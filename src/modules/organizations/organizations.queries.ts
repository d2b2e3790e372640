import { type Kysely, type QueryCreator, sql } from "kysely";
import { type Tx, withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { resolveSettings, type Settings } from "../../domain/settings.ts";

// Reads of the organizations table for other areas: the organizations area owns it
// (test/architecture).

/** The organizations as a derived table (id, name, require_mfa): join it as `o`. */
export function organizationRows(db: QueryCreator<Database>) {
  return db.selectFrom("organizations").select(["id", "name", "require_mfa"]);
}

/** The transaction's organization's name (row-level security shows only that one). */
export async function organizationName(tx: Tx): Promise<string> {
  return (await tx.selectFrom("organizations").select("name").executeTakeFirstOrThrow()).name;
}

/** The transaction's organization's settings (periods, SLAs), defaults filled in. */
export async function organizationSettings(tx: Tx): Promise<Settings> {
  const row = await tx.selectFrom("organizations").select("settings").executeTakeFirstOrThrow();
  return resolveSettings(row.settings);
}

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
export async function firstOrganization(tx: Tx) {
  return tx
    .selectFrom("organizations")
    .select(["id", "name"])
    .orderBy("created_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

/** When the organization last changed, and its name: part of cached answers' stamps. */
export function organizationStamp() {
  return sql<string | null>`(select name || '|' || updated_at::text from organizations limit 1)`;
}

/** Whether first-run setup is still to be done: no organization exists yet. */
export async function isSetupRequired(db: Kysely<Database>): Promise<boolean> {
  const any = await withSystem(db, (tx) =>
    tx.selectFrom("organizations").select("id").limit(1).executeTakeFirst(),
  );
  return !any;
}
