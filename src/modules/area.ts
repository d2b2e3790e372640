import type { IncomingMessage } from "node:http";
import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import type { Config } from "../platform/config.ts";
import type { Deps } from "../platform/deps.ts";
import type { App } from "../platform/http/types.ts";
import type { DataSource } from "./change.ts";
import type { ControlTest } from "./monitoring/registry.ts";
import type { ScheduledJob } from "./monitoring/scheduled-tasks.ts";
import type { TrustSection } from "./trust-center/trust-sections.ts";

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
  /** Seeds its part of `attest demo`, in list order, after the areas before it. */
  demo?: (db: Kysely<Database>, demo: DemoContext) => Promise<void>;
  /**
   * Rewrites a request's URL before routing, when this configuration needs it (the trust
   * center answers at the root of ATTEST_TRUST_HOST); answers the URL unchanged otherwise.
   */
  rewriteUrl?: (config: Config) => ((request: IncomingMessage) => string) | undefined;
  /** Whether first-run setup is still to be done here: the startup message then says so. */
  setupRequired?: (db: Kysely<Database>) => Promise<boolean>;
}

/** What `attest demo` hands each area's seeding: the organization built so far. */
export interface DemoContext {
  organizationId: string;
  owner: { userId: string; name: string };
  size: "small" | "large";
  now: Date;
  /** Counts shown when the demo is ready, by kind of record. */
  counts: Record<string, number>;
  progress(message: string): void;
}
