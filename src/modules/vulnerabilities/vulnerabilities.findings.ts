import { sql } from "kysely";
import type { FindingRow } from "../../db/tables/vulnerabilities.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { dueState } from "../../domain/deadlines.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { userNameRows, userNames } from "../users/users.queries.ts";
import { acceptancesOf } from "./vulnerabilities.acceptances.ts";
import type { FindingsQuery, FindingView } from "./vulnerabilities.schema.ts";

/**
 * The findings' reads: the list (server-side paged by deadline, severity, id, on the
 * findings_order_idx index), and a finding with its status history, comments and acceptances.
 */

export type FindingCursor = { deadline: string | null; rank: number; id: string };

/** The list's sort key, as the index findings_order_idx has it. */
const DEADLINE_KEY = sql`coalesce(f.deadline_at, 'infinity'::timestamptz)`;
const RANK_KEY = sql`(CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END)`;

export function severityRankOf(severity: string): number {
  return ({ critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>)[severity] ?? 3;
}

type Listed = FindingRow & {
  system_name: string | null;
  pentest_name: string | null;
  assignee_name: string | null;
};

function baseQuery(tx: Tx) {
  return tx
    .selectFrom("findings as f")
    .leftJoin(systemsNow(tx).as("s"), "s.id", "f.system_id")
    .leftJoin("pentests as p", "p.id", "f.pentest_id")
    .leftJoin(userNameRows(tx).as("u"), "u.id", "f.assignee_id")
    .selectAll("f")
    .select(["s.name as system_name", "p.name as pentest_name", "u.name as assignee_name"]);
}

export function present(row: Listed, now: Date, warnDays: number): FindingView {
  const deadline = row.deadline_at ? new Date(row.deadline_at) : null;
  let sla: FindingView["sla"] = null;
  if (deadline) {
    const state = dueState(deadline, now, warnDays);
    sla = state === "open" ? "within" : state;
  }
  return {
    id: row.id,
    systemId: row.system_id,
    systemName: row.system_name ?? "(removed system)",
    source: row.source,
    pentestId: row.pentest_id,
    pentestName: row.pentest_name,
    tool: row.tool,
    fingerprint: row.fingerprint,
    title: row.title,
    description: row.description,
    severity: row.severity,
    cvssScore: row.cvss_score === null ? null : Number(row.cvss_score),
    cvssVector: row.cvss_vector,
    identifiers: row.identifiers ?? [],
    ruleId: row.rule_id,
    packageName: row.package_name,
    installedVersion: row.installed_version,
    fixedVersion: row.fixed_version,
    filePath: row.file_path,
    line: row.line,
    url: row.url,
    firstDetectedAt: new Date(row.first_detected_at),
    lastDetectedAt: new Date(row.last_detected_at),
    status: row.status,
    statusChangedAt: new Date(row.status_changed_at),
    dueAt: new Date(row.due_at),
    deadlineAt: deadline,
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
    sla,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    createdAt: new Date(row.created_at),
  };
}

/**
 * A search that is a whole CVE, GHSA or CWE id, as scanners write it (CVE-2024-3094,
 * GHSA-xxxx-xxxx-xxxx in lower case after the prefix): matched whole against the identifiers
 * (no index serves it under row-level security: array containment is not leakproof; 0.5 s
 * over 300,000 findings on PostgreSQL, against 0.8 s for a substring of every text).
 */
export function wholeIdentifier(q: string): string | null {
  const text = q.trim();
  if (/^(cve-\d{4}-\d{4,}|cwe-\d+)$/i.test(text)) return text.toUpperCase();
  if (/^ghsa(-[0-9a-z]{4}){3}$/i.test(text)) return `GHSA-${text.slice(5).toLowerCase()}`;
  return null;
}

/** Escapes LIKE's wildcards so a search for "50%" finds "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listFindings(ctx: Context, query: FindingsQuery, after?: FindingCursor) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const settings = await organizationSettings(tx, ctx.organizationId);
    const now = new Date();
    let q = baseQuery(tx);
    if (query.systemId) q = q.where("f.system_id", "=", query.systemId);
    if (query.severity?.length) q = q.where("f.severity", "in", query.severity);
    if (query.status?.length) q = q.where("f.status", "in", query.status);
    if (query.source) q = q.where("f.source", "=", query.source);
    if (query.pentestId) q = q.where("f.pentest_id", "=", query.pentestId);
    if (query.assigneeId) q = q.where("f.assignee_id", "=", query.assigneeId);
    if (query.sla === "overdue") q = q.where("f.deadline_at", "<", now);
    if (query.sla === "due_soon") {
      const edge = new Date(now.getTime() + settings.vulnerabilityWarnDays * 86_400_000);
      q = q.where("f.deadline_at", ">=", now).where("f.deadline_at", "<=", edge);
    }
    const identifier = query.q ? wholeIdentifier(query.q) : null;
    if (identifier) {
      // The matches first (an array the planner knows is small), then the page of them: left
      // to itself, the planner walks the list's order index filtering every finding.
      q = q.where(
        sql<boolean>`f.id = ANY(ARRAY(SELECT m.id FROM findings m
          WHERE m.identifiers @> ARRAY[${identifier}]::text[]))`,
      );
    } else if (query.q) {
      const pattern = likePattern(query.q);
      q = q.where(
        sql<boolean>`(f.title ILIKE ${pattern} OR f.package_name ILIKE ${pattern}
          OR f.file_path ILIKE ${pattern}
          OR array_to_string(f.identifiers, ' ') ILIKE ${pattern})`,
      );
    }
    if (after) {
      const deadline = after.deadline ?? "infinity";
      q = q.where(
        sql<boolean>`(${DEADLINE_KEY}, ${RANK_KEY}, f.id) > (${deadline}::timestamptz, ${after.rank}::int, ${after.id}::uuid)`,
      );
    }
    const rows = (await q
      .orderBy(DEADLINE_KEY)
      .orderBy(RANK_KEY)
      .orderBy("f.id")
      .limit(query.limit + 1)
      .execute()) as Listed[];
    const items = rows
      .slice(0, query.limit)
      .map((r) => present(r, now, settings.vulnerabilityWarnDays));
    const last = items.at(-1);
    const next =
      rows.length > query.limit && last
        ? {
            deadline: last.deadlineAt ? last.deadlineAt.toISOString() : null,
            rank: severityRankOf(last.severity),
            id: last.id,
          }
        : null;
    return { items, next };
  });
}

/** A finding as FindingView, in a transaction (404 when it is not the organization's). */
export async function findingView(ctx: Context, tx: Tx, id: string): Promise<FindingView> {
  const row = (await baseQuery(tx).where("f.id", "=", id).executeTakeFirst()) as Listed | undefined;
  if (!row) throw errors.notFound("Finding");
  const settings = await organizationSettings(tx, ctx.organizationId);
  return present(row, new Date(), settings.vulnerabilityWarnDays);
}

export async function findingDetailIn(ctx: Context, tx: Tx, id: string) {
  const view = await findingView(ctx, tx, id);
  const history = await tx
    .selectFrom("finding_periods")
    .select(["status", "severity", "due_at", "deadline_at", "valid_from", "valid_to"])
    .where("finding_id", "=", id)
    .orderBy("valid_from")
    .orderBy("valid_to", (ob) => ob.asc().nullsLast())
    .execute();
  const comments = await tx
    .selectFrom("finding_comments")
    .select(["id", "author_id", "body", "created_at"])
    .where("finding_id", "=", id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const names = await userNames(
    tx,
    comments.flatMap((c) => (c.author_id ? [c.author_id] : [])),
  );
  return {
    ...view,
    history: history.map((h) => ({
      status: h.status,
      severity: h.severity,
      dueAt: new Date(h.due_at),
      deadlineAt: h.deadline_at ? new Date(h.deadline_at) : null,
      validFrom: new Date(h.valid_from),
      validTo: h.valid_to ? new Date(h.valid_to) : null,
    })),
    comments: comments.map((c) => ({
      id: c.id,
      author: c.author_id
        ? { id: c.author_id, name: names.get(c.author_id) ?? "(removed user)" }
        : null,
      body: c.body,
      createdAt: new Date(c.created_at),
    })),
    acceptances: await acceptancesOf(ctx, tx, { findingId: id }),
  };
}

export async function getFinding(ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, (tx) => findingDetailIn(ctx, tx, id));
}

/** The finding row, locked for a change (404 when it is not the organization's). */
export async function lockFinding(tx: Tx, id: string): Promise<FindingRow> {
  const row = await tx
    .selectFrom("findings")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("Finding");
  return row;
}
