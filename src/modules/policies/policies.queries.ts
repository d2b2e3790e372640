import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of policies and their versions: the policy's page. */
export const policiesAuditTargets = {
  policy: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("policies").select(["id", "title"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: r.title, path: `/policies/${encodeURIComponent(r.id)}` })),
  },
  policy_version: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("policy_versions as v")
          .innerJoin("policies as p", "p.id", "v.policy_id")
          .select(["v.id", "v.version", "v.policy_id", "p.title"])
          .where("v.id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: r.title,
        version: r.version,
        path: `/policies/${encodeURIComponent(r.policy_id)}`,
      })),
  },
};
