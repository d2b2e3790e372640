import { type Kysely, sql } from "kysely";
import { withSystem, withTenant } from "../db/tenant.ts";
import type { Database } from "../db/types.ts";
import { addDays } from "../domain/dates.ts";
import type { Context } from "../platform/context.ts";
import { hashPassword } from "../platform/passwords.ts";
import type { DemoContext, DemoEvent } from "./area.ts";
import { appendBulkEvents } from "./audit-log/audit-log.bulk.ts";
import { areas } from "./index.ts";
import { createOrganizationWithOwner } from "./organizations/organizations.service.ts";

/**
 * A sample organization a year into its security program, for trying Attest (`attest demo`)
 * and for the benchmarks (`--size large`). Each area seeds its part from its manifest, in the
 * areas' order, with the dates its story says; the audit trail is the year those records
 * tell, in date order, and the control history is computed from them (`attest demo` evaluates
 * every past day). Most controls pass; a few fail or come due for reasons a user can click
 * through and fix.
 */
export const DEMO_SIZES = {
  small: { auditEvents: 2_000, historyDays: 365 },
  large: { auditEvents: 1_000_000, historyDays: 365 },
} as const;
export type DemoSize = keyof typeof DEMO_SIZES;

export interface DemoResult {
  organizationId: string;
  ownerEmail: string;
  password: string;
  counts: Record<string, number>;
}

const OWNER_NAME = "Dana Whitfield";

export async function seedDemoOrganization(
  db: Kysely<Database>,
  options: {
    size: DemoSize;
    ownerEmail?: string;
    password?: string;
    progress?: (message: string) => void;
  },
): Promise<DemoResult> {
  const size = DEMO_SIZES[options.size];
  const progress = options.progress ?? (() => {});
  const password = options.password ?? "attest demo password";
  const ownerEmail = options.ownerEmail ?? `owner-${Date.now()}@demo.attest.test`;
  const now = new Date();
  const passwordHash = await hashPassword(password);
  const { organizationId, userId } = await withSystem(db, (tx) =>
    createOrganizationWithOwner(
      tx,
      { organizationName: "Demo Co", name: OWNER_NAME, email: ownerEmail, password },
      passwordHash,
      null,
    ),
  );
  const ownerContext: Context = {
    db,
    organizationId,
    actor: { type: "user", userId, name: OWNER_NAME, role: "owner" },
    requestId: null,
  };
  const events: DemoEvent[] = [];
  const demo: DemoContext = {
    organizationId,
    owner: { userId, name: OWNER_NAME, email: ownerEmail },
    ownerContext,
    size: options.size,
    now,
    programStart: addDays(now, -400),
    people: [],
    random: seededRandom(20_261_202),
    event: (event) => events.push(event),
    counts: {},
    progress,
  };
  for (const area of areas) await area.demo?.(db, demo);

  progress(`audit events: ${Math.max(size.auditEvents, events.length)}`);
  demo.counts.auditEvents = await appendYear(db, demo, events, size.auditEvents);

  // Fresh statistics, so the planner knows these tables are no longer empty.
  await sql`analyze`.execute(db);
  return { organizationId, ownerEmail, password, counts: demo.counts };
}

/**
 * Appends the year's events in date order. Below `total`, sign-ins of the people with
 * accounts fill the rest, spread evenly over the year (the large demo's million events are
 * mostly those), merged by date with what the areas told.
 */
async function appendYear(
  db: Kysely<Database>,
  demo: DemoContext,
  told: DemoEvent[],
  total: number,
): Promise<number> {
  const events = told.filter((event) => event.at < demo.now).sort((a, b) => +a.at - +b.at);
  const signIns = Math.max(0, total - events.length);
  const active = demo.people.filter((person) => person.endDate === null);
  const start = addDays(demo.now, -365).getTime();
  const step = (365 * 86_400_000) / Math.max(signIns, 1);
  let nextTold = 0;
  let nextSignIn = 0;
  const signIn = (n: number): DemoEvent => {
    const person = active[(n * 7919) % active.length] ?? demo.people[0];
    const actor = person ? { userId: person.userId, name: person.name } : demo.owner;
    return {
      at: new Date(Math.floor(start + n * step)),
      actor,
      action: "auth.login",
      targetType: "user",
      targetId: actor.userId,
    };
  };
  const count = events.length + signIns;
  await appendBulkEvents(
    db,
    demo.organizationId,
    count,
    () => {
      const candidate = nextSignIn < signIns ? signIn(nextSignIn) : null;
      const event = events[nextTold];
      if (event && (!candidate || event.at <= candidate.at)) {
        nextTold++;
        return bulk(event);
      }
      nextSignIn++;
      return bulk(candidate as DemoEvent);
    },
    (batch, written) => {
      if (batch % 50 === 0) demo.progress(`  audit events ${written}/${count}`);
    },
  );
  await withTenant(db, demo.organizationId, (tx) => sql`analyze audit_events`.execute(tx)).catch(
    () => {},
  );
  return count;
}

function bulk(event: DemoEvent) {
  return {
    actorId: event.actor.userId,
    actorName: event.actor.name,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before ?? null,
    after: event.after ?? null,
    createdAt: event.at,
  };
}

/** Mulberry32: small, fast, and the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
