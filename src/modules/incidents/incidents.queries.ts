import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of incidents. */
export const incidentAuditTargets = {};

/** Whether an incident of the transaction's organization has this id (others' are hidden). */
export async function incidentExists(tx: Tx, id: string): Promise<boolean> {
  return (
    (await tx.selectFrom("incidents").select("id").where("id", "=", id).executeTakeFirst()) !==
    undefined
  );
}
