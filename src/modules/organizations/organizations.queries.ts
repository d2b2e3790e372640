// Read functions of the organizations area for other areas: which organizations, their settings.
import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { resolveSettings, type Settings } from "../../domain/settings.ts";

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

/** The transaction's organization's settings (periods and SLAs), defaults filled in. */
export async function currentOrganizationSettings(tx: Tx): Promise<Settings> {
  const row = await tx.selectFrom("organizations").select("settings").executeTakeFirstOrThrow();
  return resolveSettings(row.settings);
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
