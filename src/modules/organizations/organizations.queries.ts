// Read functions of the organizations area for other areas: which organizations, their settings.
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
