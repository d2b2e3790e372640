import { type SelectQueryBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { AuditEventRow, Database } from "../../db/types.ts";
import { actionLabel, describeAuditEvent } from "../../domain/audit-sentences.ts";
import type { Context } from "../../platform/context.ts";
import { type ResolvedTarget, resolveTargets, targetOf } from "./audit-log.targets.ts";

/** Reading the trail: pages for the list, batches for the exports, and the actions in it. */

export interface AuditEventFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** An event with its sentence, its action's label and what its target is now. */
export interface DescribedEvent extends AuditEventRow {
  summary: string;
  actionLabel: string;
  target: ResolvedTarget;
}

type EventQuery = SelectQueryBuilder<Database, "audit_events", AuditEventRow>;

function filtered(tx: Tx, organizationId: string, filter: AuditEventFilter): EventQuery {
  let query = tx
    .selectFrom("audit_events")
    .selectAll()
    .where("organization_id", "=", organizationId);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.actorId) query = query.where("actor_id", "=", filter.actorId);
  if (filter.targetType) query = query.where("target_type", "=", filter.targetType);
  if (filter.targetId) query = query.where("target_id", "=", filter.targetId);
  if (filter.from) query = query.where("created_at", ">=", filter.from);
  if (filter.to) query = query.where("created_at", "<", filter.to);
  return query;
}

async function describe(tx: Tx, rows: AuditEventRow[]): Promise<DescribedEvent[]> {
  const refs = rows.map((row) => ({ targetType: row.target_type, targetId: row.target_id }));
  const targets = await resolveTargets(tx, refs);
  return rows.map((row) => {
    const target = targetOf(targets, { targetType: row.target_type, targetId: row.target_id });
    const summary = describeAuditEvent(
      {
        action: row.action,
        actorType: row.actor_type,
        actorId: row.actor_id,
        actorName: row.actor_name,
        targetType: row.target_type,
        targetId: row.target_id,
        before: row.before ?? null,
        after: row.after ?? null,
      },
      target,
    );
    return { ...row, summary, actionLabel: actionLabel(row.action), target };
  });
}

/** A page of the trail, newest first. */
export async function listAuditEvents(
  ctx: Context,
  filter: AuditEventFilter & { beforeSeq?: number | undefined; limit: number },
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = filtered(tx, ctx.organizationId, filter);
    if (filter.beforeSeq) query = query.where("seq", "<", filter.beforeSeq);
    const rows = await query
      .orderBy("seq", "desc")
      .limit(filter.limit + 1)
      .execute();
    const items = await describe(tx, rows.slice(0, filter.limit));
    const nextSeq = rows.length > filter.limit ? items.at(-1)?.seq : undefined;
    return { items, nextSeq };
  });
}

/**
 * The distinct actions in the organization's trail, with their labels: a loose index scan
 * over (organization_id, action, seq), one index probe per distinct action, so it stays quick
 * on a trail of millions of events.
 */
export async function listTrailActions(ctx: Context) {
  const rows = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const result = await sql<{ action: string }>`
      with recursive found(action) as (
        (select action from audit_events where organization_id = ${ctx.organizationId}
          order by action limit 1)
        union all
        select (select e.action from audit_events e
                 where e.organization_id = ${ctx.organizationId} and e.action > found.action
                 order by e.action limit 1)
          from found where found.action is not null
      )
      select action from found where action is not null`.execute(tx);
    return result.rows;
  });
  return rows
    .map((row) => ({ action: row.action, label: actionLabel(row.action) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

const EXPORT_BATCH = 1000;

/**
 * The filtered trail in sequence order, oldest first, in batches: each batch is its own short
 * transaction (a slow download never holds a connection, which on PGlite is the only one),
 * keyed on seq. The export ends at the newest event that existed when it began, so events
 * appended while it runs do not stretch it.
 */
export async function* auditEventBatches(
  ctx: Context,
  filter: AuditEventFilter,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<DescribedEvent[]> {
  const last = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("audit_events")
      .select("seq")
      .where("organization_id", "=", ctx.organizationId)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst(),
  );
  const upTo = last?.seq ?? 0;
  let afterSeq = 0;
  // seq only grows and stops at upTo, so this ends.
  while (afterSeq < upTo) {
    const from = afterSeq;
    const batch = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
      const rows = await filtered(tx, ctx.organizationId, filter)
        .where("seq", ">", from)
        .where("seq", "<=", upTo)
        .orderBy("seq")
        .limit(batchSize)
        .execute();
      return describe(tx, rows);
    });
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) break;
    afterSeq = (batch.at(-1) as DescribedEvent).seq;
  }
}
