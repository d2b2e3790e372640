import { type Tx, withTenant } from "../db/tenant.ts";
import type { Actor, Context } from "../platform/context.ts";
import {
  type AuditEventInput,
  recordAuditEvents,
  roundTrip,
} from "./audit-log/audit-log.service.ts";
import { notifyChange } from "./monitoring/changes.ts";

/**
 * The kinds of data whose change re-evaluates the control checks that read them. Each area
 * names its own in its manifest's file, by declaration merging:
 *
 *     declare module "../change.ts" {
 *       interface DataSources { incidents: true }
 *     }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each area's module file
export interface DataSources {}
export type DataSource = keyof DataSources;

/** An audit event as a change records it: the actor, organization and request come from ctx. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

export interface ChangeScope {
  tx: Tx;
  /**
   * Records an audit event in the change's transaction, as the context's actor unless `actor`
   * says otherwise (a rule acting on the change's behalf). The change's events join the
   * organization's hash chain together, in the order recorded, once `work` is done: the
   * chain's lock is then held for one insert and the commit, not for the whole change, so
   * changes of one organization run side by side until then.
   */
  audit(entry: AuditEntry, actor?: Actor): Promise<void>;
}

/**
 * The one path for a change: runs `work` in the organization's transaction, where it writes
 * its rows and its audit events; after the commit, announces `source` (when given) and waits
 * for the re-evaluation, so the request that changed data answers with current controls.
 * A failure anywhere in `work` rolls back the rows and the audit events together.
 */
export async function applyChange<T>(
  ctx: Context,
  source: DataSource | readonly DataSource[] | null,
  work: (scope: ChangeScope) => Promise<T>,
): Promise<T> {
  const result = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const events: AuditEventInput[] = [];
    const audit = async (entry: AuditEntry, actor: Actor = ctx.actor) => {
      // Copied now, as JSON (what the event stores): a caller may go on to change the objects
      // it handed over.
      events.push({
        ...entry,
        before: roundTrip(entry.before),
        after: roundTrip(entry.after),
        organizationId: ctx.organizationId,
        actor,
        requestId: ctx.requestId,
      });
    };
    const value = await work({ tx, audit });
    await recordAuditEvents(tx, events);
    return value;
  });
  await announce(ctx, source);
  return result;
}

/**
 * Announces a committed change (for writes that cannot run in one tenant transaction, such as
 * a file stored before its row), awaiting the re-evaluation.
 */
export async function announce(
  ctx: Pick<Context, "db" | "organizationId">,
  source: DataSource | readonly DataSource[] | null,
): Promise<void> {
  if (source === null) return;
  const sources: readonly DataSource[] = typeof source === "string" ? [source] : source;
  for (const each of sources) await notifyChange(ctx.db, ctx.organizationId, each);
}
