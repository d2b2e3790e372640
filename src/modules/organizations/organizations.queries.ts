import type { Kysely } from "kysely";
import { type Tx, withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";

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
