import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";
import { type ChainedEvent, checkLink, GENESIS_HASH, hashEvent } from "./hash-chain.ts";

function chain(length: number): (ChainedEvent & { hash: string })[] {
  const events: (ChainedEvent & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const event: ChainedEvent = {
      organizationId: "org",
      seq,
      actorType: "user",
      actorId: "u1",
      action: "control.updated",
      targetType: "control",
      targetId: `c${seq}`,
      before: { criteria: ["A1.2"] },
      after: { criteria: ["A1.2", "CC7.5"], n: seq },
      requestId: `r${seq}`,
      createdAt: new Date(Date.UTC(2026, 0, seq)),
      prevHash,
    };
    const hash = hashEvent(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

function firstBreak(events: (ChainedEvent & { hash: string })[]) {
  let previous: { seq: number; hash: string } | null = null;
  for (const event of events) {
    const broken = checkLink(previous, event);
    if (broken) return broken;
    previous = { seq: event.seq, hash: event.hash };
  }
  return null;
}

describe("audit hash chain", () => {
  it("should accept an untouched chain", () => {
    expect(firstBreak(chain(5))).toBeNull();
  });

  it("should name an altered event", () => {
    const events = chain(5);
    (events[2] as ChainedEvent).after = { criteria: [] };
    expect(firstBreak(events)).toEqual({ kind: "hash_mismatch", seq: 3 });
  });

  it("should name the event after a deleted one", () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(firstBreak(events)).toEqual({ kind: "sequence_gap", expectedSeq: 2, foundSeq: 3 });
  });

  it("should name an event rehashed without relinking its successor", () => {
    const events = chain(4);
    const altered = { ...(events[1] as ChainedEvent), action: "user.deleted" };
    events[1] = { ...altered, hash: hashEvent(altered) };
    expect(firstBreak(events)).toEqual({ kind: "previous_hash_mismatch", seq: 3 });
  });

  it("should not depend on key order in before/after", () => {
    const [event] = chain(1);
    if (!event) throw new Error("no event");
    const reordered = { ...event, after: { n: 1, criteria: ["A1.2", "CC7.5"] } };
    expect(hashEvent(reordered)).toBe(event.hash);
  });
});

describe("canonical JSON", () => {
  it("should sort keys at every depth and drop undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });
});
