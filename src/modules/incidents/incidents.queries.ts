import type { ExpressionBuilder, SqlBool } from "kysely";
import type { Incident } from "../../db/tables/incidents.ts";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Settings } from "../../domain/settings.ts";
import { errors } from "../../platform/errors.ts";
import { evidenceFileNames } from "../evidence/evidence.queries.ts";
import {
  firstNoticeOfIncident,
  noticesOfIncident,
  noticeTitles,
} from "../notices/notices.queries.ts";
import { systemNames } from "../systems/systems.queries.ts";
import { userNameOf, userNames, userStatus } from "../users/users.queries.ts";
import {
  incidentLink,
  incidentReference,
  isOpenStatus,
  updateIntervalDays,
} from "./incidents.core.ts";
import type { EntryView, IncidentSummary } from "./incidents.schema.ts";

/** The incidents area's reads other areas use, its audit labels, and how an incident is shown. */

/** Whether the incident exists in the transaction's organization. */
export async function incidentExists(tx: Tx, id: string): Promise<boolean> {
  const row = await tx.selectFrom("incidents").select("id").where("id", "=", id).executeTakeFirst();
  return row !== undefined;
}

/** "INC-0007 Phishing of the finance team" of the given incidents that exist, by id. */
export async function incidentNames(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, { reference: string; title: string; label: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("incidents")
    .select(["id", "number", "title"])
    .where("id", "in", unique)
    .execute();
  return new Map(
    rows.map((r) => {
      const reference = incidentReference(r.number);
      return [r.id, { reference, title: r.title, label: `${reference} ${r.title}` }];
    }),
  );
}

/** How the audit log labels incidents (every incident action targets its incident). */
export const incidentAuditTargets = {
  incident: {
    find: async (tx: Tx, ids: string[]) =>
      [...(await incidentNames(tx, ids)).entries()].map(([id, n]) => ({
        id,
        name: n.label,
        path: incidentLink(id),
      })),
  },
};

/**
 * What the incidents of other helpers' tables add to a row: the names of its owner and
 * declarer, whether an exercise names it as the plan's test, and when its first notice was
 * published (selected beside its columns, so showing a page of incidents is one query).
 */
export function incidentExtras(eb: ExpressionBuilder<Database, "incidents">) {
  return [
    userNameOf(eb, "incidents.owner_id").as("owner_name"),
    userNameOf(eb, "incidents.reported_by").as("reported_by_name"),
    eb
      .exists(
        eb
          .selectFrom("ir_exercises as x")
          .select("x.id")
          .whereRef("x.incident_id", "=", "incidents.id")
          .where("x.kind", "=", "incident"),
      )
      .as("is_plan_test"),
    firstNoticeOfIncident(eb).as("first_notice_at"),
  ] as const;
}

export type IncidentRow = Incident & {
  owner_name: string | null;
  reported_by_name: string | null;
  is_plan_test: SqlBool;
  first_notice_at: Date | null;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** When the incident must be triaged by, while it is not. */
export function triageBy(row: Incident, settings: Settings): Date | null {
  if (row.triaged_at !== null) return null;
  return new Date(row.reported_at.getTime() + settings.incidentTriageHours * HOUR);
}

/** When its next timeline entry is due under its severity, while it is open. */
export function nextUpdateBy(row: Incident, settings: Settings): Date | null {
  if (!isOpenStatus(row.status) || row.severity === null) return null;
  const days = updateIntervalDays(settings, row.severity);
  return new Date(row.last_entry_at.getTime() + days * DAY);
}

/** Hours from confirmation (or being marked as affecting customers) to the first notice. */
function timeToNoticeHours(row: IncidentRow): number | null {
  if (!row.first_notice_at || !row.triaged_at) return null;
  const from = Math.max(row.triaged_at.getTime(), row.customers_affected_at?.getTime() ?? 0);
  return Math.round(((row.first_notice_at.getTime() - from) / HOUR) * 10) / 10;
}

function named(id: string | null, name: string | null | undefined) {
  return id === null ? null : { id, name: name ?? "A removed user" };
}

/** The incident as a list shows it. */
export function presentSummary(row: IncidentRow, settings: Settings): IncidentSummary {
  return {
    id: row.id,
    reference: incidentReference(row.number),
    number: row.number,
    title: row.title,
    severity: row.severity,
    status: row.status,
    owner: named(row.owner_id, row.owner_name),
    reportedBy: named(row.reported_by, row.reported_by_name),
    fromReport: row.report_id !== null,
    reportedAt: row.reported_at,
    triagedAt: row.triaged_at,
    containedAt: row.contained_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    customersAffected: row.customers_affected,
    customerDataAffected: row.customer_data_affected,
    affectedCustomers: row.affected_customers,
    lastEntryAt: row.last_entry_at,
    triageBy: triageBy(row, settings),
    nextUpdateBy: nextUpdateBy(row, settings),
    isPlanTest: Boolean(row.is_plan_test),
    timeToNoticeHours: timeToNoticeHours(row),
  };
}

/** The incident with the extras, or undefined. */
export async function incidentRow(tx: Tx, id: string): Promise<IncidentRow | undefined> {
  return tx
    .selectFrom("incidents")
    .selectAll("incidents")
    .select((eb) => incidentExtras(eb))
    .where("incidents.id", "=", id)
    .executeTakeFirst();
}

/** The systems an incident affects, by name. */
export async function incidentSystems(tx: Tx, id: string) {
  const names = await systemNames(tx, await systemIdsOf(tx, id));
  return [...names]
    .map(([systemId, name]) => ({ id: systemId, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Its lessons learned's state, and the notices about it. */
export async function incidentFollowUps(tx: Tx, id: string) {
  const lessons = await tx
    .selectFrom("incident_lessons")
    .select(["status", "approved_at"])
    .where("incident_id", "=", id)
    .executeTakeFirst();
  // published ones first, by publication; then drafts, oldest first
  const published = (n: { published_at: Date | null }) => n.published_at?.getTime() ?? Infinity;
  const notices = (await noticesOfIncident(tx, id)).sort((a, b) => published(a) - published(b));
  return {
    lessons: lessons ? { status: lessons.status, approvedAt: lessons.approved_at } : null,
    notices: notices.map((n) => ({
      id: n.id,
      title: n.title,
      status: n.status,
      publishedAt: n.published_at,
    })),
  };
}

/** Timeline entries as the API answers them, with their author, file and notice. */
export async function presentEntries(
  tx: Tx,
  filter: { incidentId: string } | { entryId: string },
): Promise<EntryView[]> {
  let query = tx.selectFrom("incident_entries as e").selectAll("e");
  query =
    "entryId" in filter
      ? query.where("e.id", "=", filter.entryId)
      : query.where("e.incident_id", "=", filter.incidentId);
  const rows = await query.orderBy("e.created_at").orderBy("e.seq").execute();
  const names = await userNames(
    tx,
    rows.flatMap((r) => (r.author_id ? [r.author_id] : [])),
  );
  const files = await evidenceFileNames(
    tx,
    rows.flatMap((r) => (r.evidence_id ? [r.evidence_id] : [])),
  );
  const titles = await noticeTitles(
    tx,
    rows.flatMap((r) => (r.notice_id ? [r.notice_id] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    body: r.body,
    from: r.from_value,
    to: r.to_value,
    author: named(r.author_id, r.author_id && names.get(r.author_id)),
    occurredAt: r.occurred_at,
    createdAt: r.created_at,
    evidence: r.evidence_id
      ? { id: r.evidence_id, fileName: files.get(r.evidence_id) ?? null }
      : null,
    notice: r.notice_id ? { id: r.notice_id, title: titles.get(r.notice_id) ?? "" } : null,
  }));
}

/** The systems named, all the organization's, or a 400 naming the first that is not. */
export async function checkSystems(tx: Tx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await systemNames(tx, unique);
  const index = ids.findIndex((id) => !found.has(id));
  if (index >= 0) throw errors.validation(`systemIds.${index}`, "is not a system of yours");
  return unique;
}

export async function checkOwner(tx: Tx, id: string): Promise<void> {
  if ((await userStatus(tx, id)) !== "active") {
    throw errors.validation("ownerId", "is not an active user of the organization");
  }
}

export async function setSystems(
  tx: Tx,
  organizationId: string,
  incidentId: string,
  ids: string[],
) {
  await tx.deleteFrom("incident_systems").where("incident_id", "=", incidentId).execute();
  if (ids.length === 0) return;
  await tx
    .insertInto("incident_systems")
    .values(
      ids.map((id) => ({
        organization_id: organizationId,
        incident_id: incidentId,
        system_id: id,
      })),
    )
    .execute();
}

export async function systemIdsOf(tx: Tx, incidentId: string): Promise<string[]> {
  return (
    await tx
      .selectFrom("incident_systems")
      .select("system_id")
      .where("incident_id", "=", incidentId)
      .orderBy("system_id")
      .execute()
  ).map((r) => r.system_id);
}
