import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of API tokens: quoted names, no page. */
export const authAuditTargets = {
  api_token: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("api_tokens").select(["id", "name"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: `“${r.name}”`, path: null })),
  },
};
