import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import type { Org } from "../factories.ts";

/**
 * A system put straight into the inventory by SQL (with its open version, as the systems area
 * keeps it), for tests of the access import that do not need the systems routes: production,
 * confidential, holding customer data, in the inventory since 30 days ago.
 */
export async function inventorySystem(
  org: Org,
  overrides: { name?: string } = {},
): Promise<{ id: string; name: string }> {
  const name = overrides.name ?? `System ${randomUUID().slice(0, 8)} of ${org.name}`;
  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await sql<{ id: string }>`
      INSERT INTO systems (organization_id, name, kind, production, classification, customer_data)
      VALUES (${org.id}, ${name}, 'saas', true, 'confidential', true) RETURNING id`.execute(tx);
    const systemId = row.rows[0]?.id as string;
    await sql`
      INSERT INTO system_versions (organization_id, system_id, valid_from, name, kind, production,
        classification, customer_data, backed_up, scanned, internet_facing, allowed_roles, admin_roles)
      VALUES (${org.id}, ${systemId}, now() - interval '30 days', ${name}, 'saas', true,
        'confidential', true, false, false, false, '{}', '{}')`.execute(tx);
    return systemId;
  });
  return { id, name };
}

/** Imports a user export (CSV text) into a system, as the owner; answers the result. */
export async function accessImport(org: Org, systemId: string, csv: string) {
  const reply = await org.owner.client.request(
    "POST",
    `/api/v1/systems/${systemId}/access-imports`,
    csv,
    { "content-type": "text/csv" },
  );
  if (reply.status !== 200) {
    throw new Error(`factory access import: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}
