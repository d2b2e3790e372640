import type { Tx } from "../../db/tenant.ts";

/** The scim area's reads that other areas use: how the audit log labels its records. */
export const scimAuditTargets = {
  scim_token: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("scim_tokens").select(["id", "name"]).where("id", "in", ids).execute()
      ).map((row) => ({ id: row.id, name: row.name, path: "/settings/scim" })),
  },
  scim_group: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("scim_groups")
          .select(["id", "display_name"])
          .where("id", "in", ids)
          .execute()
      ).map((row) => ({ id: row.id, name: row.display_name, path: "/settings/scim" })),
  },
};
