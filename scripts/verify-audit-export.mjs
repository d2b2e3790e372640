#!/usr/bin/env node
// Verifies an Attest audit trail export in JSON lines (GET /api/v1/audit-events/export.jsonl),
// outside Attest: plain Node (18+), no dependencies, nothing imported from Attest.
//
//   node scripts/verify-audit-export.mjs [--complete] [--head <hash>] <file.jsonl | ->
//
// Each line is one event. Its hash is SHA-256 (hex) of the canonical JSON of these twelve
// fields: organizationId, seq, actorType, actorId, action, targetType, targetId, before, after,
// requestId, createdAt, prevHash. Canonical JSON: object keys sorted by UTF-16 code units at
// every depth, no whitespace, strings and numbers as JSON.stringify writes them, null for a
// missing value. Every line's hash is recomputed; where two lines are consecutive events
// (seq n and n+1), the second's prevHash must be the first's hash.
//
// --complete: the file is an unfiltered export, so the chain must run from seq 1 (prevHash of
//             64 zeros) without a gap: a removed, added or reordered line fails.
// --head:     the hash of the newest event, recorded independently (for instance when the
//             export was taken); the last line must carry it, which catches removed last lines.
//
// Prints "ok …" and exits 0, or prints what is wrong (line and seq) and exits 1.
import { createHash } from "node:crypto";
import fs from "node:fs";
import readline from "node:readline";

const GENESIS = "0".repeat(64);

function canonical(value) {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value);
}

function eventHash(event) {
  const payload = canonical({
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
    createdAt: event.createdAt,
    prevHash: event.prevHash,
  });
  return createHash("sha256").update(payload).digest("hex");
}

function parseArgs(argv) {
  const options = { complete: false, head: null, file: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--complete") options.complete = true;
    else if (arg === "--head") options.head = argv[++i] ?? "";
    else if (arg === "--help" || arg === "-h") options.help = true;
    else options.file = arg;
  }
  return options;
}

async function verify(options) {
  const input = options.file === "-" ? process.stdin : fs.createReadStream(options.file);
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const problems = [];
  let previous = null;
  let count = 0;
  let gaps = 0;
  let lineNumber = 0;
  let organizationId = null;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      problems.push(`line ${lineNumber}: not JSON`);
      break;
    }
    const where = `line ${lineNumber} (seq ${event.seq})`;
    if (!Number.isInteger(event.seq) || event.seq < 1) {
      problems.push(`${where}: no valid seq`);
      break;
    }
    if (organizationId === null) organizationId = event.organizationId;
    else if (event.organizationId !== organizationId) {
      problems.push(`${where}: belongs to another organization`);
    }
    if (eventHash(event) !== event.hash) {
      problems.push(`${where}: altered (its content does not match its hash)`);
    }
    if (previous === null) {
      if (options.complete && event.seq !== 1) {
        problems.push(`${where}: the chain should start at seq 1`);
      }
      if (event.seq === 1 && event.prevHash !== GENESIS) {
        problems.push(`${where}: the first event should follow the genesis hash`);
      }
    } else if (event.seq <= previous.seq) {
      problems.push(`${where}: out of order after seq ${previous.seq}`);
    } else if (event.seq === previous.seq + 1) {
      if (event.prevHash !== previous.hash) {
        problems.push(`${where}: does not follow seq ${previous.seq} (previous hash differs)`);
      }
    } else {
      gaps++;
      if (options.complete) {
        problems.push(`${where}: events ${previous.seq + 1}–${event.seq - 1} are missing`);
      }
    }
    if (problems.length >= 20) break;
    previous = { seq: event.seq, hash: event.hash };
    count++;
  }
  if (count === 0 && problems.length === 0) problems.push("no events in the export");
  if (options.head !== null && previous && previous.hash !== options.head) {
    problems.push(`the last event (seq ${previous.seq}) is not the recorded head ${options.head}`);
  }
  if (problems.length > 0) {
    for (const problem of problems) console.log(`FAILED  ${problem}`);
    return 1;
  }
  const scope = options.complete
    ? "a complete chain from seq 1"
    : gaps === 0
      ? "one contiguous run of the chain"
      : `a filtered export: ${gaps} gap(s) between exported events, each event checked on its own`;
  console.log(
    `ok  ${count} events verified (${scope}); last seq ${previous.seq}, hash ${previous.hash}`,
  );
  return 0;
}

const options = parseArgs(process.argv.slice(2));
if (options.help || !options.file) {
  console.log(
    "usage: node scripts/verify-audit-export.mjs [--complete] [--head <hash>] <export.jsonl | ->",
  );
  process.exit(options.help ? 0 : 2);
}
process.exit(await verify(options));
