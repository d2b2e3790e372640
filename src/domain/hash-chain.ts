import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

/** The fields of an audit event that the chain protects. */
export interface ChainedEvent {
  organizationId: string;
  seq: number;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: Date;
  prevHash: string;
}

/** The hash before the first event of an organization. */
export const GENESIS_HASH = "0".repeat(64);

export function hashEvent(event: ChainedEvent): string {
  // Named field by field, so nothing else a caller's object carries (like its own hash) counts.
  const payload = canonicalJson({
    organizationId: event.organizationId,
    seq: event.seq,
    actorType: event.actorType,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before,
    after: event.after,
    requestId: event.requestId,
    createdAt: event.createdAt.toISOString(),
    prevHash: event.prevHash,
  });
  return createHash("sha256").update(payload).digest("hex");
}

export type ChainBreak =
  | { kind: "sequence_gap"; expectedSeq: number; foundSeq: number }
  | { kind: "previous_hash_mismatch"; seq: number }
  | { kind: "hash_mismatch"; seq: number };

/**
 * Checks one event against its predecessor. Events must be fed in sequence order; the first
 * event of an organization has seq 1 and prevHash GENESIS_HASH.
 */
export function checkLink(
  previous: { seq: number; hash: string } | null,
  event: ChainedEvent & { hash: string },
): ChainBreak | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (event.seq !== expectedSeq) {
    return { kind: "sequence_gap", expectedSeq, foundSeq: event.seq };
  }
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (event.prevHash !== expectedPrev) return { kind: "previous_hash_mismatch", seq: event.seq };
  if (hashEvent(event) !== event.hash) return { kind: "hash_mismatch", seq: event.seq };
  return null;
}
