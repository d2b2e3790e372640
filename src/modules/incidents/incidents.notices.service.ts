import type { Tx } from "../../db/tenant.ts";
import { addEntry } from "./incidents.core.ts";

/**
 * What the notices area tells the incidents area: a notice about an incident was published
 * (or a published notice was linked to one), which goes on the incident's timeline. The
 * notices service calls it in its own transaction.
 */
export async function recordNoticeOnIncident(
  tx: Tx,
  organizationId: string,
  notice: { id: string; title: string; incidentId: string; authorId: string | null },
): Promise<void> {
  await addEntry(tx, organizationId, {
    incidentId: notice.incidentId,
    kind: "notice",
    body: notice.title,
    noticeId: notice.id,
    authorId: notice.authorId,
  });
}
