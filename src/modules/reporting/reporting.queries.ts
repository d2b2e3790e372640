import type { Tx } from "../../db/tenant.ts";
import type { Actor } from "../../platform/context.ts";
import { assertHandler } from "./reporting.channel.ts";
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

/**
 * A report another area acts on (an incident declared from it): a 403 unless the actor is one
 * of the handlers who read reports, then its reference, or undefined when no such report is
 * the organization's. Nothing of what it says, nor who sent it.
 */
export async function handledReport(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ id: string; reference: string } | undefined> {
  await assertHandler(tx, actor);
  return (await reportReferences(tx, [id]))[0];
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
