import type { IncomingMessage } from "node:http";
import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import type { Config } from "../platform/config.ts";
import type { Context } from "../platform/context.ts";
import type { Deps } from "../platform/deps.ts";
import type { App } from "../platform/http/types.ts";
import type { SecretColumns } from "../platform/keyring-columns.ts";
import type { TrustSection } from "../public-site/sections.ts";
import type { AuditTargets } from "./audit-log/audit-log.targets.ts";
import type { DataSource } from "./change.ts";
import type { ControlTest } from "./monitoring/registry.ts";
import type { ScheduledJob } from "./monitoring/scheduled-tasks.ts";

/**
 * What an area adds to Attest, declared in `src/modules/<area>/<area>.module.ts` and listed
 * once in `src/modules/index.ts`. The server, the CLI, the monitoring engine, the scheduler
 * and the trust center read the list; none of them names an area. See docs/architecture.md.
 */
export interface Area {
  /** The folder's name: `src/modules/<name>/`. */
  name: string;
  /** The tables this area owns: only its own code names them (test/architecture). */
  tables: readonly (keyof Database)[];
  /**
   * The columns of its own tables holding values sealed by the master keys (secrets, wrapped
   * data keys of files): `attest keys rotate` re-seals them and the storage check reads them.
   */
  secrets?: readonly (SecretColumns & { table: keyof Database })[];
  /**
   * Hooks on every request (the auth area authenticates here), added before any route and
   * before the body is validated.
   */
  hooks?: (app: App, deps: Deps) => void;
  /** Routes under /api/v1 (each declares config.access). */
  routes?: (app: App, deps: Deps) => void;
  /** Server-rendered public routes under /trust (forms arrive parsed as flat objects). */
  publicRoutes?: (app: App, deps: Deps) => void;
  /** Control checks, each a set-based query evaluable as of any date (`<area>.checks.ts`). */
  checks?: readonly ControlTest[];
  /** The data sources this area announces after its changes commit. */
  sources?: readonly DataSource[];
  /** Work on every scheduled run, or once at start (`<area>.jobs.ts`). */
  jobs?: readonly ScheduledJob[];
  /** Its part of the public trust center page (`<area>.trust.ts`). */
  trustSections?: readonly TrustSection[];
  /**
   * How the audit log labels the targets of this area's events, by target type: a lookup of
   * names and pages for a page of ids, in the area's `<area>.queries.ts` (it reads only the
   * area's own tables), or the one page a type stands for. See audit-log.targets.ts.
   */
  auditTargets?: AuditTargets;
  /** Seeds its part of `attest demo`, in list order, after the areas before it. */
  demo?: (db: Kysely<Database>, demo: DemoContext) => Promise<unknown>;
  /**
   * Rewrites a request's URL before routing, when this configuration needs it (the trust
   * center answers at the root of ATTEST_TRUST_HOST); answers the URL unchanged otherwise.
   */
  rewriteUrl?: (config: Config) => ((request: IncomingMessage) => string) | undefined;
  /** Whether first-run setup is still to be done here: the startup message then says so. */
  setupRequired?: (db: Kysely<Database>) => Promise<boolean>;
}

/** A person of the demo company, as the people area seeded them. */
export interface DemoPerson {
  id: string;
  name: string;
  email: string;
  jobRole: string;
  /** 'YYYY-MM-DD' */
  startDate: string;
  endDate: string | null;
  /** A change of job role during the year: the role before, and when it changed. */
  roleChange?: { from: string; at: Date };
  /** Their Attest account: every employee signs in to read and acknowledge policies. */
  userId: string;
}

/** An audit event of the demo's year, at the moment the seeded record says it happened. */
export interface DemoEvent {
  at: Date;
  actor: { userId: string; name: string };
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What `attest demo` hands each area's seeding: the organization built so far. Areas write
 * their own tables with the dates the story says (so history is computed from records, not
 * painted) and tell the audit trail what happened when; the demo appends those events in date
 * order once every area has run.
 */
export interface DemoContext {
  organizationId: string;
  owner: { userId: string; name: string; email: string };
  /** The owner acting now, for areas that seed through their services. */
  ownerContext: Context;
  size: "small" | "large";
  now: Date;
  /** The day the security program started, a little over a year ago. */
  programStart: Date;
  /** Seeded by the people area (early in the list) for the areas after it. */
  people: DemoPerson[];
  /** Deterministic numbers in [0, 1): every demo tells the same story. */
  random(): number;
  event(event: DemoEvent): void;
  /** Counts shown when the demo is ready, by kind of record. */
  counts: Record<string, number>;
  progress(message: string): void;
}
