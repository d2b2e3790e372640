import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of reports (R-0001) and of the reporting channel's one page. */
export const reportingAuditTargets = {
  report: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("reports").select(["id", "number"]).where("id", "in", ids).execute()
      ).map((r) => ({
        id: r.id,
        name: `R-${String(r.number).padStart(4, "0")}`,
        path: `/reports/${encodeURIComponent(r.id)}`,
      })),
  },
  reporting_channel: { page: { name: "the reporting channel", path: "/reports" } },
};
