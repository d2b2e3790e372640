import type { Insertable, Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { AuditEventsTable, Database } from "../../db/types.ts";
import { GENESIS_HASH, hashEvent } from "../../domain/hash-chain.ts";

/** What one bulk event says, by a user; the chain fields are filled in. */
interface BulkEvent {
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

const BATCH = 2_000;

/**
 * Appends `total` events to an organization's hash chain after its last event, `event(i)`
 * making the i-th, in batches of 2,000 rows; `onBatch` hears of each batch written (counted
 * from 0). For seeding (the demo, the benchmarks) while nothing else writes to the chain: a
 * running server's changes go through recordAuditEvent, which locks the chain.
 */
export async function appendBulkEvents(
  db: Kysely<Database>,
  organizationId: string,
  total: number,
  event: (i: number) => BulkEvent,
  onBatch?: (batch: number, written: number) => void,
): Promise<void> {
  const last = await withTenant(db, organizationId, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["seq", "hash"])
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst(),
  );
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (let done = 0; done < total; done += BATCH) {
    const rows: Insertable<AuditEventsTable>[] = [];
    for (let i = done; i < Math.min(done + BATCH, total); i++) {
      seq++;
      const { actorName, ...fields } = event(i);
      const chained = {
        ...fields,
        organizationId,
        seq,
        actorType: "user",
        requestId: null,
        prevHash,
      };
      const hash = hashEvent(chained);
      rows.push({
        organization_id: organizationId,
        seq,
        actor_type: chained.actorType,
        actor_id: chained.actorId,
        actor_name: actorName,
        action: chained.action,
        target_type: chained.targetType,
        target_id: chained.targetId,
        before: chained.before === null ? null : JSON.stringify(chained.before),
        after: chained.after === null ? null : JSON.stringify(chained.after),
        request_id: null,
        created_at: chained.createdAt,
        prev_hash: prevHash,
        hash,
      });
      prevHash = hash;
    }
    await withTenant(db, organizationId, (tx) =>
      tx.insertInto("audit_events").values(rows).execute(),
    );
    onBatch?.(done / BATCH, done + rows.length);
  }
}
