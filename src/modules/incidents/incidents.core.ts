import { type RawBuilder, sql } from "kysely";
import type {
  Incident,
  IncidentEntryKind,
  IncidentSeverity,
  IncidentStatus,
} from "../../db/tables/incidents.ts";
import type { Tx } from "../../db/tenant.ts";
import type { Settings } from "../../domain/settings.ts";
import { errors } from "../../platform/errors.ts";

/**
 * What every part of the incidents area shares: an incident's reference (INC-0001), finding
 * one, the one writer of timeline entries, and the clocks its severity sets.
 */

/** The data sources the incidents area announces. */
export const INCIDENTS_SOURCE = "incidents" as const;
export const EXERCISES_SOURCE = "ir-exercises" as const;

/** INC-0001, INC-0042, INC-12345. */
export function incidentReference(number: number): string {
  return `INC-${String(number).padStart(4, "0")}`;
}

export function incidentLink(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

/** The incident (visible to the transaction's organization), or a 404; `lock` takes it FOR UPDATE. */
export async function findIncident(tx: Tx, id: string, lock = false): Promise<Incident> {
  let query = tx.selectFrom("incidents").selectAll().where("id", "=", id);
  if (lock) query = query.forUpdate();
  const incident = await query.executeTakeFirst();
  if (!incident) throw errors.notFound("The incident");
  return incident;
}

/** The next number of the organization's incidents (taken under the organization's lock). */
export async function nextIncidentNumber(tx: Tx, organizationId: string): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`incidents:${organizationId}`}, 0))`.execute(
    tx,
  );
  const row = await tx
    .selectFrom("incidents")
    .select((eb) => eb.fn.max("number").as("max"))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export interface NewEntry {
  incidentId: string;
  kind: IncidentEntryKind;
  body?: string;
  from?: string | null;
  to?: string | null;
  evidenceId?: string | null;
  noticeId?: string | null;
  authorId: string | null;
  /** When it happened, if earlier than now (a note of an earlier moment). */
  occurredAt?: Date;
}

/**
 * Adds an entry to an incident's timeline and moves the incident's "last entry" to it: every
 * write to an incident's timeline goes through here.
 */
export async function addEntry(tx: Tx, organizationId: string, entry: NewEntry) {
  const now = new Date();
  const row = await tx
    .insertInto("incident_entries")
    .values({
      organization_id: organizationId,
      incident_id: entry.incidentId,
      kind: entry.kind,
      body: entry.body ?? "",
      from_value: entry.from ?? null,
      to_value: entry.to ?? null,
      evidence_id: entry.evidenceId ?? null,
      notice_id: entry.noticeId ?? null,
      author_id: entry.authorId,
      occurred_at: entry.occurredAt ?? now,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable("incidents")
    .set({ last_entry_at: now, updated_at: now })
    .where("id", "=", entry.incidentId)
    .execute();
  return row;
}

/** Whether the status is one of an open incident (not yet resolved). */
export function isOpenStatus(status: IncidentStatus): boolean {
  return status === "reported" || status === "triaged" || status === "contained";
}

/** The longest an open incident of this severity may go without a timeline entry, in days. */
export function updateIntervalDays(settings: Settings, severity: IncidentSeverity): number {
  switch (severity) {
    case "critical":
      return settings.incidentUpdateDaysCritical;
    case "high":
      return settings.incidentUpdateDaysHigh;
    case "medium":
      return settings.incidentUpdateDaysMedium;
    case "low":
      return settings.incidentUpdateDaysLow;
  }
}

/** updateIntervalDays in SQL: the interval (days) of the severity in `column`, null for none. */
export function updateIntervalDaysSql(settings: Settings, column: RawBuilder<string | null>) {
  return sql<number>`case ${column}
    when 'critical' then ${settings.incidentUpdateDaysCritical}::int
    when 'high' then ${settings.incidentUpdateDaysHigh}::int
    when 'medium' then ${settings.incidentUpdateDaysMedium}::int
    when 'low' then ${settings.incidentUpdateDaysLow}::int end`;
}

/**
 * An update is due soon in the last quarter of its interval (6 hours of a critical incident's
 * day, 18 of a high one's 3 days): the reminder goes out then, and the check says due soon.
 */
export const UPDATE_WARN_FRACTION = 0.25;

/** What each severity means in this organization, as shown when choosing one. */
export function severityDefinitions(settings: Settings): Record<IncidentSeverity, string> {
  return {
    critical: settings.incidentSeverityCritical,
    high: settings.incidentSeverityHigh,
    medium: settings.incidentSeverityMedium,
    low: settings.incidentSeverityLow,
  };
}
