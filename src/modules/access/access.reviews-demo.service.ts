import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";

/**
 * For `attest demo`: an access review's "revoke" decisions carried out on the day the story
 * says, as the access area records such work — the grant (or account) taken away and the
 * revocation task that asked for it, opened at the decision and completed then. Answers the
 * task id of each grant or account.
 */
export interface DemoRevocation {
  grantId: string | null;
  accountId: string | null;
  systemId: string;
  personId: string | null;
  assigneeId: string | null;
  decidedAt: Date;
  doneAt: Date;
  doneBy: string | null;
  revocationDays: number;
}

export async function carryOutDemoRevocations(
  tx: Tx,
  organizationId: string,
  revocations: readonly DemoRevocation[],
): Promise<Map<string, string>> {
  const tasks = new Map<string, string>();
  for (const r of revocations) {
    if (r.grantId) {
      await tx
        .updateTable("access_grants")
        .set({ revoked_at: r.doneAt, revoked_by: r.doneBy, revoke_reason: "access review" })
        .where("id", "=", r.grantId)
        .where("revoked_at", "is", null)
        .execute();
    } else if (r.accountId) {
      await tx
        .updateTable("accounts")
        .set({ removed_at: r.doneAt, removed_by: r.doneBy })
        .where("id", "=", r.accountId)
        .where("removed_at", "is", null)
        .execute();
    }
    const id = randomUUID();
    await tx
      .insertInto("access_tasks")
      .values({
        id,
        organization_id: organizationId,
        kind: "revoke",
        reason: "review",
        system_id: r.systemId,
        person_id: r.personId,
        grant_id: r.grantId,
        account_id: r.accountId,
        assignee_id: r.assigneeId,
        due_at: addDays(r.decidedAt, r.revocationDays),
        created_at: r.decidedAt,
        completed_at: r.doneAt,
        completed_by: r.doneBy,
      })
      .execute();
    tasks.set((r.grantId ?? r.accountId) as string, id);
  }
  return tasks;
}
