import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of notices: their page. */
export const noticesAuditTargets = {
  notice: {
    find: async (tx: Tx, ids: string[]) =>
      (await tx.selectFrom("notices").select(["id", "title"]).where("id", "in", ids).execute()).map(
        (r) => ({ id: r.id, name: r.title, path: `/notices/${encodeURIComponent(r.id)}` }),
      ),
  },
};
