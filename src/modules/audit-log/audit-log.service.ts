import { type Kysely, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { AuditEventRow, Database } from "../../db/types.ts";
import {
  type ChainBreak,
  type ChainedEvent,
  checkLink,
  GENESIS_HASH,
  hashEvent,
} from "../../domain/hash-chain.ts";
import { type Actor, actorUserId } from "../../platform/context.ts";
import { allOrganizations } from "../organizations/organizations.queries.ts";

export interface AuditEventInput {
  organizationId: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
}

/** A stored event's chained fields under the chain's names, with its hash. */
export function chainFields(row: AuditEventRow): ChainedEvent & { hash: string } {
  return {
    organizationId: row.organization_id,
    seq: row.seq,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.request_id,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends one event to the organization's hash chain, inside the caller's transaction, so the
 * event exists exactly when the change it describes does. A transaction-scoped advisory lock
 * serialises appends per organization; the unique (organization_id, seq) index backs it up.
 */
export function recordAuditEvent(tx: Tx, input: AuditEventInput): Promise<void> {
  return recordAuditEvents(tx, [input]);
}

/**
 * Appends events of one organization to its chain in the caller's transaction (an import
 * audits every person it changes): one lock, one read of the chain's end, batched inserts.
 */
export async function recordAuditEvents(tx: Tx, inputs: AuditEventInput[]): Promise<void> {
  const [first] = inputs;
  if (!first) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${first.organizationId}, 0))`.execute(tx);
  const last = await tx
    .selectFrom("audit_events")
    .select(["seq", "hash"])
    .where("organization_id", "=", first.organizationId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const createdAt = new Date();
  for (let done = 0; done < inputs.length; done += 1000) {
    const rows = inputs.slice(done, done + 1000).map((input) => {
      const event: ChainedEvent = {
        organizationId: first.organizationId,
        seq: ++seq,
        actorType: input.actor.type,
        actorId: actorUserId(input.actor),
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId,
        before: roundTrip(input.before),
        after: roundTrip(input.after),
        requestId: input.requestId,
        createdAt,
        prevHash,
      };
      prevHash = hashEvent(event);
      return {
        organization_id: event.organizationId,
        seq: event.seq,
        actor_type: event.actorType,
        actor_id: event.actorId,
        actor_name: "name" in input.actor ? input.actor.name : null,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        before: event.before === null ? null : JSON.stringify(event.before),
        after: event.after === null ? null : JSON.stringify(event.after),
        request_id: event.requestId,
        created_at: createdAt,
        prev_hash: event.prevHash,
        hash: prevHash,
      };
    });
    await tx.insertInto("audit_events").values(rows).execute();
  }
}

/** Records an event in its own transaction (for events with no other change, like a login). */
export function recordStandaloneEvent(db: Kysely<Database>, input: AuditEventInput) {
  return withTenant(db, input.organizationId, (tx) => recordAuditEvent(tx, input));
}

export interface ChainVerification {
  organizationId: string;
  organizationName: string;
  eventsChecked: number;
  firstBreak: (ChainBreak & { eventId: string | null }) | null;
}

const VERIFY_PAGE = 2000;

/** Walks every organization's chain in sequence order and reports the first broken link. */
export async function verifyAuditChains(db: Kysely<Database>): Promise<ChainVerification[]> {
  const organizations = await allOrganizations(db);
  const results: ChainVerification[] = [];
  for (const org of organizations) {
    results.push(await verifyOrganizationChain(db, org.id, org.name));
  }
  return results;
}

async function verifyOrganizationChain(
  db: Kysely<Database>,
  organizationId: string,
  organizationName: string,
): Promise<ChainVerification> {
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    const afterSeq: number = previous?.seq ?? 0;
    const page: AuditEventRow[] = await withSystem(db, (tx) =>
      tx
        .selectFrom("audit_events")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("seq", ">", afterSeq)
        .orderBy("seq")
        .limit(VERIFY_PAGE)
        .execute(),
    );
    for (const row of page) {
      const broken = checkLink(previous, chainFields(row));
      if (broken) {
        return {
          organizationId,
          organizationName,
          eventsChecked: checked,
          firstBreak: { ...broken, eventId: row.id },
        };
      }
      previous = { seq: row.seq, hash: row.hash };
      checked++;
    }
    if (page.length < VERIFY_PAGE) break;
  }
  return { organizationId, organizationName, eventsChecked: checked, firstBreak: null };
}

/** A snapshot as an event stores it: its JSON, read back (null for none). */
export function roundTrip(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.parse(JSON.stringify(value));
}
