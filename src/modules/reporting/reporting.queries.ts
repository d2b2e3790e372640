import type { Tx } from "../../db/tenant.ts";
import { reference } from "./reporting.reports.ts";
// Read functions of the reporting area for other areas: what a report is called, never its text.

/** The references (R-0001…) of the given reports that exist, e.g. to name audit targets. */
export async function reportReferences(
  tx: Tx,
  ids: readonly string[],
): Promise<{ id: string; reference: string }[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom("reports")
    .select(["id", "number"])
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => ({ id: r.id, reference: reference(r.number) }));
}

/** The audit log's labels of reports (R-0001) and of the reporting channel's one page. */
export const reportingAuditTargets = {
  report: {
    find: async (tx: Tx, ids: string[]) =>
      (await reportReferences(tx, ids)).map((r) => ({
        id: r.id,
        name: r.reference,
        path: `/reports/${encodeURIComponent(r.id)}`,
      })),
  },
  reporting_channel: { page: { name: "the reporting channel", path: "/reports" } },
};
